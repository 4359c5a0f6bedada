import type { ChatwootClient } from "../client/client";
import { isNotFound } from "../client/errors";
import { accountPath } from "./paths";
import {
  ContactJson,
  contactCreatedSchema,
  contactListSchema,
  contactPayloadSchema,
  labelListSchema,
} from "./schemas";

/** Writable contact fields, in Chatwoot's own names (chatwoot app/controllers/api/v1/accounts/contacts_controller.rb, `permitted_params`). */
export interface ContactBody {
  name?: string;
  email?: string | null;
  phone_number?: string | null;
  identifier?: string | null;
  blocked?: boolean;
  custom_attributes?: Record<string, unknown>;
  additional_attributes?: Record<string, unknown>;
}

/** The natural keys Chatwoot keeps unique per account (chatwoot app/models/contact.rb validations). */
export type NaturalKey = "email" | "phone_number" | "identifier";

export class ContactsApi {
  constructor(
    private readonly client: ChatwootClient,
    private readonly accountId: number,
  ) {}

  /** The contact, or `undefined` when Chatwoot answers 404. */
  async find(contactId: number): Promise<ContactJson | undefined> {
    try {
      const answer = await this.client.request({
        method: "GET",
        path: accountPath(this.accountId, "contacts", contactId),
        schema: contactPayloadSchema,
      });
      return answer.payload;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Creates a contact; not idempotent, so callers look up by natural key before repeating it. */
  async create(
    body: ContactBody & { inbox_id?: number; source_id?: string },
  ): Promise<{ contact: ContactJson; sourceId: string | undefined }> {
    const answer = await this.client.request({
      method: "POST",
      path: accountPath(this.accountId, "contacts"),
      body,
      schema: contactCreatedSchema,
    });
    return {
      contact: answer.payload.contact,
      sourceId: answer.payload.contact_inbox?.source_id ?? undefined,
    };
  }

  async update(contactId: number, body: ContactBody): Promise<ContactJson> {
    const answer = await this.client.request({
      method: "PATCH",
      path: accountPath(this.accountId, "contacts", contactId),
      body,
      schema: contactPayloadSchema,
    });
    return answer.payload;
  }

  /** Deletes a contact; `false` when it was already gone. */
  async delete(contactId: number): Promise<boolean> {
    try {
      await this.client.request({
        method: "DELETE",
        path: accountPath(this.accountId, "contacts", contactId),
        schema: null,
      });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /** Removes custom attribute keys, which a contact update can only overwrite (chatwoot contacts_controller.rb, `destroy_custom_attributes`). */
  async destroyCustomAttributes(contactId: number, keys: readonly string[]): Promise<ContactJson> {
    const answer = await this.client.request({
      method: "POST",
      path: accountPath(this.accountId, "contacts", contactId, "destroy_custom_attributes"),
      body: { custom_attributes: keys },
      schema: contactPayloadSchema,
      // Removing keys that are already gone changes nothing.
      idempotent: true,
    });
    return answer.payload;
  }

  async labels(contactId: number): Promise<string[]> {
    const answer = await this.client.request({
      method: "GET",
      path: accountPath(this.accountId, "contacts", contactId, "labels"),
      schema: labelListSchema,
    });
    return answer.payload;
  }

  async setLabels(contactId: number, labels: readonly string[]): Promise<string[]> {
    const answer = await this.client.request({
      method: "POST",
      path: accountPath(this.accountId, "contacts", contactId, "labels"),
      body: { labels },
      schema: labelListSchema,
      // The list replaces the contact's labels wholesale, so repeating it is harmless.
      idempotent: true,
    });
    return answer.payload;
  }

  /**
   * Contacts whose natural keys exactly equal any of the given values. Chatwoot's filter compares
   * text case-insensitively while identifiers are unique case-sensitively, so the answer is
   * matched exactly here.
   */
  async findByNaturalKeys(keys: Partial<Record<NaturalKey, string>>): Promise<ContactJson[]> {
    const conditions = (Object.entries(keys) as [NaturalKey, string | undefined][]).filter(
      (entry): entry is [NaturalKey, string] => entry[1] !== undefined && entry[1] !== "",
    );
    if (conditions.length === 0) return [];
    const answer = await this.client.request({
      method: "POST",
      path: accountPath(this.accountId, "contacts", "filter"),
      body: {
        payload: conditions.map(([attribute, value], index) => ({
          attribute_key: attribute,
          filter_operator: "equal_to",
          values: [filterValue(attribute, value)],
          query_operator: index < conditions.length - 1 ? "OR" : null,
        })),
      },
      schema: contactListSchema,
      // A filter only reads.
      idempotent: true,
    });
    return answer.payload.filter((contact) =>
      conditions.some(([attribute, value]) => naturalKeyMatches(contact, attribute, value)),
    );
  }
}

/**
 * The value to send for an `equal_to` condition. Chatwoot's contact filter compares phone numbers
 * as `+` followed by the value: before 4.7.0 the value as sent (`"+#{current_val}"`), from 4.7.0
 * with its own `+` signs removed first (`"+#{current_val&.delete('+')}"`; chatwoot
 * app/services/contacts/filter_service.rb, `filter_values`). Sending the digits without the
 * leading `+` matches `+14155550100` on both, without knowing the server's release.
 */
function filterValue(attribute: NaturalKey, value: string): string {
  return attribute === "phone_number" ? value.replace(/^\+/, "") : value;
}

export function naturalKeyMatches(contact: ContactJson, attribute: NaturalKey, value: string): boolean {
  const stored = contact[attribute];
  if (stored === null || stored === undefined) return false;
  return attribute === "email" ? stored.toLowerCase() === value.toLowerCase() : stored === value;
}
