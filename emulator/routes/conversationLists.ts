import { accessAccount, type AccountAccess } from "../auth";
import type { RequestContext } from "../context";
import { buildConversationFilter } from "../filters/conversationFilter";
import { definitionLookup } from "../filters/customAttributes";
import {
  byAssigneeType,
  byLatestActivity,
  countsOf,
  findConversations,
  permitted,
  sortConversations,
} from "../finders/conversationFinder";
import { jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { isPresent, rubyToI } from "../http/rubyish";
import type { Conversation } from "../store/types";
import { conversationView } from "../views/conversations";
import { findContact, kaminariPage, likePattern, paginate, viewerOf } from "./support";

/** The conversation listings: index, meta, search, filter, unread counts and a contact's conversations. */

const P = "/api/v1/accounts/:account_id";
const CONVERSATIONS_PER_PAGE = 25;

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
  const found = findConversations(ctx.params, access);
  const counts = countsOf(access, found);
  const page = pageOf(ctx, byAssigneeType(access, found, ctx.params.assignee_type));
  return jsonReply(200, {
    data: { meta: counts, payload: page.map((conversation) => render(ctx, access, conversation)) },
  });
}

function meta(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#meta");
  return jsonReply(200, { meta: countsOf(access, findConversations(ctx.params, access)) });
}

/** The `conversation_unread_counts` feature flag is off, as on a default installation. */
function unreadCounts(ctx: RequestContext): Reply {
  accessAccount(ctx, "unread_counts#index");
  return jsonReply(403, { error: "Conversation unread counts feature not enabled for this account" });
}

/** `GET /conversations/search`: the slim search partial with the matching messages only. */
function search(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversations#search");
  const found = findConversations(ctx.params, access);
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
  const predicate = buildConversationFilter(
    ctx.params.payload,
    ctx.state.store.release,
    definitionLookup(access.account),
  );
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

/** `GET /contacts/:id/conversations`: the newest 20 by activity that the caller may see. */
function contactConversations(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "contact_conversations#index");
  const contact = findContact(access, ctx.pathParams.contact_id);
  const visible = permitted(access, contact.conversations).sort(byLatestActivity).slice(0, 20);
  return jsonReply(200, { payload: visible.map((conversation) => render(ctx, access, conversation)) });
}

export function registerConversationListRoutes(router: Router): void {
  router
    .add("GET", `${P}/conversations`, index)
    .add("GET", `${P}/conversations/meta`, meta)
    .add("GET", `${P}/conversations/search`, search)
    .add("GET", `${P}/conversations/unread_counts`, unreadCounts)
    .add("POST", `${P}/conversations/filter`, filter)
    .add("GET", `${P}/contacts/:contact_id/conversations`, contactConversations);
}
