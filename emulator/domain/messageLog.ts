import type { Conversation, Message } from "../store/types";

/** Keeps a conversation's messages ordered by creation and indexed by id. */
export function appendMessage(conversation: Conversation, message: Message): void {
  conversation.messages.push(message);
  conversation.messagesById.set(message.id, message);
}

/**
 * `Message#prevent_message_flooding`: no more than `limit` messages (of any type) per conversation
 * within the last minute.
 */
export function exceedsFloodLimit(conversation: Conversation, limit: number, nowMs: number): boolean {
  const cutoff = nowMs - 60_000;
  let recent = 0;
  for (let index = conversation.messages.length - 1; index >= 0; index -= 1) {
    const message = conversation.messages[index];
    if (!message || message.createdAtMs < cutoff) break;
    recent += 1;
    if (recent >= limit) return true;
  }
  return false;
}
