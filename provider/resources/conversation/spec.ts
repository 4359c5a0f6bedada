import { z } from "zod";
import { flag, jsonObject, labelSet, nonEmptyShortText, positiveId } from "../../validation/rules";
import type { FieldSpecs } from "../fields";

export const STATUSES = ["open", "resolved", "pending", "snoozed"] as const;
export const PRIORITIES = ["low", "medium", "high", "urgent"] as const;
export const MESSAGE_TYPES = ["incoming", "outgoing"] as const;
/** Chatwoot's message content types (chatwoot app/models/message.rb). */
export const CONTENT_TYPES = [
  "text",
  "input_text",
  "input_textarea",
  "input_email",
  "input_select",
  "cards",
  "form",
  "article",
  "incoming_email",
  "input_csat",
  "integrations",
  "sticker",
  "voice_call",
] as const;

/** Chatwoot's limits (chatwoot app/models/message.rb, app/models/conversation.rb). */
export const MAX_MESSAGE_LENGTH = 150_000;
export const MAX_ATTRIBUTE_TEXT = 1_500;
export const MAX_ATTRIBUTE_INTEGER = 9_999_999_999;

/** A seeded message, normalised: defaults are left out so that equal messages compare equal. */
export interface SeedMessage {
  content: string;
  messageType: (typeof MESSAGE_TYPES)[number];
  private?: true;
  contentType?: Exclude<(typeof CONTENT_TYPES)[number], "text">;
  contentAttributes?: Record<string, unknown>;
}

export interface ConversationInputs {
  accountId?: number;
  inboxId?: number;
  contactId?: number;
  sourceId?: string;
  status?: (typeof STATUSES)[number];
  snoozedUntil?: string;
  priority?: (typeof PRIORITIES)[number];
  labels?: string[];
  assigneeId?: number;
  teamId?: number;
  customAttributes?: Record<string, unknown>;
  additionalAttributes?: Record<string, unknown>;
  messages?: SeedMessage[];
}

export interface ConversationOutputs {
  accountId: number;
  inboxId: number;
  contactId: number;
  sourceId?: string;
  /** The display id, used in Chatwoot's URLs and routes. */
  conversationId: number;
  uuid: string;
  /** Dashboard page of the conversation. */
  url: string;
  /** The marker written at creation, which lets a lost create answer be found again. */
  seedId: string;
  status: (typeof STATUSES)[number];
  snoozedUntil?: string;
  priority?: (typeof PRIORITIES)[number];
  labels: string[];
  assigneeId?: number;
  teamId?: number;
  customAttributes: Record<string, unknown>;
  additionalAttributes: Record<string, unknown>;
  messages: SeedMessage[];
  /** Ids of the seeded messages, in order. */
  messageIds: number[];
  /** The seeded messages' content as Chatwoot stored it (Liquid rendered), in order. */
  messageContents?: string[];
}

/** The additional-attributes key that carries `seedId` in Chatwoot. */
export const SEED_MARKER_KEY = "pulumi_seed_id";

/** Chatwoot's length and size limits on conversation attribute values. */
const attributeValues = () =>
  jsonObject().superRefine((attributes, context) => {
    for (const [key, value] of Object.entries(attributes)) {
      if (typeof value === "string" && value.length > MAX_ATTRIBUTE_TEXT) {
        context.addIssue({
          code: "custom",
          path: [key],
          message: `must be at most ${MAX_ATTRIBUTE_TEXT} characters (Chatwoot's limit for attribute values)`,
        });
      }
      if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) > MAX_ATTRIBUTE_INTEGER) {
        context.addIssue({
          code: "custom",
          path: [key],
          message: `must be at most ${MAX_ATTRIBUTE_INTEGER} (Chatwoot's limit for attribute numbers)`,
        });
      }
    }
  });

const seedMessage = z
  .object(
    {
      content: z
        .string({ error: "must be a string" })
        .min(1, { error: "must not be empty" })
        .max(MAX_MESSAGE_LENGTH, {
          error: `must be at most ${MAX_MESSAGE_LENGTH} characters (Chatwoot's limit)`,
        }),
      messageType: z
        .enum(MESSAGE_TYPES, { error: `must be one of ${MESSAGE_TYPES.join(", ")}` })
        .optional()
        .default("outgoing"),
      private: flag().optional(),
      contentType: z.enum(CONTENT_TYPES, { error: `must be one of ${CONTENT_TYPES.join(", ")}` }).optional(),
      contentAttributes: jsonObject().optional(),
    },
    { error: "must be an object with content and messageType" },
  )
  .strict()
  .transform(normalizeMessage);

/** Drops default values so that a program's message and Chatwoot's compare equal. */
export function normalizeMessage(message: {
  content: string;
  messageType: SeedMessage["messageType"];
  private?: boolean | undefined;
  contentType?: (typeof CONTENT_TYPES)[number] | undefined;
  contentAttributes?: Record<string, unknown> | undefined;
}): SeedMessage {
  const normalized: SeedMessage = { content: message.content, messageType: message.messageType };
  if (message.private === true) normalized.private = true;
  if (message.contentType !== undefined && message.contentType !== "text")
    normalized.contentType = message.contentType;
  if (message.contentAttributes !== undefined && Object.keys(message.contentAttributes).length > 0) {
    normalized.contentAttributes = message.contentAttributes;
  }
  return normalized;
}

