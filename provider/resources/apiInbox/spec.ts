import { z } from "zod";
import { flag, nonEmptyShortText, positiveId } from "../../validation/rules";
import type { FieldSpecs } from "../fields";

/** An API inbox's inputs as the provider receives them (plain values, after `check`). */
export interface ApiInboxInputs {
  accountId?: number;
  name?: string;
  webhookUrl?: string;
  hmacMandatory?: boolean;
  lockToSingleConversation?: boolean;
  allowMessagesAfterResolved?: boolean;
  greetingEnabled?: boolean;
  greetingMessage?: string;
  enableAutoAssignment?: boolean;
  agentIds?: number[];
  adopt?: boolean;
}

/** An API inbox's outputs: every input as Chatwoot stored it, plus what Chatwoot generated. */
export interface ApiInboxOutputs {
  inboxId: number;
  accountId: number;
  name: string;
  webhookUrl?: string;
  hmacMandatory: boolean;
  lockToSingleConversation: boolean;
  allowMessagesAfterResolved: boolean;
  greetingEnabled: boolean;
  greetingMessage?: string;
  enableAutoAssignment: boolean;
  agentIds?: number[];
  adopt?: boolean;
  /** The channel's public identifier, used by Chatwoot's client API (`/public/api/v1/inboxes/:id`). */
  inboxIdentifier: string;
  /** Key for the `identifier_hash` of contacts (administrators only). */
  hmacToken?: string;
  /** Key of the `X-Chatwoot-Signature` on callbacks (Chatwoot 4.13 and later; administrators only). */
  secret?: string;
  adopted: boolean;
}

/** `Limits::URL_LENGTH_LIMIT`, which `Channel::Api` applies to `webhook_url`. */
const URL_LENGTH_LIMIT = 2048;
/** `Limits::GREETING_MESSAGE_MAX_LENGTH`, which `Inbox` applies to `greeting_message`. */
const GREETING_MESSAGE_MAX_LENGTH = 10_000;

/** Chatwoot only checks the length; anything else would fail at the first callback instead. */
const webhookUrl = () =>
  z
    .string({ error: "must be a string" })
    .max(URL_LENGTH_LIMIT, { error: `must be at most ${URL_LENGTH_LIMIT} characters` })
    .refine(
      (value) => {
        try {
          const url = new URL(value);
          return url.protocol === "http:" || url.protocol === "https:";
        } catch {
          return false;
        }
      },
      { error: "must be an http or https URL such as https://example.com/chatwoot-callback" },
    );

/** `Inbox` validates the name's presence: blank (whitespace-only) names are refused. */
const inboxName = () =>
  nonEmptyShortText().refine((value) => value.trim() !== "", { error: "must not be blank" });

/** Members as a set: duplicates dropped, sorted, so the order in the program does not matter. */
const agentIdSet = () =>
  z
    .array(positiveId(), { error: "must be a list of user ids" })
    .transform((ids) => [...new Set(ids)].sort((a, b) => a - b));

export const apiInboxFieldSchemas = {
  accountId: positiveId(),
  name: inboxName(),
  webhookUrl: webhookUrl(),
  hmacMandatory: flag(),
  lockToSingleConversation: flag(),
  allowMessagesAfterResolved: flag(),
  greetingEnabled: flag(),
  greetingMessage: z
    .string({ error: "must be a string" })
    .max(GREETING_MESSAGE_MAX_LENGTH, { error: `must be at most ${GREETING_MESSAGE_MAX_LENGTH} characters` }),
  enableAutoAssignment: flag(),
  agentIds: agentIdSet(),
  adopt: flag(),
} satisfies Record<keyof ApiInboxInputs, z.ZodType>;

/** How each field behaves; the README's ApiInbox table is generated from this. */
export const apiInboxFields: FieldSpecs = {
  accountId: {
    type: "number",
    behaviour: "replace",
    description: "Account to create the inbox in. Defaults to `chatwoot:accountId`.",
    whenOmitted: { kind: "unmanaged" },
  },
  name: {
    type: "string",
    behaviour: "update",
    description:
      "Inbox name (required). The provider keeps it unique among the account's inboxes: it is how a lost " +
      "create and `adopt` find the inbox, and how `getInbox` finds it by name.",
    whenOmitted: { kind: "unmanaged" },
  },
  webhookUrl: {
    type: "string",
    behaviour: "update",
    description:
      "Callback URL: Chatwoot POSTs `message_created`, `message_updated`, `conversation_created`, " +
      "`conversation_status_changed` and `conversation_updated` events there. Left out: none.",
    whenOmitted: { kind: "empty", value: undefined },
  },
  hmacMandatory: {
    type: "boolean",
    behaviour: "update",
    description:
      "Whether contacts created through the client API must carry an `identifier_hash`. Left out: `false`.",
    whenOmitted: { kind: "empty", value: false },
  },
  lockToSingleConversation: {
    type: "boolean",
    behaviour: "update",
    description: "One conversation per contact: new messages reopen it. Left out: `false`.",
    whenOmitted: { kind: "empty", value: false },
  },
  allowMessagesAfterResolved: {
    type: "boolean",
    behaviour: "update",
    description:
      "Whether contacts may write to a resolved conversation. Left out: `true` (Chatwoot's default).",
    whenOmitted: { kind: "empty", value: true },
  },
  greetingEnabled: {
    type: "boolean",
    behaviour: "update",
    description: "Whether Chatwoot greets new conversations with `greetingMessage`. Left out: `false`.",
    whenOmitted: { kind: "empty", value: false },
  },
  greetingMessage: {
    type: "string",
    behaviour: "update",
    description: "The greeting (up to 10,000 characters). Left out: none.",
    whenOmitted: { kind: "empty", value: undefined },
  },
  enableAutoAssignment: {
    type: "boolean",
    behaviour: "update",
    description:
      "Whether Chatwoot assigns new conversations to members in turn. Left out: `true` (Chatwoot's default).",
    whenOmitted: { kind: "empty", value: true },
  },
  agentIds: {
    type: "number[]",
    behaviour: "update",
    description:
      "User ids of the inbox's members (agents), replaced as a set. Left out: Chatwoot's members are kept.",
    whenOmitted: { kind: "unmanaged" },
  },
  adopt: {
    type: "boolean",
    behaviour: "create-only",
    description:
      "On create, take over the account's API inbox of the same name instead of failing on the clash.",
  },
  inboxId: { type: "number", behaviour: "computed", description: "Chatwoot's inbox id." },
  inboxIdentifier: {
    type: "string",
    behaviour: "computed",
    description:
      "The channel's public identifier, for Chatwoot's client API (`/public/api/v1/inboxes/<id>`).",
  },
  hmacToken: {
    type: "string",
    behaviour: "computed",
    description: "Secret. Key of contacts' `identifier_hash` (HMAC-SHA256 of their identifier).",
  },
  secret: {
    type: "string",
    behaviour: "computed",
    description:
      "Secret. Key of the `X-Chatwoot-Signature` header on callbacks; Chatwoot 4.13 and later (absent before).",
  },
  adopted: {
    type: "boolean",
    behaviour: "computed",
    description: "Whether create adopted an existing inbox.",
  },
};
