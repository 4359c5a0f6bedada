import {
  castBoolean,
  castString,
  isPlainObject,
  isPresent,
  permittedScalar,
  rubyToS,
  type JsonObject,
} from "../http/rubyish";
import type {
  Contact,
  ContentType,
  Conversation,
  JsonMap,
  Message,
  MessageSender,
  MessageTypeName,
} from "../store/types";
import { CONTENT_TYPES, MESSAGE_TYPES } from "../store/types";
import type { Actor } from "./actor";
import type { DomainContext } from "./conversations";
import { emitUpdateEvents, trackedColumns, updateConversation } from "./conversations";
import { addEmailAddresses, addEmailContent, InvalidEmailAddressError } from "./emailMessages";
import { messageDrops, renderLiquid } from "./liquid";
import { appendMessage, exceedsFloodLimit } from "./messageLog";
import { checkColumnLength, TEXT_COLUMN_LIMIT, ValidationErrors } from "./validation";

/**
 * `Messages::MessageBuilder` + `Message` model callbacks. Errors come in two kinds because callers
 * render them differently: validation failures (`RecordInvalid`) and any other exception.
 */
export class MessageBuildError extends Error {
  constructor(
    message: string,
    readonly validation: ValidationErrors | null,
  ) {
    super(message);
    this.name = "MessageBuildError";
  }
}

const CONTENT_LIMIT = 150_000;
const SELECT_ITEM_KEYS = ["title", "value"];
const CARD_ITEM_KEYS = ["title", "description", "media_url", "actions"];
const CARD_ACTION_KEYS = ["text", "type", "payload", "uri"];
const FORM_ITEM_KEYS = [
  "type",
  "placeholder",
  "label",
  "name",
  "options",
  "default",
  "required",
  "pattern",
  "title",
  "pattern_error",
];
const ARTICLE_ITEM_KEYS = ["title", "description", "link"];

function rubySymbolList(keys: string[]): string {
  return `[${keys.map((key) => `:${key}`).join(", ")}]`;
}

/** Rails enum assignment: a name or its integer; anything else is an `ArgumentError`. */
function castEnum<T extends string>(values: readonly T[], raw: unknown, attribute: string): T | null {
  if (raw === undefined || raw === null || raw === "") return null;
  if (typeof raw === "string" && (values as readonly string[]).includes(raw)) return raw as T;
  if (typeof raw === "number" && Number.isInteger(raw) && values[raw] !== undefined) return values[raw] as T;
  throw new MessageBuildError(`'${rubyToS(raw)}' is not a valid ${attribute}`, null);
}

/** `content_attributes` may arrive as an object or as a JSON string; anything else counts as `{}`. */
function readContentAttributes(raw: unknown): JsonMap {
  if (typeof raw === "string") {
    try {
      const parsed: unknown = JSON.parse(raw);
      return isPlainObject(parsed) ? parsed : {};
    } catch {
      return {};
    }
  }
  return isPlainObject(raw) ? { ...raw } : {};
}

/**
 * `items: @items, in_reply_to: @in_reply_to` of `message_params` before the builder kept every key:
 * store accessors that write nothing for `nil`.
 */
function legacyContentAttributes(sent: JsonMap): JsonMap {
  const kept: JsonMap = {};
  for (const key of ["items", "in_reply_to"]) {
    if (sent[key] !== undefined && sent[key] !== null) kept[key] = sent[key];
  }
  return kept;
}

/** `ContentAttributeValidator` for the structured content types. */
function validateContentAttributes(
  errors: ValidationErrors,
  contentType: ContentType,
  attributes: JsonMap,
): void {
  const allowedKeys: Partial<Record<ContentType, string[]>> = {
    input_select: SELECT_ITEM_KEYS,
    cards: CARD_ITEM_KEYS,
    form: FORM_ITEM_KEYS,
    article: ARTICLE_ITEM_KEYS,
  };
  const allowed = allowedKeys[contentType];
  if (!allowed) return;
  const items = attributes.items;
  if (!isPresent(items)) errors.add("content_attributes", "At least one item is required.");
  if (!Array.isArray(items)) {
    // `nil.reject` — the validator itself crashes; the messages controller reports the exception.
    throw new MessageBuildError(
      `undefined method 'reject' for ${items === undefined || items === null ? "nil" : "an instance of String"}`,
      null,
    );
  }
  if (items.some((item) => !isPlainObject(item))) errors.add("content_attributes", "Items should be a hash.");
  const hashes = items.filter(isPlainObject);
  const invalid = hashes.flatMap((item) => Object.keys(item)).filter((key) => !allowed.includes(key));
  if (invalid.length > 0)
    errors.add("content_attributes", `contains invalid keys for items : ${rubySymbolList(invalid)}`);
  if (contentType === "cards") {
    if (hashes.some((item) => !isPresent(item.actions))) {
      errors.add("content_attributes", "contains items missing actions");
      return;
    }
    const actionKeys = hashes.flatMap((item) =>
      (Array.isArray(item.actions) ? item.actions : []).flatMap((action: unknown) =>
        isPlainObject(action) ? Object.keys(action) : [],
      ),
    );
    const invalidActions = actionKeys.filter((key) => !CARD_ACTION_KEYS.includes(key));
    if (invalidActions.length > 0) {
      errors.add(
        "content_attributes",
        `contains invalid keys for actions:  ${rubySymbolList(invalidActions)}`,
      );
    }
  }
}

