import type { Store } from "../store/store";
import type { Account, Conversation, Message } from "../store/types";
import { contactView } from "./contacts";
import { countUnreadIncoming, messagePushData } from "./messages";
import { agentBotSlimView, agentView, teamView } from "./users";
import { floatSeconds, isoTimeOrNull, unixSeconds, unixSecondsOrZero } from "./time";

/** Who is looking: `is_member` on the team object depends on it. */
export interface Viewer {
  userId: number | null;
}

function lastMessage(conversation: Conversation): Message | undefined {
  return conversation.messages[conversation.messages.length - 1];
}

function lastNonActivityMessage(conversation: Conversation): Message | undefined {
  for (let index = conversation.messages.length - 1; index >= 0; index -= 1) {
    const message = conversation.messages[index];
    if (message && message.messageType !== "activity") return message;
  }
  return undefined;
}

/**
 * `Conversations::MessageWindowService#can_reply?` for the channels the emulator knows: only API
 * inboxes with `agent_reply_time_window` restrict replies.
 */
export function canReply(conversation: Conversation, nowMs: number): boolean {
  const channel = conversation.inbox.channel;
  if (channel.kind !== "api") return true;
  const window = channel.additionalAttributes.agent_reply_time_window;
  if (window === undefined || window === null || window === "") return true;
  const hours = typeof window === "number" ? Math.trunc(window) : Number.parseInt(String(window), 10) || 0;
  for (let index = conversation.messages.length - 1; index >= 0; index -= 1) {
    const message = conversation.messages[index];
    if (message && message.messageType === "incoming") return nowMs < message.createdAtMs + hours * 3_600_000;
  }
  return false;
}

function conversationMeta(
  store: Store,
  account: Account,
  conversation: Conversation,
  viewer: Viewer,
): Record<string, unknown> {
  const meta: Record<string, unknown> = {
    sender: contactView(conversation.contact, false, store.release),
    channel: conversation.inbox.channel.channelType,
  };
  const bot =
    conversation.assigneeAgentBotId !== null ? account.bots.get(conversation.assigneeAgentBotId) : undefined;
  // `assigned_entity&.account`: a user assignee shows only while a member of this account.
  const assignee =
    conversation.assigneeId !== null && account.members.has(conversation.assigneeId)
      ? store.users.get(conversation.assigneeId)
      : undefined;
  if (bot) {
    meta.assignee = agentBotSlimView(bot);
    meta.assignee_type = "AgentBot";
  } else if (assignee) {
    meta.assignee = agentView(assignee, account);
    if (store.release.agentBotAssignment) meta.assignee_type = "User";
  }
  const team = conversation.teamId !== null ? account.teams.get(conversation.teamId) : undefined;
  if (team) meta.team = teamView(team, viewer.userId);
  meta.hmac_verified = conversation.contactInbox.hmacVerified;
  return meta;
}

/** `conversations/partials/_conversation.json.jbuilder`. Unset timestamps render as 0. */
export function conversationView(
  store: Store,
  account: Account,
  conversation: Conversation,
  viewer: Viewer,
): Record<string, unknown> {
  const latest = lastMessage(conversation);
  const latestNonActivity = lastNonActivityMessage(conversation);
  const now = Date.now();
  return {
    meta: conversationMeta(store, account, conversation, viewer),
    id: conversation.displayId,
    messages: latest ? [messagePushData(latest, account)] : [],
    account_id: conversation.accountId,
    uuid: conversation.uuid,
    additional_attributes: conversation.additionalAttributes,
    agent_last_seen_at: unixSecondsOrZero(conversation.agentLastSeenAtMs),
    assignee_last_seen_at: unixSecondsOrZero(conversation.assigneeLastSeenAtMs),
    can_reply: canReply(conversation, now),
    contact_last_seen_at: unixSecondsOrZero(conversation.contactLastSeenAtMs),
    custom_attributes: conversation.customAttributes,
    inbox_id: conversation.inbox.id,
    labels: conversation.labels,
    muted: conversation.contact.blocked,
    snoozed_until: isoTimeOrNull(conversation.snoozedUntilMs),
    status: conversation.status,
    created_at: unixSeconds(conversation.createdAtMs),
    updated_at: floatSeconds(conversation.updatedAtMs),
    timestamp: unixSeconds(conversation.lastActivityAtMs),
    first_reply_created_at: unixSecondsOrZero(conversation.firstReplyCreatedAtMs),
    unread_count: countUnreadIncoming(conversation),
    last_non_activity_message: latestNonActivity ? messagePushData(latestNonActivity, account) : null,
    last_activity_at: unixSeconds(conversation.lastActivityAtMs),
    priority: conversation.priority,
    waiting_since: unixSecondsOrZero(conversation.waitingSinceMs),
    sla_policy_id: null,
  };
}
