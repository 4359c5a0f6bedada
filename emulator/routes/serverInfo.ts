import { jsonReply, type Reply } from "../http/reply";
import type { Router } from "../http/router";
import type { ReleaseProfile } from "../releases";

/** Rails' `Time.now.utc.to_fs(:db)`: `2026-11-29 18:40:00`. */
function databaseTime(now: Date): string {
  return now.toISOString().slice(0, 19).replace("T", " ");
}

/**
 * `GET /api`, answered without a token: the release from `config/app.yml` and
 * whether Redis and Postgres answer (chatwoot app/controllers/api_controller.rb, `index`; routes in
 * config/routes.rb; Chatwoot's root path answers the same, but here it is the web view). The
 * emulator's own stores always answer, so both services are `ok`.
 */
export function registerServerInfoRoutes(router: Router, release: ReleaseProfile): void {
  router.add("GET", "/api", (): Reply =>
    jsonReply(200, {
      version: release.version,
      timestamp: databaseTime(new Date()),
      queue_services: "ok",
      data_services: "ok",
    }),
  );
}
