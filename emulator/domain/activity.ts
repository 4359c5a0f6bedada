import type { Store } from "../store/store";
import type { Conversation, ConversationStatus, Message, Priority } from "../store/types";
import { appendMessage, exceedsFloodLimit } from "./messageLog";

/**
 * Activity messages (`Conversations::ActivityMessageJob`). Chatwoot creates them in a background
 * job; the emulator creates them right after the response is rendered, so they never show up in the
 * response of the request that caused them but are visible to the next one.
 */

export const STATUS_ACTIVITY: Record<ConversationStatus, (userName: string) => string> = {
  open: (userName) => `Conversation was reopened by ${userName}`,
  resolved: (userName) => `Conversation was marked resolved by ${userName}`,
  pending: (userName) => `Conversation was marked as pending by ${userName}`,
  snoozed: (userName) => `Conversation was snoozed by ${userName}`,
};

export const SYSTEM_REOPENED = "System reopened the conversation due to a new incoming message.";

export function priorityActivity(
  userName: string,
  before: Priority | null,
  after: Priority | null,
): string | null {
  if (before !== null && after !== null) return `${userName} changed the priority from ${before} to ${after}`;
  if (before === null && after !== null) return `${userName} set the priority to ${after}`;
  if (before !== null && after === null) return `${userName} removed the priority`;
  return null;
}

export function createActivityMessage(
  store: Store,
  conversation: Conversation,
  content: string,
  limitPerMinute: number,
): Message | null {
  // The job's `create!` fails (and the job gives up) once the conversation hits the flood limit.
  if (conversation.deleted || exceedsFloodLimit(conversation, limitPerMinute, Date.now())) return null;
  const now = Date.now();
  const message: Message = {
    id: store.nextId("messages"),
    accountId: conversation.accountId,
    inboxId: conversation.inbox.id,
    conversation,
    content,
    messageType: "activity",
    contentType: "text",
    status: "sent",
    private: false,
    sourceId: null,
    contentAttributes: {},
    additionalAttributes: {},
    processedMessageContent: content,
    sender: null,
    createdAtMs: now,
    updatedAtMs: now,
  };
  appendMessage(conversation, message);
  conversation.lastActivityAtMs = now;
  conversation.updatedAtMs = now;
  return message;
}
