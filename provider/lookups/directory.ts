import { DirectoryApi } from "../chatwoot/directory";
import { InboxesApi } from "../chatwoot/inboxes";
import { LabelsApi } from "../chatwoot/labels";
import { ChatwootError } from "../client/errors";
import { redactSecrets } from "../client/redact";
import { LookupConnection, openLookup } from "./connection";
import { Candidate, KIND_RULES, LookupKind, ChatwootLookupError, pickOne } from "./match";

/** What `getInbox` returns. */
export interface InboxLookup {
  readonly id: number;
  readonly accountId: number;
  readonly name: string;
  /** Chatwoot's channel class, e.g. `Channel::Api`. */
  readonly channelType: string;
}

/** What `getAgent` returns: a user of the account (an agent or an administrator). */
export interface AgentLookup {
  readonly id: number;
  readonly accountId: number;
  readonly email: string;
  readonly name: string;
  /** `agent` or `administrator`. */
  readonly role: string | null;
}

export interface TeamLookup {
  readonly id: number;
  readonly accountId: number;
  readonly name: string;
}

export interface LabelLookup {
  readonly id: number;
  readonly accountId: number;
  readonly title: string;
}

export interface LookupResults {
  inbox: InboxLookup;
  agent: AgentLookup;
  team: TeamLookup;
  label: LabelLookup;
}

type Listed<K extends LookupKind> = Candidate & { readonly result: LookupResults[K] };

/** One kind's whole list, as the token's user sees it, in the account searched. */
export interface Listing<K extends LookupKind> {
  readonly kind: K;
  readonly accountId: number;
  readonly items: readonly Listed<K>[];
  readonly token: string;
}

/**
 * Lists every object of a kind through the connection (one GET; Chatwoot pages none of these lists).
 * Every failure names the function and the request, and is redacted of the token.
 */
export async function listAll<K extends LookupKind>(
  kind: K,
  connection: LookupConnection | undefined,
  accountId: number | undefined,
): Promise<Listing<K>> {
  const fn = KIND_RULES[kind].fn;
  let opened;
  try {
    opened = openLookup(connection, accountId);
  } catch (error) {
    // Configuration messages never quote the token; the connection's is redacted all the same.
    throw new ChatwootLookupError(
      `${fn}: ${redactSecrets((error as Error).message, [connection?.apiAccessToken])}`,
    );
  }
  try {
    const items = (await fetchKind(kind, opened.client, opened.accountId)) as unknown as Listed<K>[];
    return { kind, accountId: opened.accountId, items, token: opened.token };
  } catch (error) {
    if (!(error instanceof ChatwootError)) throw error;
    throw new ChatwootLookupError(
      redactSecrets(
        `${fn}: listing the ${KIND_RULES[kind].plural} of account ${opened.accountId} failed: ${error.message}`,
        [opened.token],
      ),
    );
  }
}

/** The single object of the listing matching `wanted` (see `match.ts` for the rules). */
export function findIn<K extends LookupKind>(listing: Listing<K>, wanted: string): LookupResults[K] {
  try {
    return pickOne(listing.kind, wanted, listing.items, listing.accountId).result;
  } catch (error) {
    // Names listed by a proxy in front of Chatwoot could hold anything.
    throw new ChatwootLookupError(redactSecrets((error as Error).message, [listing.token]));
  }
}

async function fetchKind(
  kind: LookupKind,
  client: ConstructorParameters<typeof DirectoryApi>[0],
  accountId: number,
): Promise<Listed<LookupKind>[]> {
  const directory = new DirectoryApi(client, accountId);
  switch (kind) {
    case "inbox":
      return (await new InboxesApi(client, accountId).list()).map((inbox) => {
        const name = inbox.name ?? "";
        return {
          id: inbox.id,
          key: name,
          result: { id: inbox.id, accountId, name, channelType: inbox.channel_type },
        };
      });
    case "agent":
      return (await directory.agents()).map((agent) => {
        const email = agent.email ?? "";
        return {
          id: agent.id,
          key: email,
          result: { id: agent.id, accountId, email, name: agent.name ?? "", role: agent.role ?? null },
        };
      });
    case "team":
      return (await directory.teams()).map((team) => {
        const name = team.name ?? "";
        return { id: team.id, key: name, result: { id: team.id, accountId, name } };
      });
    case "label":
      return (await new LabelsApi(client, accountId).list()).map((label) => {
        const title = label.title ?? "";
        return { id: label.id, key: title, result: { id: label.id, accountId, title } };
      });
  }
}
