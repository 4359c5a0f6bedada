import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "../dynamic/connectionArgs";
import { Listing, findIn, listAll } from "../lookups/directory";
import { lookupConnectionFrom } from "../lookups/connection";
import { ChatwootLookupError } from "../lookups/match";
import { SeedDataError } from "./load";

/**
 * Turns the data's references to inboxes, agents and teams into ids, in this order:
 *
 * 1. a number is an id;
 * 2. a name in a lookup table (the Seed's argument, then the data's own) is the id it maps to;
 * 3. the name of an API inbox the data declares is that resource's `inboxId`: an Output of it, so
 *    the engine creates the inbox before whatever refers to it;
 * 4. any other name is looked up in Chatwoot, like `getInbox` (by name), `getAgent` (by email) and
 *    `getTeam` (by name), through the Seed's connection: each kind's list is fetched once per Seed,
 *    whatever the number of references.
 */
export type ReferenceKind = "inbox" | "agent" | "team";

export interface ReferenceTables {
  readonly inboxes: Readonly<Record<string, pulumi.Input<number>>>;
  readonly agents: Readonly<Record<string, pulumi.Input<number>>>;
  readonly teams: Readonly<Record<string, pulumi.Input<number>>>;
}

/** Where the lookups look: the Seed's account and connection. */
export interface LookupTarget {
  readonly accountId?: pulumi.Input<number>;
  readonly connection?: pulumi.Input<ConnectionArgs>;
}

const TABLE: Record<ReferenceKind, keyof ReferenceTables> = {
  inbox: "inboxes",
  agent: "agents",
  team: "teams",
};

export class References {
  private readonly listings = new Map<ReferenceKind, pulumi.Output<Listing<ReferenceKind>>>();

  constructor(
    private readonly tables: ReferenceTables,
    /** The `inboxId` of each API inbox the data declares, by its name. */
    private readonly declaredInboxes: ReadonlyMap<string, pulumi.Output<number>>,
    private readonly target: LookupTarget,
  ) {}

  /**
   * The id a reference stands for. `entry` and `field` name where the data uses it, for the error
   * a failed lookup raises (when the id is needed, so during the program's run, not at declaration).
   */
  resolve(
    kind: ReferenceKind,
    reference: string | number,
    entry: string,
    field: string,
  ): pulumi.Input<number> {
    if (typeof reference === "number") return reference;
    const table = this.tables[TABLE[kind]];
    if (Object.prototype.hasOwnProperty.call(table, reference)) return table[reference]!;
    const declared = kind === "inbox" ? this.declaredInboxes.get(reference) : undefined;
    if (declared !== undefined) return declared;
    // The listing is secret when the connection is (it holds the token); the id it yields is not.
    return pulumi.unsecret(
      this.listing(kind).apply((listing) => idFromListing(listing, reference, entry, field, table)),
    );
  }

  private listing(kind: ReferenceKind): pulumi.Output<Listing<ReferenceKind>> {
    let listing = this.listings.get(kind);
    if (listing === undefined) {
      listing = pulumi
        .all([pulumi.output(this.target.accountId), pulumi.output(this.target.connection ?? {})])
        .apply(([accountId, connection]) =>
          listAll(
            kind,
            this.target.connection === undefined ? undefined : lookupConnectionFrom(connection),
            accountId,
          ),
        );
      this.listings.set(kind, listing);
    }
    return listing;
  }
}

/**
 * The id of the one object the listing holds under `reference`; otherwise a SeedDataError naming
 * the entry and field first, then what was searched (`ChatwootLookupError`'s message).
 */
export function idFromListing(
  listing: Listing<ReferenceKind>,
  reference: string,
  entry: string,
  field: string,
  table: Readonly<Record<string, unknown>>,
): number {
  try {
    return findIn(listing, reference).id;
  } catch (error) {
    if (!(error instanceof ChatwootLookupError)) throw error;
    const names = Object.keys(table);
    const inTable = names.length > 0 ? ` (the ${TABLE[listing.kind]} table has ${names.join(", ")})` : "";
    throw new SeedDataError(
      `${entry}: [${field}] "${reference}" is not in a table${inTable}, and ${error.message}`,
    );
  }
}
