import { authenticate } from "../auth";
import type { RequestContext } from "../context";
import { jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import { profileView } from "../views/users";

/** `GET /api/v1/profile`: any valid user token; not account-scoped. */
function show(ctx: RequestContext): Reply {
  const principal = authenticate(ctx, "profiles#show");
  if (principal.kind !== "user") throw new Error("bots are refused by authenticate");
  const accounts = [...ctx.state.store.accounts.values()];
  return jsonReply(200, profileView(principal.user, accounts));
}

export function registerProfileRoutes(router: Router): void {
  router.add("GET", "/api/v1/profile", show);
}