/** An ISO 8601 date-time, normalised to whole seconds in UTC (Chatwoot's resolution). */
const dateTime = () =>
  z
    .string({ error: "must be an ISO 8601 date-time string" })
    .refine((text) => !Number.isNaN(Date.parse(text)), {
      error: "must be an ISO 8601 date-time such as 2030-01-01T09:00:00Z",
    })
    .transform((text) => toIsoSeconds(Date.parse(text)));

export function toIsoSeconds(milliseconds: number): string {
  return new Date(Math.floor(milliseconds / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export const conversationFieldSchemas = {
  accountId: positiveId(),
  inboxId: positiveId(),
  contactId: positiveId(),
  sourceId: nonEmptyShortText(),
  status: z.enum(STATUSES, { error: `must be one of ${STATUSES.join(", ")}` }),
  snoozedUntil: dateTime(),
  priority: z.enum(PRIORITIES, { error: `must be one of ${PRIORITIES.join(", ")}` }),
  labels: labelSet(),
  assigneeId: positiveId(),
  teamId: positiveId(),
  customAttributes: attributeValues(),
  additionalAttributes: attributeValues().refine((attributes) => !(SEED_MARKER_KEY in attributes), {
    error: `must not use the key ${SEED_MARKER_KEY}, which the provider writes itself`,
  }),
  messages: z
    .array(seedMessage, { error: "must be a list of messages" })
    .min(1, { error: "must hold at least one message: Chatwoot shows no conversation without one" }),
} satisfies Record<keyof ConversationInputs, z.ZodType>;

/** How each field behaves; the README's Conversation table is generated from this. */
export const conversationFields: FieldSpecs = {
  accountId: {
    type: "number",
    behaviour: "replace",
    description: "Account. Defaults to `chatwoot:accountId`.",
    whenOmitted: { kind: "unmanaged" },
  },
  inboxId: {
    type: "number",
    behaviour: "replace",
    description: "Inbox (required).",
    whenOmitted: { kind: "unmanaged" },
  },
  contactId: {
    type: "number",
    behaviour: "replace",
    description: "Contact (required), e.g. `contact.contactId`.",
    whenOmitted: { kind: "unmanaged" },
  },
  sourceId: {
    type: "string",
    behaviour: "replace",
    description:
      "Source id of the contact inbox to use. Left out: the contact's existing contact inbox in that inbox, " +
      "else a new one (chosen once, then kept).",
    whenOmitted: { kind: "unmanaged" },
  },
  status: {
    type: "string",
    behaviour: "update",
    description: "`open`, `resolved`, `pending` or `snoozed`. Left out: `open`.",
    whenOmitted: { kind: "empty", value: "open" },
  },
  snoozedUntil: {
    type: "string",
    behaviour: "update",
    description:
      "With `status: snoozed`: when the conversation wakes up (ISO 8601). Left out: until the next reply. " +
      "Chatwoot reopens it at that time, which a refresh then shows as drift.",
    whenOmitted: { kind: "empty", value: undefined },
  },
  priority: {
    type: "string",
    behaviour: "update",
    description: "`low`, `medium`, `high` or `urgent`. Left out: none.",
    whenOmitted: { kind: "empty", value: undefined },
  },
  labels: {
    type: "string[]",
    behaviour: "update",
    description:
      "Labels, replaced as a set; lower-cased and compared ignoring case, as on `Contact` " +
      "(see [Labels](#labels)).",
    whenOmitted: { kind: "empty", value: [] },
  },
  assigneeId: {
    type: "number",
    behaviour: "update",
    description:
      "Assigned agent's user id. Left out: unassigned (also undoing Chatwoot's self-assignment when an agent " +
      "token reopens a conversation).",
    whenOmitted: { kind: "empty", value: undefined },
  },
  teamId: {
    type: "number",
    behaviour: "update",
    description: "Team id. Left out: none.",
    whenOmitted: { kind: "empty", value: undefined },
  },
  customAttributes: {
    type: "object",
    behaviour: "update",
    description: "Custom attributes, replaced as a whole (text ≤ 1500 characters, integers ≤ 9,999,999,999).",
    whenOmitted: { kind: "empty", value: {} },
  },
  additionalAttributes: {
    type: "object",
    behaviour: "replace",
    description: `Additional attributes; Chatwoot only takes them at creation. The provider adds \`${SEED_MARKER_KEY}\`.`,
    whenOmitted: { kind: "empty", value: {} },
  },
  messages: {
    type: "message[]",
    behaviour: "update",
    description:
      "The transcript, posted in order: `{content, messageType: incoming|outgoing, private?, contentType?, " +
      "contentAttributes?}`. Messages added at the end are posted in place; any change to a message already " +
      "posted (or a removed one) replaces the conversation, because Chatwoot cannot edit or backdate messages.",
  },
  conversationId: {
    type: "number",
    behaviour: "computed",
    description: "Display id, as in Chatwoot's URLs.",
  },
  uuid: { type: "string", behaviour: "computed", description: "Chatwoot's conversation uuid." },
  url: {
    type: "string",
    behaviour: "computed",
    description: "The conversation's page in the Chatwoot dashboard.",
  },
  messageIds: {
    type: "number[]",
    behaviour: "computed",
    description: "Ids of the seeded messages, in order.",
  },
  messageContents: {
    type: "string[]",
    behaviour: "computed",
    description:
      "The seeded messages' content as Chatwoot stored it, in order: outgoing messages with Liquid " +
      "(`{{contact.name}}`) rendered. `messages` keeps the text as declared (see [Liquid](#liquid-in-messages)).",
  },
  seedId: {
    type: "string",
    behaviour: "computed",
    description: `Marker stored as \`${SEED_MARKER_KEY}\`, used to find the conversation after a lost answer.`,
  },
};
