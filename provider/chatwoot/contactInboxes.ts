import type { ChatwootClient } from "../client/client";
import { isNotFound } from "../client/errors";
import { accountPath } from "./paths";
import { ContactJson, contactInboxSchema, contactSchema } from "./schemas";

export class ContactInboxesApi {
  constructor(
    private readonly client: ChatwootClient,
    private readonly accountId: number,
  ) {}

  /**
   * Creates the contact inbox, or returns the existing one: with an explicit `source_id` Chatwoot
   * does a find-or-create on (contact, inbox, source id), so repeating the call is safe.
   */
  async create(
    contactId: number,
    body: { inbox_id: number; source_id?: string; hmac_verified?: boolean },
  ): Promise<{ sourceId: string; inboxId: number }> {
    const answer = await this.client.request({
      method: "POST",
      path: accountPath(this.accountId, "contacts", contactId, "contact_inboxes"),
      body,
      schema: contactInboxSchema,
      idempotent: body.source_id !== undefined,
    });
    return { sourceId: answer.source_id, inboxId: answer.inbox?.id ?? body.inbox_id };
  }

  /** The contact owning `sourceId` in the inbox, or `undefined` (Chatwoot answers 404 with no body). */
  async findOwner(inboxId: number, sourceId: string): Promise<ContactJson | undefined> {
    try {
      return await this.client.request({
        method: "POST",
        path: accountPath(this.accountId, "contact_inboxes", "filter"),
        body: { inbox_id: inboxId, source_id: sourceId },
        schema: contactSchema,
        // A lookup only reads.
        idempotent: true,
      });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