/** A text column fed from a request value (`true` becomes `"t"`, as ActiveModel casts it). */
function textValue(raw: unknown): string | null {
  if (raw === undefined || raw === null) return null;
  const scalar = permittedScalar(raw);
  if (scalar === undefined) return rubyToS(raw);
  return castString(scalar);
}

export interface MessageAuthor {
  /** `Current.user || @resource`: the user or bot making the request (null for system work). */
  actor: Actor | null;
}

/**
 * Builds, validates and stores a message, then runs the after-create callbacks: reopening a
 * resolved/snoozed conversation on an incoming message, `last_activity_at`, first reply and
 * waiting-since bookkeeping, and the contact's `last_activity_at`.
 */
export function createMessage(
  dctx: DomainContext,
  conversation: Conversation,
  params: JsonObject,
  author: MessageAuthor,
): Message {
  const rawType =
    params.message_type === undefined || params.message_type === null || params.message_type === false
      ? "outgoing"
      : params.message_type;
  if (conversation.inbox.channel.kind !== "api" && rawType === "incoming") {
    throw new MessageBuildError("Incoming messages are only allowed in Api inboxes", null);
  }
  const sender = resolveSender(dctx, conversation, params, author, rawType === "outgoing");
  const messageType = castEnum<MessageTypeName>(MESSAGE_TYPES, rawType, "message_type");
  const release = dctx.store.release;
  // Enum values are positional, so a release without `voice_call` (its last value) knows the rest.
  const contentTypes = release.voiceCallContentType
    ? CONTENT_TYPES
    : CONTENT_TYPES.filter((type) => type !== "voice_call");
  const contentType = castEnum<ContentType>(contentTypes, params.content_type, "content_type") ?? "text";
  if (messageType === null) {
    throw new MessageBuildError(
      'PG::NotNullViolation: ERROR:  null value in column "message_type" of relation "messages" violates not-null constraint',
      null,
    );
  }

  const sent = readContentAttributes(params.content_attributes);
  // Before the builder stored `content_attributes` as sent, only `items` and `in_reply_to` were taken.
  const contentAttributes = release.messageKeepsContentAttributes ? sent : legacyContentAttributes(sent);
  if (isPresent(params.external_created_at))
    contentAttributes.external_created_at = params.external_created_at;
  const emailInbox = conversation.inbox.channel.kind === "email";
  if (emailInbox) {
    try {
      addEmailAddresses(contentAttributes, params);
    } catch (error) {
      if (error instanceof InvalidEmailAddressError) throw new MessageBuildError(error.message, null);
      throw error;
    }
  }
  const additionalAttributes: JsonMap = {};
  if (isPresent(params.campaign_id)) additionalAttributes.campaign_id = params.campaign_id;
  if (isPresent(params.template_params)) additionalAttributes.template_params = params.template_params;

  const content = textValue(params.content);
  const sourceId = textValue(params.source_id);
  const now = Date.now();

  const errors = new ValidationErrors();
  checkColumnLength(errors, "source_id", sourceId, TEXT_COLUMN_LIMIT);
  if (exceedsFloodLimit(conversation, dctx.messagesPerMinuteLimit, now))
    errors.add("base", "Too many messages");
  validateContentAttributes(errors, contentType, contentAttributes);
  checkColumnLength(errors, "content", content, CONTENT_LIMIT);
  if (!errors.empty)
    throw new MessageBuildError(`Validation failed: ${errors.fullMessages().join(", ")}`, errors);

  const message: Message = {
    id: dctx.store.nextId("messages"),
    accountId: conversation.accountId,
    inboxId: conversation.inbox.id,
    conversation,
    content,
    messageType,
    contentType,
    status: "sent",
    private: castBoolean(params.private) ?? false,
    sourceId,
    contentAttributes,
    additionalAttributes,
    processedMessageContent: content,
    sender,
    createdAtMs: now,
    updatedAtMs: now,
  };
  if (emailInbox) addEmailContent(message, params, dctx.account);
  processLiquid(dctx, message);
  if (params.echo_id !== undefined && params.echo_id !== null && params.echo_id !== false) {
    // `attr_accessor :echo_id`: part of this request's answer only, never stored.
    message.echoId = params.echo_id;
    dctx.defer(() => {
      delete message.echoId;
    });
  }
  appendMessage(conversation, message);
  runAfterCreateCallbacks(dctx, message, author.actor);
  return message;
}

/**
 * `Liquidable`'s `before_create` callbacks: outgoing and template messages with content get it
 * rendered with the drops, and so do the strings of `template_params.processed_params`. It runs
 * after validation and after `processed_message_content` was set (a `before_save`), so that one
 * keeps the template as written.
 */
