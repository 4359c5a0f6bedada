import type { Account, Message, MessageSender } from "../store/types";
import { MESSAGE_TYPES } from "../store/types";
import { contactPushData } from "./contacts";
import { agentBotPushData, userPushData } from "./users";
import { isoTime, unixSeconds } from "./time";

export function messageTypeCode(message: Message): number {
  return MESSAGE_TYPES.indexOf(message.messageType);
}

export function senderPushData(sender: MessageSender, account: Account): Record<string, unknown> {
  switch (sender.kind) {
    case "user":
      return userPushData(sender.user, account.members.get(sender.user.id));
    case "contact":
      return contactPushData(sender.contact);
    case "bot":
      return agentBotPushData(sender.bot);
  }
}

function senderType(sender: MessageSender | null): string | null {
  if (!sender) return null;
  return sender.kind === "user" ? "User" : sender.kind === "contact" ? "Contact" : "AgentBot";
}

function senderId(sender: MessageSender | null): number | null {
  if (!sender) return null;
  return sender.kind === "user"
    ? sender.user.id
    : sender.kind === "contact"
      ? sender.contact.id
      : sender.bot.id;
}

/** `_message.json.jbuilder`: the message as the messages endpoints render it (`message_type` is the integer). */
export function messageView(message: Message, account: Account): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: message.id,
    content: message.content,
    inbox_id: message.inboxId,
  };
  if (message.echoId !== undefined) view.echo_id = message.echoId;
  Object.assign(view, {
    conversation_id: message.conversation.displayId,
    message_type: messageTypeCode(message),
    content_type: message.contentType,
    status: message.status,
    content_attributes: message.contentAttributes,
    created_at: unixSeconds(message.createdAtMs),
    private: message.private,
    source_id: message.sourceId,
  });
  if (message.sender) view.sender = senderPushData(message.sender, account);
  return view;
}

/** Incoming messages the agents have not seen yet, capped at 10 as `last(10)` does. */
export function countUnreadIncoming(conversation: Message["conversation"]): number {
  const seenAt = conversation.agentLastSeenAtMs;
  let count = 0;
  for (let index = conversation.messages.length - 1; index >= 0 && count < 10; index -= 1) {
    const candidate = conversation.messages[index];
    if (!candidate) continue;
    if (seenAt !== null && candidate.createdAtMs <= seenAt) break;
    if (candidate.messageType === "incoming") count += 1;
  }
  return count;
}

/** `Message#push_event_data`: the raw row plus a small conversation object, used inside conversations. */
export function messagePushData(message: Message, account: Account): Record<string, unknown> {
  const conversation = message.conversation;
  const data: Record<string, unknown> = {
    id: message.id,
    content: message.content,
    account_id: message.accountId,
    inbox_id: message.inboxId,
    conversation_id: conversation.displayId,
    message_type: messageTypeCode(message),
    created_at: unixSeconds(message.createdAtMs),
    updated_at: isoTime(message.updatedAtMs),
    private: message.private,
    status: message.status,
    source_id: message.sourceId,
    content_type: message.contentType,
    content_attributes: message.contentAttributes,
    sender_type: senderType(message.sender),
    sender_id: senderId(message.sender),
    external_source_ids: {},
    additional_attributes: message.additionalAttributes,
    processed_message_content: message.processedMessageContent,
    sentiment: {},
    conversation: {
      assignee_id: conversation.assigneeId,
      unread_count: countUnreadIncoming(conversation),
      last_activity_at: unixSeconds(conversation.lastActivityAtMs),
      contact_inbox: { source_id: conversation.contactInbox.sourceId },
    },
  };
  if (message.echoId !== undefined) data.echo_id = message.echoId;
  if (message.sender) data.sender = senderPushData(message.sender, account);
  return data;
}
