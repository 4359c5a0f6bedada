import { accessAccount, findConversation } from "../auth";
import type { RequestContext } from "../context";
import { actorOf } from "../domain/actor";
import { updateConversation } from "../domain/conversations";
import { cachedLabelListArray, parseTagList } from "../domain/tags";
import { jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { isPlainObject, toRecordId } from "../http/rubyish";
import { agentBotSlimView, agentView, teamRecordView } from "../views/users";
import { domainContext } from "./support";

const P = "/api/v1/accounts/:account_id/conversations/:conversation_id";

function labels(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversation_labels#index");
  const conversation = findConversation(access, ctx.pathParams.conversation_id);
  return jsonReply(200, { payload: conversation.labels });
}

/**
 * Replaces the whole list (`update_labels`); a missing or non-array `labels` clears it. The tags are
 * found or created in the installation's shared table, but a conversation shows its
 * `cached_label_list` (`_conversation.json.jbuilder`: `cached_label_list_array`), which holds the
 * list as parsed from the request, so the spelling sent is the spelling read back.
 */
function setLabels(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "conversation_labels#create");
  const conversation = findConversation(access, ctx.pathParams.conversation_id);
  const raw = ctx.params.labels;
  const permitted =
    Array.isArray(raw) && raw.every((item) => !isPlainObject(item) && !Array.isArray(item)) ? raw : null;
  const assigned = parseTagList(permitted);
  ctx.state.store.tags.findOrCreate(assigned);
  updateConversation(
    domainContext(ctx, access),
    conversation,
    { labels: cachedLabelListArray(assigned) },
    actorOf(access),
  );
  return jsonReply(200, { payload: assigned });
}

/**
 * `assignee_id` (a user of the account; unknown ids and null unassign), `assignee_type: "AgentBot"`
 * (from the release that added it),
 * or `team_id` (unknown ids clear the team). Neither: `null`.
 */
function assign(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "assignments#create");
  const conversation = findConversation(access, ctx.pathParams.conversation_id);
  const dctx = domainContext(ctx, access);
  const actor = actorOf(access);
  const params = ctx.params;
  const account = access.account;
  // Before agent-bot assignment existed, `assignee_type` was ignored and `assignee_id` named a user.
  const toBot =
    ctx.state.store.release.agentBotAssignment && String(params.assignee_type ?? "") === "AgentBot";
  if ("assignee_id" in params || toBot) {
    if (toBot) {
      const botId = toRecordId(params.assignee_id);
      const bot = botId === null ? undefined : account.bots.get(botId);
      if (!bot) return jsonReply(200, null);
      updateConversation(dctx, conversation, { assigneeId: null, assigneeAgentBotId: bot.id }, actor);
      return jsonReply(200, agentBotSlimView(bot));
    }
    const userId = toRecordId(params.assignee_id);
    const user =
      userId !== null && account.members.has(userId) ? ctx.state.store.users.get(userId) : undefined;
    updateConversation(
      dctx,
      conversation,
      { assigneeId: user ? user.id : null, assigneeAgentBotId: null },
      actor,
    );
    return jsonReply(200, user ? agentView(user, account) : null);
  }
  if ("team_id" in params) {
    const teamId = toRecordId(params.team_id);
    const team = teamId === null ? undefined : account.teams.get(teamId);
    updateConversation(dctx, conversation, { teamId: team ? team.id : null }, actor);
    return jsonReply(200, team ? teamRecordView(team) : null);
  }
  return jsonReply(200, null);
}

export function registerConversationMemberRoutes(router: Router): void {
  router
    .add("GET", `${P}/labels`, labels)
    .add("POST", `${P}/labels`, setLabels)
    .add("POST", `${P}/assignments`, assign);
}
