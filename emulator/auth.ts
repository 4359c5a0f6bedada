import type { RequestContext } from "./context";
import { HttpError, notFound, unauthorized } from "./errors";
import { jsonReply } from "./http/reply";
import { isBlank, toRecordId } from "./http/rubyish";
import type { Account, AccountUser, AgentBot, Conversation, Inbox, User } from "./store/types";

/**
 * Authentication and authorisation in Chatwoot's order: token → bot allow-list → account →
 * (per controller) policy and lookup. Every failure is a 401 except an unknown account (404).
 */

export type Principal = { kind: "user"; user: User } | { kind: "bot"; bot: AgentBot };

export interface AccountAccess {
  account: Account;
  principal: Principal;
  /** The caller's membership; null for bots. */
  membership: AccountUser | null;
  user: User | null;
  bot: AgentBot | null;
  isAdmin: boolean;
}

/** `AccessTokenAuthHelper::BOT_ACCESSIBLE_ENDPOINTS`. */
const BOT_ACCESSIBLE_ACTIONS = new Set([
  "conversations#show",
  "conversations#toggle_status",
  "conversations#toggle_typing_status",
  "conversations#toggle_priority",
  "conversations#create",
  "conversations#update",
  "conversations#custom_attributes",
  "messages#create",
  "assignments#create",
  "conversation_labels#index",
  "conversation_labels#create",
]);

const NOT_SIGNED_IN = jsonReply(401, { errors: ["You need to sign in or sign up before continuing."] });

/**
 * The `api_access_token` header. Rack folds `api_access_token` and `api-access-token` into the same
 * `HTTP_API_ACCESS_TOKEN`; query-string tokens are never read.
 */
export function accessTokenHeader(ctx: Pick<RequestContext, "headers">): string | undefined {
  const raw = ctx.headers["api_access_token"] ?? ctx.headers["api-access-token"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined || isBlank(value) ? undefined : value;
}

export function authenticate(ctx: RequestContext, action: string): Principal {
  const token = accessTokenHeader(ctx);
  if (token === undefined) throw new HttpError(NOT_SIGNED_IN);
  const owner = ctx.state.store.tokenOwner(token);
  if (!owner) throw unauthorized("Invalid Access Token");
  if (owner.kind === "bot" && !BOT_ACCESSIBLE_ACTIONS.has(action)) {
    throw unauthorized("Access to this endpoint is not authorized for bots");
  }
  return owner.kind === "user" ? { kind: "user", user: owner.user } : { kind: "bot", bot: owner.bot };
}

/** Authentication, then `EnsureCurrentAccountHelper`: the account must exist, be active and include the caller. */
export function accessAccount(ctx: RequestContext, action: string): AccountAccess {
  const principal = authenticate(ctx, action);
  const accountId = toRecordId(ctx.pathParams.account_id);
  const account = accountId === null ? undefined : ctx.state.store.accounts.get(accountId);
  if (!account) throw notFound();
  if (account.status !== "active") throw unauthorized("Account is suspended");
  if (principal.kind === "user") {
    const membership = account.members.get(principal.user.id);
    if (!membership) throw unauthorized("You are not authorized to access this account");
    return {
      account,
      principal,
      membership,
      user: principal.user,
      bot: null,
      isAdmin: membership.role === "administrator",
    };
  }
  if (principal.bot.accountId !== account.id)
    throw unauthorized("Bot is not authorized to access this account");
  return { account, principal, membership: null, user: null, bot: principal.bot, isAdmin: false };
}

export function requireAdmin(access: AccountAccess): void {
  if (!access.isAdmin) throw unauthorized();
}

/** `InboxPolicy#show?`: bots always, administrators for every inbox of the account, agents by membership. */
export function canSeeInbox(access: AccountAccess, inbox: Inbox): boolean {
  if (access.bot) return true;
  if (access.isAdmin) return true;
  return access.user !== null && inbox.memberIds.has(access.user.id);
}

export function authorizeInbox(access: AccountAccess, inbox: Inbox): void {
  if (!canSeeInbox(access, inbox)) throw unauthorized();
}

/** `ConversationPolicy#show?`: administrators, bots, members of the inbox or of the conversation's team. */
export function canSeeConversation(access: AccountAccess, conversation: Conversation): boolean {
  if (access.isAdmin || access.bot) return true;
  if (access.user === null) return false;
  if (conversation.inbox.memberIds.has(access.user.id)) return true;
  if (conversation.teamId === null) return false;
  const team = access.account.teams.get(conversation.teamId);
  return team !== undefined && team.memberIds.has(access.user.id);
}

/** Conversations controllers: `find_by!(display_id:)` (404) then `authorize :show?` (401). */
export function findConversation(access: AccountAccess, rawDisplayId: unknown): Conversation {
  const displayId = toRecordId(rawDisplayId);
  const conversation = displayId === null ? undefined : access.account.conversations.get(displayId);
  if (!conversation) throw notFound();
  if (!canSeeConversation(access, conversation)) throw unauthorized();
  return conversation;
}

/** Inboxes an agent may list: administrators see all of them. */
export function visibleInboxes(access: AccountAccess): Inbox[] {
  return [...access.account.inboxes.values()].filter((inbox) => canSeeInbox(access, inbox));
}
