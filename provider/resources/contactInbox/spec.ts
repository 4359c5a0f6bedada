import { z } from "zod";
import { flag, nonEmptyShortText, positiveId } from "../../validation/rules";
import type { FieldSpecs } from "../fields";

/** A contact inbox's inputs as the provider receives them (plain values, after `check`). */
export interface ContactInboxInputs {
  accountId?: number;
  contactId?: number;
  inboxId?: number;
  sourceId?: string;
  hmacVerified?: boolean;
}

export interface ContactInboxOutputs {
  accountId: number;
  contactId: number;
  inboxId: number;
  sourceId: string;
  hmacVerified?: boolean;
}

export const contactInboxFieldSchemas = {
  accountId: positiveId(),
  contactId: positiveId(),
  inboxId: positiveId(),
  sourceId: nonEmptyShortText(),
  hmacVerified: flag(),
} satisfies Record<keyof ContactInboxInputs, z.ZodType>;

/**
 * Chatwoot has no route to update or delete a contact inbox (chatwoot config/routes.rb: `contact_inboxes` has only create and filter), so every input
 * replaces, and a replacement adds a new contact inbox while the old one stays with its contact.
 */
export const contactInboxFields: FieldSpecs = {
  accountId: {
    type: "number",
    behaviour: "replace",
    description: "Account of the contact. Defaults to `chatwoot:accountId`.",
    whenOmitted: { kind: "unmanaged" },
  },
  contactId: {
    type: "number",
    behaviour: "replace",
    description: "The contact (required), e.g. `contact.contactId`.",
    whenOmitted: { kind: "unmanaged" },
  },
  inboxId: {
    type: "number",
    behaviour: "replace",
    description: "The inbox (required).",
    whenOmitted: { kind: "unmanaged" },
  },
  sourceId: {
    type: "string",
    behaviour: "replace",
    description:
      "The session's source id, unique per inbox. Left out: generated once (a UUID in API and website " +
      "inboxes; Chatwoot's own choice, such as the email address, elsewhere) and kept across runs.",
    whenOmitted: { kind: "unmanaged" },
  },
  hmacVerified: {
    type: "boolean",
    behaviour: "replace",
    description:
      "Marks the session as HMAC-verified. Chatwoot does not report it back, so drift is not detected.",
    whenOmitted: { kind: "unmanaged" },
  },
};
