import type { Store } from "../store/store";
import type { Account, Contact, Conversation, ConversationStatus, Message } from "../store/types";
import { availableName } from "../views/users";

/** Plain-text formatting of records for the web view (the markup is built elsewhere). */

export const STATUSES: readonly ConversationStatus[] = ["open", "pending", "snoozed", "resolved"];

const numberFormat = new Intl.NumberFormat("en-US");

export function formatCount(count: number): string {
  return numberFormat.format(count);
}

/** `2024-05-01 10:00:03 UTC`: the emulator has no user time zone, so times are shown in UTC. */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/** `10:00:03`: the time of day of a transcript message (its day is shown once, above it). */
export function formatClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** `2024-05-01`: the (UTC) day of a transcript message. */
export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function truncate(text: string, maxLength: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= maxLength ? flat : `${flat.slice(0, maxLength - 1)}…`;
}

/** Chatwoot allows nameless contacts; the id keeps them apart. */
export function contactName(contact: Contact): string {
  return contact.name !== null && contact.name.trim() !== "" ? contact.name : `Contact #${contact.id}`;
}

/** The assignee as Chatwoot shows it: a bot, or a user only while still a member of the account. */
export function assigneeName(store: Store, account: Account, conversation: Conversation): string | null {
  if (conversation.assigneeAgentBotId !== null) {
    const bot = account.bots.get(conversation.assigneeAgentBotId);
    if (bot) return `${bot.name} (bot)`;
  }
  if (conversation.assigneeId !== null && account.members.has(conversation.assigneeId)) {
    const user = store.users.get(conversation.assigneeId);
    if (user) return availableName(user);
  }
  return null;
}

export function teamName(account: Account, conversation: Conversation): string | null {
  if (conversation.teamId === null) return null;
  return account.teams.get(conversation.teamId)?.name ?? null;
}

/** Who wrote a message; messages without a sender are the system's (activity) or the contact's. */
export function senderName(message: Message): string {
  const sender = message.sender;
  if (sender === null) {
    return message.messageType === "incoming" ? contactName(message.conversation.contact) : "System";
  }
  switch (sender.kind) {
    case "user":
      return availableName(sender.user);
    case "contact":
      return contactName(sender.contact);
    case "bot":
      return `${sender.bot.name} (bot)`;
  }
}

export function statusCounts(account: Account): Record<ConversationStatus, number> {
  const counts: Record<ConversationStatus, number> = { open: 0, pending: 0, snoozed: 0, resolved: 0 };
  for (const conversation of account.conversations.values()) counts[conversation.status] += 1;
  return counts;
}

/** Custom attributes as `key: value` pairs; nested values are shown as compact JSON. */
export function attributePairs(attributes: Record<string, unknown>): [string, string][] {
  return Object.entries(attributes).map(([key, value]) => [
    key,
    typeof value === "string" ? value : JSON.stringify(value),
  ]);
}
