import type { Store } from "../store/store";
import type { Account, Contact, Conversation, Inbox, Message, MessageSender } from "../store/types";
import { canReply } from "../views/conversations";
import { contactPushData } from "../views/contacts";
import { countUnreadIncoming, messagePushData } from "../views/messages";
import { floatSeconds, isoTime, isoTimeOrNull, unixSeconds, unixSecondsOrZero } from "../views/time";
import { agentBotPushData, userPushData } from "../views/users";

/**
 * The bodies Chatwoot POSTs to an API inbox's `webhook_url`, key for key in Chatwoot's order (the
 * body is `payload.to_json`, so the order is the hash's). Sources, chatwoot 4.14 (HEAD):
 * - `app/listeners/webhook_listener.rb`: `message.webhook_data.merge(event:)`,
 *   `conversation.webhook_data.merge(event:[, changed_attributes:])`;
 * - `app/models/message.rb#webhook_data`, `#webhook_push_event_data`;
 * - `app/presenters/conversations/event_data_presenter.rb#push_data`, `#webhook_data`;
 * - `webhook_data` of `Account`, `Inbox` (`{id, name}`), `Contact`, `User` (`{id, name, email, type}`).
 * Times inside hashes are ActiveSupport JSON: ISO 8601 with milliseconds.
 */

export type WebhookEvent =
  | "message_created"
  | "message_updated"
  | "conversation_created"
  | "conversation_status_changed"
  | "conversation_updated";

/** `BaseListener#extract_changed_attributes`: `[{ key => { previous_value:, current_value: } }]`. */
export type ChangedAttributes = Array<Record<string, { previous_value: unknown; current_value: unknown }>>;

const nameOf = (record: { id: number; name: string }) => ({ id: record.id, name: record.name });

/** `Contact#webhook_data`. */
function contactWebhookData(contact: Contact, account: Account): Record<string, unknown> {
  return {
    account: nameOf(account),
    additional_attributes: contact.additionalAttributes,
    avatar: "",
    custom_attributes: contact.customAttributes,
    email: contact.email,
    id: contact.id,
    identifier: contact.identifier,
    name: contact.name,
    phone_number: contact.phoneNumber,
    thumbnail: "",
    blocked: contact.blocked,
  };
}

/** `sender.try(:webhook_data)`: contacts and users have one; an `AgentBot` sender has `webhook_data` too (bot.rb). */
function senderWebhookData(sender: MessageSender | null, account: Account): Record<string, unknown> | null {
  if (sender === null) return null;
  switch (sender.kind) {
    case "contact":
      return contactWebhookData(sender.contact, account);
    case "user":
      return { id: sender.user.id, name: sender.user.name, email: sender.user.email, type: "user" };
    case "bot":
      return { id: sender.bot.id, name: sender.bot.name, type: "agent_bot" };
  }
}

/** `Messages::WebhookContentNormalizer.normalize`: hard line breaks and trailing newlines removed. */
export function normalizeWebhookContent(text: string | null): string | null {
  if (text === null || text.trim() === "") return text;
  return text.replace(/\\\r?\n/g, "\n").replace(/(\r?\n)+$/, "");
}

/** `Message#webhook_push_event_data`: `push_event_data` with normalized content. */
function messageWebhookPushData(message: Message, account: Account): Record<string, unknown> {
  return {
    ...messagePushData(message, account),
    content: normalizeWebhookContent(message.content),
    processed_message_content: normalizeWebhookContent(message.processedMessageContent),
  };
}

/** `messages.chat.last`: the latest message that is neither an activity nor private (`scope :chat`). */
function lastChatMessage(conversation: Conversation): Message | undefined {
  for (let index = conversation.messages.length - 1; index >= 0; index -= 1) {
    const message = conversation.messages[index];
    if (message && message.messageType !== "activity" && !message.private) return message;
  }
  return undefined;
}

