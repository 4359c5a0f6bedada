import { z } from "zod";
import {
  e164Phone,
  email,
  flag,
  jsonObject,
  labelSet,
  nonEmptyShortText,
  positiveId,
  shortText,
} from "../../validation/rules";
import type { FieldSpecs } from "../fields";

/** A contact's inputs as the provider receives them (plain values, after `check`). */
export interface ContactInputs {
  accountId?: number;
  name?: string;
  email?: string;
  phoneNumber?: string;
  identifier?: string;
  blocked?: boolean;
  customAttributes?: Record<string, unknown>;
  additionalAttributes?: Record<string, unknown>;
  labels?: string[];
  inboxId?: number;
  sourceId?: string;
  adopt?: boolean;
}

/** A contact's outputs: every input as Chatwoot stored it, plus the ids. */
export interface ContactOutputs {
  contactId: number;
  accountId: number;
  name: string;
  email?: string;
  phoneNumber?: string;
  identifier?: string;
  blocked: boolean;
  customAttributes: Record<string, unknown>;
  additionalAttributes: Record<string, unknown>;
  labels: string[];
  inboxId?: number;
  sourceId?: string;
  adopt?: boolean;
  /** Whether `create` took over a contact that already existed instead of creating one. */
  adopted: boolean;
}

/** Per-field validation, applied by `check` before any request. */
export const contactFieldSchemas = {
  accountId: positiveId(),
  name: shortText(),
  email: email(),
  phoneNumber: e164Phone(),
  identifier: nonEmptyShortText(),
  blocked: flag(),
  customAttributes: jsonObject(),
  additionalAttributes: jsonObject(),
  labels: labelSet(),
  inboxId: positiveId(),
  sourceId: nonEmptyShortText(),
  adopt: flag(),
} satisfies Record<keyof ContactInputs, z.ZodType>;

/** How each field behaves; the README's Contact table is generated from this. */
export const contactFields: FieldSpecs = {
  accountId: {
    type: "number",
    behaviour: "replace",
    description: "Account to create the contact in. Defaults to `chatwoot:accountId`.",
    whenOmitted: { kind: "unmanaged" },
  },
  name: {
    type: "string",
    behaviour: "update",
    description: "Display name. Left out: Chatwoot's value is kept.",
    whenOmitted: { kind: "unmanaged" },
  },
  email: {
    type: "string",
    behaviour: "update",
    description: "Email address, unique per account; stored lower-cased. Left out: cleared.",
    whenOmitted: { kind: "empty", value: undefined },
  },
  phoneNumber: {
    type: "string",
    behaviour: "update",
    description: "E.164 phone number, unique per account. Left out: cleared.",
    whenOmitted: { kind: "empty", value: undefined },
  },
  identifier: {
    type: "string",
    behaviour: "update",
    description: "External id (e.g. a CRM id), unique per account, case-sensitive. Left out: cleared.",
    whenOmitted: { kind: "empty", value: undefined },
  },
  blocked: {
    type: "boolean",
    behaviour: "update",
    description: "Whether the contact is blocked. Left out: `false`.",
    whenOmitted: { kind: "empty", value: false },
  },
  customAttributes: {
    type: "object",
    behaviour: "update",
    description:
      "Custom attributes; the program owns the whole set, so keys removed here are removed in Chatwoot.",
    whenOmitted: { kind: "empty", value: {} },
  },
  additionalAttributes: {
    type: "object",
    behaviour: "update",
    description:
      "Additional attributes, merged into Chatwoot's: only the keys given here are managed. Chatwoot's API " +
      "cannot delete a key, so a key removed here is set to `null` in Chatwoot and no longer tracked.",
    whenOmitted: { kind: "empty", value: {} },
  },
  labels: {
    type: "string[]",
    behaviour: "update",
    description:
      "Labels (tags), replaced as a set; order and duplicates do not matter. Lower-cased and compared " +
      "ignoring case (see [Labels](#labels)); each must be a label title: letters, digits, `-` and `_`.",
    whenOmitted: { kind: "empty", value: [] },
  },
  inboxId: {
    type: "number",
    behaviour: "update",
    description:
      "Inbox for a first contact inbox made with the contact (Chatwoot's `inbox_id` on create). A change adds a " +
      "contact inbox there; Chatwoot cannot delete the previous one, which stays with the contact.",
    whenOmitted: { kind: "unmanaged" },
  },
  sourceId: {
    type: "string",
    behaviour: "update",
    description: "Source id of that contact inbox (with `inboxId`). Left out: generated once, then kept.",
    whenOmitted: { kind: "unmanaged" },
  },
  adopt: {
    type: "boolean",
    behaviour: "create-only",
    description:
      "On create, take over an existing contact with the same email, phone number or identifier instead of " +
      "failing on the clash.",
  },
  contactId: { type: "number", behaviour: "computed", description: "Chatwoot's contact id." },
  adopted: {
    type: "boolean",
    behaviour: "computed",
    description: "Whether create adopted an existing contact.",
  },
};
