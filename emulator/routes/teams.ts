import { accessAccount } from "../auth";
import type { RequestContext } from "../context";
import { jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { teamView } from "../views/users";

const P = "/api/v1/accounts/:account_id/teams";

/**
 * `GET /teams`: every team of the account for any member of it (`TeamPolicy#index?` is true), as a
 * bare JSON array of `_team.json.jbuilder` in id order (`Current.account.teams`, no ORDER BY; the
 * emulator's stand-in for the table's order). Chatwoot stores team names lower-cased (`Team`'s
 * `before_validation`), unique in the account (chatwoot app/controllers/api/v1/accounts/teams_controller.rb,
 * app/views/api/v1/accounts/teams/index.json.jbuilder, app/models/team.rb, v4.0.0 to 4.14.2).
 */
function index(ctx: RequestContext): Reply {
  const access = accessAccount(ctx, "teams#index");
  const teams = [...access.account.teams.values()].sort((a, b) => a.id - b.id);
  return jsonReply(
    200,
    teams.map((team) => teamView(team, access.user?.id ?? null)),
  );
}

export function registerTeamRoutes(router: Router): void {
  router.add("GET", P, index);
}