/** `Conversations::EventDataPresenter#push_meta`. */
function pushMeta(account: Account, conversation: Conversation, store: Store) {
  const bot =
    conversation.assigneeAgentBotId !== null ? account.bots.get(conversation.assigneeAgentBotId) : undefined;
  const user = conversation.assigneeId !== null ? store.users.get(conversation.assigneeId) : undefined;
  let assignee: Record<string, unknown> | null = null;
  let assigneeType: string | null = null;
  if (bot) {
    assignee = agentBotPushData(bot);
    assigneeType = "AgentBot";
  } else if (user) {
    assignee = userPushData(user, account.members.get(user.id));
    assigneeType = "User";
  }
  const team = conversation.teamId !== null ? account.teams.get(conversation.teamId) : undefined;
  return {
    sender: contactPushData(conversation.contact),
    assignee,
    assignee_type: assigneeType,
    team: team ? { id: team.id, name: team.name } : null,
    hmac_verified: conversation.contactInbox.hmacVerified,
  };
}

/** `Conversation#webhook_data`: `push_data` with webhook messages, then the account. */
export function conversationWebhookData(
  account: Account,
  conversation: Conversation,
  store: Store,
  nowMs: number,
): Record<string, unknown> {
  const session = conversation.contactInbox;
  const latest = lastChatMessage(conversation);
  return {
    additional_attributes: conversation.additionalAttributes,
    can_reply: canReply(conversation, nowMs),
    channel: conversation.inbox.channel.channelType,
    // The ContactInbox record itself, every column (db/schema.rb order).
    contact_inbox: {
      id: session.id,
      contact_id: session.contact.id,
      inbox_id: session.inbox.id,
      source_id: session.sourceId,
      created_at: isoTime(session.createdAtMs),
      updated_at: isoTime(session.updatedAtMs),
      hmac_verified: session.hmacVerified,
      pubsub_token: session.pubsubToken,
    },
    id: conversation.displayId,
    inbox_id: conversation.inbox.id,
    messages: latest ? [messageWebhookPushData(latest, account)] : [],
    labels: conversation.labels,
    meta: pushMeta(account, conversation, store),
    status: conversation.status,
    custom_attributes: conversation.customAttributes,
    snoozed_until: isoTimeOrNull(conversation.snoozedUntilMs),
    unread_count: countUnreadIncoming(conversation),
    first_reply_created_at: isoTimeOrNull(conversation.firstReplyCreatedAtMs),
    priority: conversation.priority,
    waiting_since: unixSecondsOrZero(conversation.waitingSinceMs),
    agent_last_seen_at: unixSecondsOrZero(conversation.agentLastSeenAtMs),
    contact_last_seen_at: unixSecondsOrZero(conversation.contactLastSeenAtMs),
    last_activity_at: unixSeconds(conversation.lastActivityAtMs),
    timestamp: unixSeconds(conversation.lastActivityAtMs),
    created_at: unixSeconds(conversation.createdAtMs),
    updated_at: floatSeconds(conversation.updatedAtMs),
    account: nameOf(account),
  };
}

/** `Message#webhook_data`. */
export function messageWebhookData(
  account: Account,
  inbox: Inbox,
  message: Message,
  store: Store,
  nowMs: number,
): Record<string, unknown> {
  return {
    account: nameOf(account),
    additional_attributes: message.additionalAttributes,
    content_attributes: message.contentAttributes,
    content_type: message.contentType,
    content: normalizeWebhookContent(message.content),
    conversation: conversationWebhookData(account, message.conversation, store, nowMs),
    created_at: isoTime(message.createdAtMs),
    id: message.id,
    inbox: nameOf(inbox),
    message_type: message.messageType,
    private: message.private,
    sender: senderWebhookData(message.sender, account),
    source_id: message.sourceId,
  };
}

/** `MessageFilterHelpers#webhook_sendable?`: incoming, outgoing and template messages. */
export function webhookSendable(message: Message): boolean {
  return message.messageType !== "activity";
}
