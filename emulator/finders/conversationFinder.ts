import type { AccountAccess } from "../auth";
import { hasAnyTag, parseTagList } from "../domain/tags";
import { notFound } from "../errors";
import { likePattern } from "../filters/like";
import { toRecordId, type JsonObject } from "../http/rubyish";
import type { Conversation } from "../store/types";

/**
 * `ConversationFinder` and `Conversations::PermissionFilterService`: which conversations a caller
 * may list, the status/inbox/team/label/query/source filters, counts and sort orders.
 */

const PRIORITY_RANK: Record<string, number> = { low: 0, medium: 1, high: 2, urgent: 3 };

/** `Conversations::PermissionFilterService`: administrators see everything, agents their inboxes' conversations. */
export function permitted(access: AccountAccess, conversations: Iterable<Conversation>): Conversation[] {
  const result: Conversation[] = [];
  for (const conversation of conversations) {
    if (access.isAdmin || (access.user !== null && conversation.inbox.memberIds.has(access.user.id))) {
      result.push(conversation);
    }
  }
  return result;
}

export type Comparator = (left: Conversation, right: Conversation) => number;

function nullsLast(left: number | null, right: number | null, descending: boolean): number {
  if (left === null || right === null) return left === right ? 0 : left === null ? 1 : -1;
  return descending ? right - left : left - right;
}

const SORTS: Record<string, Comparator> = {
  last_activity_at_asc: (a, b) => a.lastActivityAtMs - b.lastActivityAtMs || a.id - b.id,
  last_activity_at_desc: (a, b) => b.lastActivityAtMs - a.lastActivityAtMs || b.id - a.id,
  created_at_asc: (a, b) => a.createdAtMs - b.createdAtMs || a.id - b.id,
  created_at_desc: (a, b) => b.createdAtMs - a.createdAtMs || b.id - a.id,
  priority_asc: (a, b) =>
    nullsLast(rank(a), rank(b), false) || b.lastActivityAtMs - a.lastActivityAtMs || b.id - a.id,
  priority_desc: (a, b) =>
    nullsLast(rank(a), rank(b), true) || b.lastActivityAtMs - a.lastActivityAtMs || b.id - a.id,
  waiting_since_asc: (a, b) =>
    waitingFirst(a, b) ||
    nullsLast(a.waitingSinceMs, b.waitingSinceMs, false) ||
    a.createdAtMs - b.createdAtMs,
  waiting_since_desc: (a, b) =>
    waitingFirst(a, b) ||
    nullsLast(a.waitingSinceMs, b.waitingSinceMs, true) ||
    a.createdAtMs - b.createdAtMs,
  priority_desc_created_at_asc: (a, b) => nullsLast(rank(a), rank(b), true) || a.createdAtMs - b.createdAtMs,
};
SORTS.latest = SORTS.last_activity_at_desc as Comparator;
SORTS.sort_on_created_at = SORTS.created_at_asc as Comparator;
SORTS.sort_on_priority = SORTS.priority_desc as Comparator;
SORTS.sort_on_waiting_since = SORTS.waiting_since_asc as Comparator;

function rank(conversation: Conversation): number | null {
  return conversation.priority === null ? null : (PRIORITY_RANK[conversation.priority] ?? null);
}

function waitingFirst(a: Conversation, b: Conversation): number {
  return Number(a.waitingSinceMs === null) - Number(b.waitingSinceMs === null);
}

export function sortConversations(conversations: Conversation[], sortBy: unknown): Conversation[] {
  const comparator =
    (typeof sortBy === "string" ? SORTS[sortBy] : undefined) ?? (SORTS.last_activity_at_desc as Comparator);
  return conversations.sort(comparator);
}

export interface Counts {
  mine_count: number;
  assigned_count: number;
  unassigned_count: number;
  all_count: number;
}

export function countsOf(access: AccountAccess, conversations: Conversation[]): Counts {
  let mine = 0;
  let unassigned = 0;
  for (const conversation of conversations) {
    if (conversation.assigneeId === null) unassigned += 1;
    else if (access.user !== null && conversation.assigneeId === access.user.id) mine += 1;
  }
  return {
    mine_count: mine,
    assigned_count: conversations.length - unassigned,
    unassigned_count: unassigned,
    all_count: conversations.length,
  };
}

function statusMatches(conversation: Conversation, status: unknown): boolean {
  if (status === "all") return true;
  const wanted =
    status === undefined || status === null ? ["open"] : Array.isArray(status) ? status : [status];
  return wanted.some((value) => value === conversation.status);
}

function matchesQuery(conversation: Conversation, pattern: RegExp): boolean {
  return conversation.messages.some(
    (message) =>
      (message.messageType === "incoming" || message.messageType === "outgoing") &&
      message.content !== null &&
      pattern.test(message.content),
  );
}

/** `ConversationFinder#set_up`: everything except the assignee-type filter, which comes after the counts. */
export function findConversations(params: JsonObject, access: AccountAccess): Conversation[] {
  const inboxFilter = params.inbox_id !== undefined && params.inbox_id !== null;
  const inboxId = inboxFilter ? toRecordId(params.inbox_id) : null;
  let team = null;
  if (params.team_id !== undefined && params.team_id !== null) {
    const teamId = toRecordId(params.team_id);
    team = teamId === null ? undefined : access.account.teams.get(teamId);
    if (!team) throw notFound();
  }
  let conversations = permitted(access, access.account.conversations.values());
  if (inboxFilter) {
    const visible = inboxId !== null ? access.account.inboxes.get(inboxId) : undefined;
    const allowed =
      visible && (access.isAdmin || (access.user !== null && visible.memberIds.has(access.user.id)));
    conversations = allowed ? conversations.filter((conversation) => conversation.inbox === visible) : [];
  }
  switch (params.conversation_type) {
    case "mention":
    case "participating":
      conversations = [];
      break;
    case "unattended":
      conversations = conversations.filter(
        (conversation) => conversation.firstReplyCreatedAtMs === null || conversation.waitingSinceMs !== null,
      );
      break;
    default:
      break;
  }
  const query = params.q;
  if (query === undefined || query === null) {
    conversations = conversations.filter((conversation) => statusMatches(conversation, params.status));
  }
  if (team) conversations = conversations.filter((conversation) => conversation.teamId === team.id);
  if (params.labels !== undefined && params.labels !== null) {
    const wanted = parseTagList(params.labels);
    conversations = conversations.filter((conversation) => hasAnyTag(conversation.labels, wanted));
  }
  if (query !== undefined && query !== null) {
    const pattern = likePattern(`%${String(query)}%`, true);
    conversations = conversations.filter((conversation) => matchesQuery(conversation, pattern));
  }
  if (params.source_id !== undefined && params.source_id !== null) {
    const sourceId = String(params.source_id);
    conversations = conversations.filter((conversation) => conversation.contactInbox.sourceId === sourceId);
  }
  return conversations;
}

export function byAssigneeType(
  access: AccountAccess,
  conversations: Conversation[],
  assigneeType: unknown,
): Conversation[] {
  switch (assigneeType) {
    case "me":
      return conversations.filter(
        (conversation) => access.user !== null && conversation.assigneeId === access.user.id,
      );
    case "unassigned":
      return conversations.filter((conversation) => conversation.assigneeId === null);
    case "assigned":
      return conversations.filter((conversation) => conversation.assigneeId !== null);
    default:
      return conversations;
  }
}

/** Most recent activity first (the default order). */
export const byLatestActivity = SORTS.last_activity_at_desc as Comparator;
