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
import { checkJsonbAttributes, ValidationErrors } from "../domain/validation";
import { internalServerError, notFound, recordInvalid, unauthorized, unprocessable } from "../errors";
import { emptyReply, jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { castBoolean, isBlank, isPlainObject, isPresent } from "../http/rubyish";
import type { ContactInbox, Conversation } from "../store/types";
import { conversationView } from "../views/conversations";
import { domainContext, findContact, findInbox, viewerOf } from "./support";
import type { ReleaseProfile } from "../releases";

const P = "/api/v1/accounts/:account_id";
function render(
  ctx: RequestContext,
  access: AccountAccess,
  conversation: Conversation,
): Record<string, unknown> {
  return conversationView(ctx.state.store, access.account, conversation, viewerOf(access));
}

/**
 * The `contact_inbox` before-action of `POST /conversations` (chatwoot app/controllers/api/v1/accounts/conversations_controller.rb, `contact_inbox`): inbox (404/401), contact
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

export function registerConversationRoutes(router: Router, release: ReleaseProfile): void {
  const member = `${P}/conversations/:id`;
  router
    .add("POST", `${P}/conversations`, create)
    .add("GET", member, show)
    .add("PATCH", member, update)
    .add("PUT", member, update);
  // Without the route, Rails answers its routing 404 page, as for any unknown path.
  if (release.conversationDeleteRoute) router.add("DELETE", member, destroy);
  router
    .add("POST", `${member}/toggle_status`, toggleStatus)
    .add("POST", `${member}/toggle_priority`, togglePriority)
    .add("POST", `${member}/custom_attributes`, customAttributes)
    .add("POST", `${member}/mute`, mute)
    .add("POST", `${member}/unmute`, unmute)
    .add("POST", `${member}/transcript`, transcript)
    .add("POST", `${member}/toggle_typing_status`, toggleTypingStatus)
    .add("POST", `${member}/update_last_seen`, updateLastSeen)
    .add("POST", `${member}/unread`, unread)
    .add("GET", `${member}/attachments`, attachments);
}
