import { accessAccount, findConversation } from "../auth";
import type { RequestContext } from "../context";
import { actorOf } from "../domain/actor";
import { createMessage, MessageBuildError } from "../domain/messages";
import { HttpError, notFound, unprocessable } from "../errors";
import { jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { isPresent, rubyToI, rubyToS, toRecordId } from "../http/rubyish";
import type { Conversation, Message } from "../store/types";
import { MESSAGE_STATUSES } from "../store/types";
import { contactPushData } from "../views/contacts";
import { messageView } from "../views/messages";
import { isoTimeOrNull } from "../views/time";
import { userPushData } from "../views/users";
import { domainContext } from "./support";

const P = "/api/v1/accounts/:account_id/conversations/:conversation_id/messages";

/** `MessageFinder`: the latest 20, 20 before an id, up to 100 after one, or up to 1000 between two. */
function findMessages(conversation: Conversation, params: Record<string, unknown>): Message[] {
  let messages = conversation.messages;
  if (isPresent(params.filter_internal_messages)) {
    messages = messages.filter((message) => !message.private && message.messageType !== "activity");
  }
  const after = isPresent(params.after) ? rubyToI(params.after) : null;
  const before = isPresent(params.before) ? rubyToI(params.before) : null;
  if (after !== null && before !== null) {
    return messages.filter((message) => message.id >= after && message.id < before).slice(0, 1000);
  }
  if (before !== null) return messages.filter((message) => message.id < before).slice(-20);
  if (after !== null) return messages.filter((message) => message.id > after).slice(0, 100);
  return messages.slice(-20);
}

function index(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "messages#index");
  const conversation = findConversation(access, ctx.pathParams.conversation_id);
  const assignee =
    conversation.assigneeId !== null ? ctx.state.store.users.get(conversation.assigneeId) : undefined;
  const meta: Record<string, unknown> = {
    labels: conversation.labels,
    additional_attributes: conversation.additionalAttributes,
    contact: contactPushData(conversation.contact),
  };
  if (assignee) meta.assignee = userPushData(assignee, access.account.members.get(assignee.id));
  meta.agent_last_seen_at = isoTimeOrNull(conversation.agentLastSeenAtMs);
  meta.assignee_last_seen_at = isoTimeOrNull(conversation.assigneeLastSeenAtMs);
  return jsonReply(200, {
    meta,
    payload: findMessages(conversation, ctx.params).map((message) => messageView(message, access.account)),
  });
}

/** Every failure of `messages#create`, validation included, is a 422 `{"error": …}`. */
function create(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "messages#create");
  const conversation = findConversation(access, ctx.pathParams.conversation_id);
  try {
    const message = createMessage(domainContext(ctx, access), conversation, ctx.params, {
      actor: actorOf(access),
    });
    return jsonReply(200, messageView(message, access.account));
  } catch (error) {
    if (error instanceof MessageBuildError) throw unprocessable(error.message);
    if (error instanceof HttpError) throw unprocessable("Internal Server Error");
    throw error;
  }
}

function findMessage(conversation: Conversation, rawId: unknown): Message {
  const id = toRecordId(rawId);
  const message = id === null ? undefined : conversation.messagesById.get(id);
  if (!message) throw notFound();
  return message;
}

/** Delivery status updates, API inboxes only (checked before the message lookup). */
function update(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "messages#update");
  const conversation = findConversation(access, ctx.pathParams.conversation_id);
  if (conversation.inbox.channel.kind !== "api") {
    return jsonReply(403, { error: "Message status update is only allowed for API inboxes" });
  }
  const message = findMessage(conversation, ctx.pathParams.id);
  const status = ctx.params.status;
  const known = typeof status === "string" && (MESSAGE_STATUSES as readonly string[]).includes(status);
  if (known && !(message.status === "read" && status === "delivered")) {
    message.status = status as Message["status"];
    if (status === "failed") message.contentAttributes.external_error = ctx.params.external_error ?? null;
    else if (message.contentAttributes.external_error !== undefined)
      message.contentAttributes.external_error = null;
    message.updatedAtMs = Date.now();
    // `after_update_commit :dispatch_update_event` (the update changed something).
    domainContext(ctx, access).emit({ name: "message_updated", message });
  }
  return jsonReply(200, messageView(message, access.account));
}

/** Soft delete: the row stays with placeholder content and `{"deleted": true}`. */
function destroy(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "messages#destroy");
  const conversation = findConversation(access, ctx.pathParams.conversation_id);
  const message = findMessage(conversation, ctx.pathParams.id);
  message.content = "This message was deleted";
  message.processedMessageContent = message.content;
  message.contentType = "text";
  message.contentAttributes = { deleted: true };
  message.updatedAtMs = Date.now();
  return jsonReply(200, messageView(message, access.account));
}

/** `retry` rescues everything, so even an unknown id is a 422. */
function retry(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "messages#retry");
  const conversation = findConversation(access, ctx.pathParams.conversation_id);
  const id = toRecordId(ctx.pathParams.id);
  const message = id === null ? undefined : conversation.messagesById.get(id);
  if (!message) {
    throw unprocessable(
      `Couldn't find Message with 'id'=${rubyToS(ctx.pathParams.id)} [WHERE "messages"."conversation_id" = $1]`,
    );
  }
  message.status = "sent";
  message.contentAttributes = {};
  message.updatedAtMs = Date.now();
  return jsonReply(200, messageView(message, access.account));
}

export function registerMessageRoutes(router: Router): void {
  router
    .add("GET", P, index)
    .add("POST", P, create)
    .add("PATCH", `${P}/:id`, update)
    .add("PUT", `${P}/:id`, update)
    .add("DELETE", `${P}/:id`, destroy)
    .add("POST", `${P}/:id/retry`, retry);
}
