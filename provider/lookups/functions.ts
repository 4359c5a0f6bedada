/**
 * Functions a Pulumi program awaits to turn names into Chatwoot ids: an inbox by name, an agent by
 * email, a team by name, a label by title. They run in the program (not in the provider host),
 * through the same connection the resources use, and only read (one GET of the whole list).
 *
 * - `getX(args)` takes plain values and returns a Promise: for a program that has them at hand.
 * - `getXOutput(args)` takes Inputs (a `connection` from another stack, say) and returns an Output.
 *   It runs once every input is known; during a preview with an input not known yet, its result is
 *   not known either, as any Output computed from one. The result carries no secret, so it is not
 *   marked secret even when the connection is.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "../dynamic/connectionArgs";
import { LookupConnection, lookupConnectionFrom } from "./connection";
import {
  AgentLookup,
  InboxLookup,
  LabelLookup,
  LookupResults,
  TeamLookup,
  findIn,
  listAll,
} from "./directory";
import { KIND_RULES, LookupKind, ChatwootLookupError } from "./match";

/** Where to look: the account (default `chatwoot:accountId`) and the connection (default the stack's). */
export interface LookupOptions {
  accountId?: number;
  connection?: LookupConnection;
}

export interface LookupOutputOptions {
  accountId?: pulumi.Input<number>;
  connection?: pulumi.Input<ConnectionArgs>;
}

/** The inbox with exactly this name (names may repeat in Chatwoot: several is an error). */
export function getInbox(args: { name: string } & LookupOptions): Promise<InboxLookup> {
  return lookUp("inbox", "name", args.name, args);
}

/** The account's user (agent or administrator) with this email, ignoring case. */
export function getAgent(args: { email: string } & LookupOptions): Promise<AgentLookup> {
  return lookUp("agent", "email", args.email, args);
}

/** The team with this name, ignoring case (Chatwoot stores team names lower-cased). */
export function getTeam(args: { name: string } & LookupOptions): Promise<TeamLookup> {
  return lookUp("team", "name", args.name, args);
}

/** The account label with this title, ignoring case (Chatwoot stores titles lower-cased). */
export function getLabel(args: { title: string } & LookupOptions): Promise<LabelLookup> {
  return lookUp("label", "title", args.title, args);
}

export function getInboxOutput(
  args: { name: pulumi.Input<string> } & LookupOutputOptions,
): pulumi.Output<InboxLookup> {
  return lookUpOutput(args.name, args, (name, options) => getInbox({ name, ...options }));
}

export function getAgentOutput(
  args: { email: pulumi.Input<string> } & LookupOutputOptions,
): pulumi.Output<AgentLookup> {
  return lookUpOutput(args.email, args, (email, options) => getAgent({ email, ...options }));
}

export function getTeamOutput(
  args: { name: pulumi.Input<string> } & LookupOutputOptions,
): pulumi.Output<TeamLookup> {
  return lookUpOutput(args.name, args, (name, options) => getTeam({ name, ...options }));
}

export function getLabelOutput(
  args: { title: pulumi.Input<string> } & LookupOutputOptions,
): pulumi.Output<LabelLookup> {
  return lookUpOutput(args.title, args, (title, options) => getLabel({ title, ...options }));
}

async function lookUp<K extends LookupKind>(
  kind: K,
  field: string,
  wanted: unknown,
  options: LookupOptions,
): Promise<LookupResults[K]> {
  // Checked before any request, as a resource's `check` would.
  if (typeof wanted !== "string" || wanted.trim() === "") {
    throw new ChatwootLookupError(`${KIND_RULES[kind].fn}: [${field}] must be a non-empty string`);
  }
  const { accountId } = options;
  if (accountId !== undefined && (!Number.isSafeInteger(accountId) || accountId < 1)) {
    throw new ChatwootLookupError(`${KIND_RULES[kind].fn}: [accountId] must be a positive integer`);
  }
  return findIn(await listAll(kind, options.connection, accountId), wanted);
}

/**
 * Runs a lookup once its inputs are known. The connection's secrecy is dropped: it holds the token,
 * which stays inside this function, while the result holds only ids and names.
 */
function lookUpOutput<T>(
  wanted: pulumi.Input<string>,
  options: LookupOutputOptions,
  run: (wanted: string, options: LookupOptions) => Promise<T>,
): pulumi.Output<T> {
  const connection = pulumi.unsecret(pulumi.output(options.connection ?? {}));
  return pulumi
    .all([pulumi.output(wanted), pulumi.output(options.accountId), connection])
    .apply(([value, accountId, resolved]) =>
      run(value, {
        ...(accountId === undefined ? {} : { accountId }),
        ...(options.connection === undefined ? {} : { connection: lookupConnectionFrom(resolved) }),
      }),
    );
}
