import type { ChatwootClient } from "../client/client";
import { isNotFound } from "../client/errors";
import { accountPath } from "./paths";
import {
  FullInboxJson,
  InboxJson,
  agentListSchema,
  fullInboxSchema,
  inboxListSchema,
  inboxSchema,
} from "./schemas";

/** Channel types whose contact inboxes Chatwoot keys by a random UUID rather than an address. */
const UUID_KEYED_CHANNELS: ReadonlySet<string> = new Set(["Channel::Api", "Channel::WebWidget"]);

/** Inbox-level attributes `InboxesController#inbox_attributes` permits, in Chatwoot's names. */
export interface InboxAttributes {
  name?: string;
  greeting_enabled?: boolean;
  greeting_message?: string | null;
  enable_auto_assignment?: boolean;
  allow_messages_after_resolved?: boolean;
  lock_to_single_conversation?: boolean;
}

/** `Channel::Api::EDITABLE_ATTRS` (webhook_url, hmac_mandatory, additional_attributes). */
export interface ApiChannelAttributes {
  webhook_url?: string | null;
  hmac_mandatory?: boolean;
}

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

  /** The inbox with every field the provider manages, or `undefined` when Chatwoot answers 404. */
  async find(inboxId: number): Promise<FullInboxJson | undefined> {
    try {
      return await this.client.request({
        method: "GET",
        path: accountPath(this.accountId, "inboxes", inboxId),
        schema: fullInboxSchema,
      });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Every inbox the token's user may see (all of them for an administrator). */
  async list(): Promise<FullInboxJson[]> {
    const answer = await this.client.request({
      method: "GET",
      path: accountPath(this.accountId, "inboxes"),
      schema: inboxListSchema,
    });
    return answer.payload;
  }

  /** Creates an API-channel inbox; not idempotent, so callers look it up by name before repeating. */
  async createApi(inbox: InboxAttributes, channel: ApiChannelAttributes): Promise<FullInboxJson> {
    return this.client.request({
      method: "POST",
      path: accountPath(this.accountId, "inboxes"),
      body: { ...inbox, channel: { type: "api", ...channel } },
      schema: fullInboxSchema,
    });
  }

  async update(
    inboxId: number,
    inbox: InboxAttributes,
    channel: ApiChannelAttributes | undefined,
  ): Promise<FullInboxJson> {
    return this.client.request({
      method: "PATCH",
      path: accountPath(this.accountId, "inboxes", inboxId),
      body: { ...inbox, ...(channel === undefined ? {} : { channel }) },
      schema: fullInboxSchema,
    });
  }

  /**
   * Asks Chatwoot to delete the inbox (it answers at once and deletes in a background job, with
   * the inbox's conversations and contact inboxes); `false` when it was already gone.
   */
  async delete(inboxId: number): Promise<boolean> {
    try {
      await this.client.request({
        method: "DELETE",
        path: accountPath(this.accountId, "inboxes", inboxId),
        schema: null,
      });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** The user ids of the inbox's members (`GET /inbox_members/:inbox_id`), sorted. */
  async memberIds(inboxId: number): Promise<number[]> {
    const answer = await this.client.request({
      method: "GET",
      path: accountPath(this.accountId, "inbox_members", inboxId),
      schema: agentListSchema,
    });
    return answer.payload.map((agent) => agent.id).sort((a, b) => a - b);
  }

  /** Makes the member list exactly `userIds` (`PATCH /inbox_members`, idempotent by design). */
  async setMembers(inboxId: number, userIds: readonly number[]): Promise<number[]> {
    const answer = await this.client.request({
      method: "PATCH",
      path: accountPath(this.accountId, "inbox_members"),
      body: { inbox_id: inboxId, user_ids: userIds },
      schema: agentListSchema,
    });
    return answer.payload.map((agent) => agent.id).sort((a, b) => a - b);
  }
}

/**
 * Whether Chatwoot would mint a fresh UUID for a contact inbox created without a source id. For
 * such inboxes the provider generates the UUID itself, so that repeating the request (after a
 * lost answer) finds the same row instead of creating a second one.
 */
export function generatesRandomSourceIds(inbox: Pick<InboxJson, "channel_type">): boolean {
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
export function sourceIdNeededReason(inbox: Pick<InboxJson, "id" | "channel_type">): string | undefined {
  if (UUID_KEYED_CHANNELS.has(inbox.channel_type) || CONTACT_KEYED_CHANNELS.has(inbox.channel_type)) {
    return undefined;
  }
  return (
    `inbox ${inbox.id} is a ${inbox.channel_type} inbox, where Chatwoot cannot make a contact inbox without ` +
    `a source id (it answers 500 "Internal Server Error"); give [sourceId], the contact's id on that channel`
  );
}
