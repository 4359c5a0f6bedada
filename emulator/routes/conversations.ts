import { accessAccount, authorizeInbox, findConversation, type AccountAccess } from "../auth";
import type { RequestContext } from "../context";
import { actorOf } from "../domain/actor";
import { buildContactInbox, SourceIdTakenError } from "../domain/contactInboxes";
import { setBlocked } from "../domain/contacts";
import {
  castPriority,
  castStatus,
  createConversation,
  deferActivities,
  updateConversation,
  type ConversationChanges,
} from "../domain/conversations";
import { createMessage, MessageBuildError } from "../domain/messages";
import { hasAnyTag, parseTagList } from "../domain/tags";
import { checkJsonbAttributes, ValidationErrors } from "../domain/validation";
import { internalServerError, notFound, recordInvalid, unauthorized, unprocessable } from "../errors";
import { buildConversationFilter } from "../filters/conversationFilter";
import { emptyReply, jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { castBoolean, isBlank, isPlainObject, isPresent, rubyToI, toRecordId } from "../http/rubyish";
import type { ContactInbox, Conversation } from "../store/types";
import { conversationView } from "../views/conversations";
import {
  domainContext,
  findContact,
  findInbox,
  kaminariPage,
  likePattern,
  paginate,
  viewerOf,
} from "./support";

const P = "/api/v1/accounts/:account_id";
const CONVERSATIONS_PER_PAGE = 25;
const PRIORITY_RANK: Record<string, number> = { low: 0, medium: 1, high: 2, urgent: 3 };

/** `Conversations::PermissionFilterService`: administrators see everything, agents their inboxes' conversations. */
function permitted(access: AccountAccess, conversations: Iterable<Conversation>): Conversation[] {
  const result: Conversation[] = [];
  for (const conversation of conversations) {
    if (access.isAdmin || (access.user !== null && conversation.inbox.memberIds.has(access.user.id))) {
      result.push(conversation);
    }
  }
  return result;
}

type Comparator = (left: Conversation, right: Conversation) => number;

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

function sortConversations(conversations: Conversation[], sortBy: unknown): Conversation[] {
  const comparator =
    (typeof sortBy === "string" ? SORTS[sortBy] : undefined) ?? (SORTS.last_activity_at_desc as Comparator);
  return conversations.sort(comparator);
}

interface Counts {
  mine_count: number;
  assigned_count: number;
  unassigned_count: number;
  all_count: number;
}

function countsOf(access: AccountAccess, conversations: Conversation[]): Counts {
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
function findConversations(ctx: RequestContext, access: AccountAccess): Conversation[] {
  const params = ctx.params;
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

function byAssigneeType(
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

function pageOf(ctx: RequestContext, conversations: Conversation[]): Conversation[] {
  const sorted = sortConversations(conversations, ctx.params.sort_by);
  if (isPresent(ctx.params.updated_within)) {
    const since = Date.now() - rubyToI(ctx.params.updated_within) * 1000;
    return sorted.filter((conversation) => conversation.updatedAtMs > since);
  }
  return paginate(sorted, kaminariPage(ctx.params.page), CONVERSATIONS_PER_PAGE);
}

function render(
  ctx: RequestContext,
  access: AccountAccess,
  conversation: Conversation,
): Record<string, unknown> {
  return conversationView(ctx.state.store, access.account, conversation, viewerOf(access));
}

function index(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#index");
  const found = findConversations(ctx, access);
  const counts = countsOf(access, found);
  const page = pageOf(ctx, byAssigneeType(access, found, ctx.params.assignee_type));
  return jsonReply(200, {
    data: { meta: counts, payload: page.map((conversation) => render(ctx, access, conversation)) },
  });
}

function meta(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#meta");
  return jsonReply(200, { meta: countsOf(access, findConversations(ctx, access)) });
}

/** The `conversation_unread_counts` feature flag is off, as on a default installation. */
function unreadCounts(ctx: RequestContext): Reply {
  accessAccount(ctx, "unread_counts#index");
  return jsonReply(403, { error: "Conversation unread counts feature not enabled for this account" });
}

/** `GET /conversations/search`: the slim search partial with the matching messages only. */
function search(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#search");
  const found = findConversations(ctx, access);
  const counts = countsOf(access, found);
  const page = pageOf(ctx, byAssigneeType(access, found, ctx.params.assignee_type));
  const query = ctx.params.q;
  const pattern = query === undefined || query === null ? null : likePattern(`%${String(query)}%`, true);
  const store = ctx.state.store;
  return jsonReply(200, {
    meta: {
      mine_count: counts.mine_count,
      unassigned_count: counts.unassigned_count,
      all_count: counts.all_count,
    },
    payload: page.map((conversation) => ({
      id: conversation.displayId,
      uuid: conversation.uuid,
      created_at: Math.floor(conversation.createdAtMs / 1000),
      contact: { id: conversation.contact.id, name: conversation.contact.name },
      inbox: {
        id: conversation.inbox.id,
        name: conversation.inbox.name,
        channel_type: conversation.inbox.channel.channelType,
      },
      messages: conversation.messages
        .filter(
          (message) =>
            pattern === null ||
            ((message.messageType === "incoming" || message.messageType === "outgoing") &&
              message.content !== null &&
              pattern.test(message.content)),
        )
        .map((message) => {
          const sender = message.sender;
          const senderName =
            sender === null
              ? undefined
              : sender.kind === "user"
                ? store.users.get(sender.user.id)?.name
                : sender.kind === "contact"
                  ? sender.contact.name
                  : sender.bot.name;
          return {
            content: message.content,
            id: message.id,
            ...(sender !== null ? { sender_name: senderName ?? null } : {}),
            message_type: ["incoming", "outgoing", "activity", "template"].indexOf(message.messageType),
            created_at: Math.floor(message.createdAtMs / 1000),
          };
        }),
      account_id: conversation.accountId,
    })),
  });
}

function filter(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#filter");
  const predicate = buildConversationFilter(ctx.params.payload);
  const matches = permitted(access, access.account.conversations.values()).filter(
    (conversation) => predicate(conversation) === true,
  );
  const counts = countsOf(access, matches);
  const page = paginate(
    sortConversations(matches, undefined),
    kaminariPage(ctx.params.page),
    CONVERSATIONS_PER_PAGE,
  );
  return jsonReply(200, {
    meta: {
      mine_count: counts.mine_count,
      unassigned_count: counts.unassigned_count,
      all_count: counts.all_count,
    },
    payload: page.map((conversation) => render(ctx, access, conversation)),
  });
}

/**
 * The `contact_inbox` before-action of `POST /conversations` (API.md §5.2): inbox (404/401), contact
 * (404), then the builder when both are known, else a global lookup by `source_id`.
 */
function resolveContactInbox(ctx: RequestContext, access: AccountAccess): ContactInbox {
  const params = ctx.params;
  const inbox = isBlank(params.inbox_id) ? null : findInbox(access, params.inbox_id);
  if (inbox) authorizeInbox(access, inbox);
  const contact = isBlank(params.contact_id) ? null : findContact(access, params.contact_id);
  let contactInbox: ContactInbox | null = null;
  if (inbox && contact) {
    try {
      contactInbox = buildContactInbox(
        ctx.state.store,
        contact,
        inbox,
        params.source_id,
        castBoolean(params.hmac_verified) === true,
      );
    } catch (error) {
      if (error instanceof SourceIdTakenError) throw unprocessable("source_id should be unique");
      throw error;
    }
  }
  if (!contactInbox) {
    const sourceId = params.source_id;
    const found =
      typeof sourceId === "string" || typeof sourceId === "number"
        ? ctx.state.store.firstContactInboxWithSource(String(sourceId))
        : undefined;
    if (!found) throw notFound();
    contactInbox = found;
  }
  if (contactInbox.inbox.accountId !== access.account.id) throw unauthorized();
  authorizeInbox(access, contactInbox.inbox);
  return contactInbox;
}

function create(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#create");
  const contactInbox = resolveContactInbox(ctx, access);
  const dctx = domainContext(ctx, access);
  const actor = actorOf(access);
  const deferredBefore = ctx.deferred.length;
  // A locked inbox may hand back an existing conversation, which a failed message must not remove.
  const firstNewDisplayId = access.account.nextDisplayId;
  const conversation = createConversation(dctx, contactInbox, ctx.params, actor);
  const message = ctx.params.message;
  if (isPresent(message)) {
    try {
      if (!isPlainObject(message)) throw internalServerError();
      createMessage(dctx, conversation, message, { actor });
    } catch (error) {
      // One transaction: the conversation goes away with the failed message, and so do its jobs.
      ctx.deferred.length = deferredBefore;
      if (conversation.displayId >= firstNewDisplayId)
        ctx.state.store.removeConversation(access.account, conversation);
      if (error instanceof MessageBuildError) {
        if (error.validation) throw recordInvalid(error.validation);
        throw internalServerError();
      }
      throw error;
    }
  }
  return jsonReply(200, render(ctx, access, conversation));
}

function show(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#show");
  return jsonReply(200, render(ctx, access, findConversation(access, ctx.pathParams.id)));
}

/** `PATCH /conversations/:id`: only `priority` is permitted. */
function update(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#update");
  const conversation = findConversation(access, ctx.pathParams.id);
  const raw = ctx.params.priority;
  if (raw !== undefined && !isPlainObject(raw) && !Array.isArray(raw)) {
    updateConversation(
      domainContext(ctx, access),
      conversation,
      { priority: castPriority(raw) },
      actorOf(access),
    );
  }
  return jsonReply(200, render(ctx, access, conversation));
}

function destroy(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#destroy");
  const conversation = findConversation(access, ctx.pathParams.id);
  if (!access.isAdmin) throw unauthorized();
  const { scheduler, settings, store } = ctx.state;
  scheduler.later(settings.conversationDeleteDelayMs, () =>
    store.removeConversation(access.account, conversation),
  );
  return emptyReply();
}

/** `DateTime.strptime(value.to_s, '%s')`: whole epoch seconds only, anything else raises (500). */
function parseEpochSeconds(raw: unknown): number {
  const text = typeof raw === "string" || typeof raw === "number" ? String(raw) : "";
  if (!/^\s*[+-]?\d+$/.test(text)) throw internalServerError();
  return Number.parseInt(text, 10) * 1000;
}

function toggleStatus(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#toggle_status");
  const conversation = findConversation(access, ctx.pathParams.id);
  const dctx = domainContext(ctx, access);
  const actor = actorOf(access);
  let success: boolean | null = true;
  if (access.bot && conversation.status === "pending" && ctx.params.status === "open") {
    // Bot hand-off: the conversation opens and `@status` is never set.
    if (conversation.waitingSinceMs === null) conversation.waitingSinceMs = Date.now();
    updateConversation(dctx, conversation, { status: "open" }, actor);
    success = null;
  } else if (isPresent(ctx.params.status)) {
    const changes: ConversationChanges = { status: castStatus(ctx.params.status) };
    if (ctx.params.snoozed_until !== undefined && ctx.params.snoozed_until !== null) {
      changes.snoozedUntilMs = parseEpochSeconds(ctx.params.snoozed_until);
    }
    updateConversation(dctx, conversation, changes, actor);
  } else {
    const next = conversation.status === "open" ? "resolved" : "open";
    updateConversation(dctx, conversation, { status: next }, actor);
  }
  // An agent (not an administrator, not a bot) who leaves it open takes it.
  if (conversation.status === "open" && access.user !== null && access.membership?.role === "agent") {
    updateConversation(dctx, conversation, { assigneeId: access.user.id }, actor);
  }
  return jsonReply(200, {
    meta: {},
    payload: {
      success,
      conversation_id: conversation.displayId,
      current_status: conversation.status,
      snoozed_until:
        conversation.snoozedUntilMs === null ? null : new Date(conversation.snoozedUntilMs).toISOString(),
    },
  });
}

function togglePriority(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#toggle_priority");
  const conversation = findConversation(access, ctx.pathParams.id);
  const priority = castPriority(isBlank(ctx.params.priority) ? null : ctx.params.priority);
  updateConversation(domainContext(ctx, access), conversation, { priority }, actorOf(access));
  return emptyReply();
}

/** Replaces the whole hash. A missing or non-object value crashes the length validator (500). */
function customAttributes(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#custom_attributes");
  const conversation = findConversation(access, ctx.pathParams.id);
  const value = ctx.params.custom_attributes;
  if (!isPlainObject(value)) throw internalServerError();
  const errors = new ValidationErrors();
  checkJsonbAttributes(errors, "custom_attributes", value);
  checkJsonbAttributes(errors, "additional_attributes", conversation.additionalAttributes);
  if (!errors.empty) throw recordInvalid(errors);
  updateConversation(domainContext(ctx, access), conversation, { customAttributes: value }, actorOf(access));
  return jsonReply(200, { custom_attributes: conversation.customAttributes });
}

/** Muting resolves the conversation and blocks the contact. */
function mute(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#mute");
  const conversation = findConversation(access, ctx.pathParams.id);
  const dctx = domainContext(ctx, access);
  const actor = actorOf(access);
  updateConversation(dctx, conversation, { status: "resolved" }, actor);
  setBlocked(conversation.contact, true);
  deferActivities(dctx, conversation, [`${actor.name} has muted the conversation`]);
  return emptyReply();
}

function unmute(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#unmute");
  const conversation = findConversation(access, ctx.pathParams.id);
  const actor = actorOf(access);
  setBlocked(conversation.contact, false);
  deferActivities(domainContext(ctx, access), conversation, [`${actor.name} has unmuted the conversation`]);
  return emptyReply();
}

function transcript(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#transcript");
  findConversation(access, ctx.pathParams.id);
  if (isBlank(ctx.params.email)) return jsonReply(422, { error: "email param missing" });
  return emptyReply();
}

function toggleTypingStatus(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#toggle_typing_status");
  findConversation(access, ctx.pathParams.id);
  return emptyReply();
}

function isAssignee(access: AccountAccess, conversation: Conversation): boolean {
  return (
    conversation.assigneeId !== null && access.user !== null && conversation.assigneeId === access.user.id
  );
}

function messagesSince(conversation: Conversation, since: number | null): boolean {
  if (since === null) return conversation.messages.length > 0;
  return conversation.messages.some((message) => message.createdAtMs > since);
}

/** Marks the conversation read, throttled to once an hour when nothing is unread. */
function updateLastSeen(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#update_last_seen");
  const conversation = findConversation(access, ctx.pathParams.id);
  const now = Date.now();
  const assignee = isAssignee(access, conversation);
  const hourAgo = now - 3_600_000;
  const stale = (value: number | null): boolean => value === null || value < hourAgo;
  let updateAgent = false;
  let updateAssignee = false;
  if (assignee && messagesSince(conversation, conversation.assigneeLastSeenAtMs)) {
    updateAgent = updateAssignee = true;
  } else if (!assignee && messagesSince(conversation, conversation.agentLastSeenAtMs)) {
    updateAgent = true;
  } else if (
    stale(conversation.agentLastSeenAtMs) ||
    (assignee && stale(conversation.assigneeLastSeenAtMs))
  ) {
    updateAgent = true;
    updateAssignee = assignee;
  }
  if (updateAgent) conversation.agentLastSeenAtMs = now;
  if (updateAssignee) conversation.assigneeLastSeenAtMs = now;
  return jsonReply(200, render(ctx, access, conversation));
}

/** Moves the read markers to just before the last incoming message. */
function unread(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#unread");
  const conversation = findConversation(access, ctx.pathParams.id);
  const lastIncoming = [...conversation.messages]
    .reverse()
    .find((message) => message.messageType === "incoming");
  const seenAt = lastIncoming ? lastIncoming.createdAtMs - 1000 : null;
  conversation.agentLastSeenAtMs = seenAt;
  conversation.assigneeLastSeenAtMs = seenAt;
  return jsonReply(200, render(ctx, access, conversation));
}

function attachments(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#attachments");
  findConversation(access, ctx.pathParams.id);
  return jsonReply(200, { meta: { total_count: 0 }, payload: [] });
}

/** `GET /contacts/:id/conversations`: the newest 20 by activity that the caller may see. */
function contactConversations(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contact_conversations#index");
  const contact = findContact(access, ctx.pathParams.contact_id);
  const visible = permitted(access, contact.conversations).sort(SORTS.last_activity_at_desc).slice(0, 20);
  return jsonReply(200, { payload: visible.map((conversation) => render(ctx, access, conversation)) });
}

export function registerConversationRoutes(router: Router): void {
  const member = `${P}/conversations/:id`;
  router
    .add("GET", `${P}/conversations`, index)
    .add("POST", `${P}/conversations`, create)
    .add("GET", `${P}/conversations/meta`, meta)
    .add("GET", `${P}/conversations/search`, search)
    .add("GET", `${P}/conversations/unread_counts`, unreadCounts)
    .add("POST", `${P}/conversations/filter`, filter)
    .add("GET", member, show)
    .add("PATCH", member, update)
    .add("PUT", member, update)
    .add("DELETE", member, destroy)
    .add("POST", `${member}/toggle_status`, toggleStatus)
    .add("POST", `${member}/toggle_priority`, togglePriority)
    .add("POST", `${member}/custom_attributes`, customAttributes)
    .add("POST", `${member}/mute`, mute)
    .add("POST", `${member}/unmute`, unmute)
    .add("POST", `${member}/transcript`, transcript)
    .add("POST", `${member}/toggle_typing_status`, toggleTypingStatus)
    .add("POST", `${member}/update_last_seen`, updateLastSeen)
    .add("POST", `${member}/unread`, unread)
    .add("GET", `${member}/attachments`, attachments)
    .add("GET", `${P}/contacts/:contact_id/conversations`, contactConversations);
}