function processLiquid(dctx: DomainContext, message: Message): void {
  if (message.messageType !== "outgoing" && message.messageType !== "template") return;
  const drops = () => {
    const assignee =
      message.conversation.assigneeId === null
        ? undefined
        : dctx.store.users.get(message.conversation.assigneeId);
    const sender = message.sender;
    const agent =
      sender?.kind === "user"
        ? { user: sender.user }
        : sender?.kind === "bot"
          ? { bot: sender.bot }
          : assignee
            ? { user: assignee }
            : null;
    return messageDrops({ conversation: message.conversation, account: dctx.account, agent });
  };
  if (isPresent(message.content)) message.content = renderLiquid(message.content as string, drops());
  const templateParams = message.additionalAttributes.template_params;
  if (isPlainObject(templateParams) && isPresent(templateParams.processed_params)) {
    const processed = templateParams.processed_params;
    if (isPlainObject(processed)) {
      const scope = drops();
      message.additionalAttributes.template_params = {
        ...templateParams,
        processed_params: renderLiquidValues(processed, scope),
      };
    }
  }
}

/** `process_liquid_in_hash`: strings rendered (blank ones kept), hashes and arrays walked. */
function renderLiquidValues(value: unknown, drops: JsonMap): unknown {
  if (typeof value === "string") return isPresent(value) ? renderLiquid(value, drops) : value;
  if (Array.isArray(value)) return value.map((item) => renderLiquidValues(item, drops));
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, renderLiquidValues(item, drops)]),
    );
  }
  return value;
}

function resolveSender(
  dctx: DomainContext,
  conversation: Conversation,
  params: JsonObject,
  author: MessageAuthor,
  outgoing: boolean,
): MessageSender | null {
  if (!outgoing) return { kind: "contact", contact: conversation.contact };
  if (params.sender_type === "AgentBot") {
    const bot = dctx.account.bots.get(Number(params.sender_id));
    if (bot) return { kind: "bot", bot };
  }
  const actor = author.actor;
  if (actor?.user) return { kind: "user", user: actor.user };
  if (actor?.bot) return { kind: "bot", bot: actor.bot };
  return null;
}

function isHumanResponse(message: Message): boolean {
  return (
    message.messageType === "outgoing" &&
    !isPresent(message.contentAttributes.automation_rule_id) &&
    !isPresent(message.additionalAttributes.campaign_id) &&
    (message.sender?.kind === "user" || isPresent(message.contentAttributes.external_echo))
  );
}

function isValidFirstReply(message: Message): boolean {
  const conversation = message.conversation;
  if (!isHumanResponse(message) || message.private) return false;
  if (conversation.firstReplyCreatedAtMs !== null) return false;
  const humanReplies = conversation.messages.filter(
    (candidate) =>
      candidate.messageType === "outgoing" &&
      candidate.sender?.kind !== "bot" &&
      !candidate.private &&
      !isPresent(candidate.additionalAttributes.campaign_id),
  ).length;
  return humanReplies <= 1;
}

function runAfterCreateCallbacks(dctx: DomainContext, message: Message, actor: Actor | null): void {
  const conversation = message.conversation;
  reopenConversation(dctx, message, actor);
  conversation.lastActivityAtMs = message.createdAtMs;
  conversation.updatedAtMs = Date.now();
  // `dispatch_create_events`: message_created, then the first-reply or waiting-since update,
  // which is a `conversation.update` and so a conversation_updated when it changes something.
  dctx.emit({ name: "message_created", message });
  const columnsBefore = trackedColumns(conversation);
  const updatedAtBeforeMs = conversation.updatedAtMs;
  if (isValidFirstReply(message)) {
    conversation.firstReplyCreatedAtMs = message.createdAtMs;
    conversation.waitingSinceMs = null;
  } else {
    if (conversation.waitingSinceMs !== null && !message.private) {
      const botResponse = message.messageType === "outgoing" && message.sender?.kind === "bot";
      if (isHumanResponse(message) || botResponse) conversation.waitingSinceMs = null;
    }
    if (message.messageType === "incoming" && conversation.waitingSinceMs === null) {
      conversation.waitingSinceMs = message.createdAtMs;
    }
  }
  emitUpdateEvents(dctx, conversation, columnsBefore, false, updatedAtBeforeMs);
  if (message.sender?.kind === "contact") touchContact(message.sender.contact);
}

function touchContact(contact: Contact): void {
  contact.lastActivityAtMs = Date.now();
}

/** `Message#reopen_conversation`: incoming messages reopen snoozed and resolved conversations unless muted. */
function reopenConversation(dctx: DomainContext, message: Message, actor: Actor | null): void {
  const conversation = message.conversation;
  if (conversation.contact.blocked || message.messageType !== "incoming") return;
  if (conversation.status === "snoozed") {
    updateConversation(dctx, conversation, { status: "open" }, actor);
  }
  if (conversation.status === "resolved") {
    const byContact = !message.private && message.sender?.kind === "contact";
    updateConversation(dctx, conversation, { status: "open" }, actor, { reopenedByContact: byContact });
  }
}
