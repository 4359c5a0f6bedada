import type { ChatwootClient } from "../client/client";
import { accountPath } from "./paths";
import { InboxJson, inboxSchema } from "./schemas";

/** Channel types whose contact inboxes Chatwoot keys by a random UUID rather than an address. */
const UUID_KEYED_CHANNELS: ReadonlySet<string> = new Set(["Channel::Api", "Channel::WebWidget"]);

export class InboxesApi {
  constructor(
    private readonly client: ChatwootClient,
    private readonly accountId: number,
  ) {}

  async get(inboxId: number): Promise<InboxJson> {
    return this.client.request({
      method: "GET",
      path: accountPath(this.accountId, "inboxes", inboxId),
      schema: inboxSchema,
    });
  }
}

/**
 * Whether Chatwoot would mint a fresh UUID for a contact inbox created without a source id. For
 * such inboxes the provider generates the UUID itself, so that repeating the request (after a
 * lost answer) finds the same row instead of creating a second one.
 */
export function generatesRandomSourceIds(inbox: InboxJson): boolean {
  return UUID_KEYED_CHANNELS.has(inbox.channel_type);
}
