import { accessAccount } from "../auth";
import type { RequestContext } from "../context";
import { jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { agentView } from "../views/users";
import { compareText } from "./support";

const P = "/api/v1/accounts/:account_id/agents";

/**
 * `GET /agents`: every user of the account, administrators included, for any member of it
 * (`UserPolicy#index?` is true), as a bare JSON array of `_agent.json.jbuilder`, ordered by
 * `order_by_full_name`, `lower(name) ASC` (chatwoot app/controllers/api/v1/accounts/agents_controller.rb,
 * app/views/api/v1/accounts/agents/index.json.jbuilder, app/models/user.rb, v4.0.0 to 4.14.2).
 * Bots are refused: `agents#index` is not on the bot allow-list.
 */
function index(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "agents#index");
  const account = access.account;
  const users = [...account.members.keys()]
    .map((userId) => ctx.state.store.users.get(userId))
    .filter((user) => user !== undefined)
    .sort((a, b) => compareText(a.name.toLowerCase(), b.name.toLowerCase()) || a.id - b.id);
  return jsonReply(
    200,
    users.map((user) => agentView(user, account)),
  );
}

export function registerAgentRoutes(router: Router): void {
  router.add("GET", P, index);
}
