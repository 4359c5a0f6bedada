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

/** Channel types whose contact inbox Chatwoot derives from the contact's email or phone number. */
const CONTACT_KEYED_CHANNELS: ReadonlySet<string> = new Set([
  "Channel::Email",
  "Channel::Sms",
  "Channel::TwilioSms",
  "Channel::Whatsapp",
]);

/**
 * Why Chatwoot cannot make a contact inbox in this inbox without a source id, or `undefined` when
 * it can. Only API and website inboxes get a random one and email/SMS/WhatsApp inboxes derive it
 * from the contact; every other channel raises "Unsupported operation for this channel", which
 * Chatwoot answers with a bare 500 (chatwoot app/builders/contact_inbox_builder.rb,
 * `generate_source_id`).
 */
export function sourceIdNeededReason(inbox: InboxJson): string | undefined {
  if (UUID_KEYED_CHANNELS.has(inbox.channel_type) || CONTACT_KEYED_CHANNELS.has(inbox.channel_type)) {
    return undefined;
  }
  return (
    `inbox ${inbox.id} is a ${inbox.channel_type} inbox, where Chatwoot cannot make a contact inbox without ` +
    `a source id (it answers 500 "Internal Server Error"); give [sourceId], the contact's id on that channel`
  );
}
