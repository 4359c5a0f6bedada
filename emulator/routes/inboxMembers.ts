import { accessAccount, authorizeInbox, requireAdmin } from "../auth";
import type { RequestContext } from "../context";
import { ValidationErrors } from "../domain/validation";
import { internalServerError, recordInvalid } from "../errors";
import { emptyReply, jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { toRecordId } from "../http/rubyish";
import type { Account, Inbox } from "../store/types";
import { agentView } from "../views/users";
import { findInbox } from "./support";

const P = "/api/v1/accounts/:account_id/inbox_members";

function membersReply(ctx: RequestContext, account: Account, inbox: Inbox): Reply {
  const users = [...inbox.memberIds]
    .filter((userId) => account.members.has(userId))
    .map((userId) => ctx.state.store.users.get(userId))
    .filter((user) => user !== undefined)
    .sort((a, b) => a.id - b.id);
  return jsonReply(200, { payload: users.map((user) => agentView(user, account)) });
}

/** `params[:user_ids]`: an array of user ids; anything else crashes the controller (500). */
function userIds(ctx: RequestContext): number[] {
  const raw = ctx.params.user_ids;
  if (!Array.isArray(raw)) throw internalServerError();
  return raw.map((value) => toRecordId(value) ?? 0);
}

function addMembers(inbox: Inbox, ids: number[], account: Account): void {
  const errors = new ValidationErrors();
  for (const id of ids) {
    if (!account.members.has(id)) errors.add("user", "must exist");
    else if (inbox.memberIds.has(id)) errors.add("user_id", "has already been taken");
  }
  if (!errors.empty) throw recordInvalid(errors);
  for (const id of ids) inbox.memberIds.add(id);
}

function show(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "inbox_members#show");
  const inbox = findInbox(access, ctx.pathParams.inbox_id);
  authorizeInbox(access, inbox);
  return membersReply(ctx, access.account, inbox);
}

/** Adds agents to an inbox (administrators only). */
function create(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "inbox_members#create");
  const inbox = findInbox(access, ctx.params.inbox_id);
  requireAdmin(access);
  const ids = userIds(ctx).filter((id) => !inbox.memberIds.has(id));
  addMembers(inbox, ids, access.account);
  return membersReply(ctx, access.account, inbox);
}

/** Makes the member list exactly `user_ids` (administrators only). */
function update(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "inbox_members#update");
  const inbox = findInbox(access, ctx.params.inbox_id);
  requireAdmin(access);
  const wanted = userIds(ctx);
  addMembers(
    inbox,
    wanted.filter((id) => !inbox.memberIds.has(id)),
    access.account,
  );
  for (const id of [...inbox.memberIds]) if (!wanted.includes(id)) inbox.memberIds.delete(id);
  return membersReply(ctx, access.account, inbox);
}

function destroy(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "inbox_members#destroy");
  const inbox = findInbox(access, ctx.params.inbox_id);
  requireAdmin(access);
  const raw = ctx.params.user_ids;
  const ids = (Array.isArray(raw) ? raw : [raw]).map((value) => toRecordId(value));
  for (const id of ids) if (id !== null) inbox.memberIds.delete(id);
  return emptyReply();
}

export function registerInboxMemberRoutes(router: Router): void {
  router
    .add("GET", `${P}/:inbox_id`, show)
    .add("POST", P, create)
    .add("PATCH", P, update)
    .add("DELETE", P, destroy);
}
