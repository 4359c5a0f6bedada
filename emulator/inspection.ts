import type { EmulatorApp } from "./app";
import { accessTokenHeader } from "./auth";
import type { RequestContext } from "./context";
import { FaultValidationError, validateFaultConfig, validateFaultRule } from "./faults";
import { jsonReply, type Reply } from "./http/reply";
import { Router } from "./http/router";
import { isPlainObject } from "./http/rubyish";
import type { DeliveryRecord } from "./webhooks/deliveries";

/**
 * `/__emulator/…`: inspection and control endpoints that Chatwoot does not have. They answer only the
 * emulator administrator token (sent as `api_access_token`) and are never faulted or rate limited.
 */

function badRequest(message: string): Reply {
  return jsonReply(400, { error: message });
}

/** One callback of the delivery log: what was sent where, and how it ended. */
export function deliveryView(record: DeliveryRecord): Record<string, unknown> {
  return {
    id: record.id,
    event: record.event,
    account_id: record.accountId,
    inbox_id: record.inboxId,
    url: record.url,
    outcome: record.outcome,
    http_status: record.httpStatus,
    error: record.error,
    signed: record.signed,
    queued_at: new Date(record.queuedAtMs).toISOString(),
    finished_at: record.finishedAtMs === null ? null : new Date(record.finishedAtMs).toISOString(),
    payload: JSON.parse(record.body) as unknown,
  };
}

export function buildInspectionRouter(app: EmulatorApp): Router {
  const router = new Router();
  const guarded = (handler: (ctx: RequestContext) => Reply) => (ctx: RequestContext) => {
    if (accessTokenHeader(ctx) !== app.adminToken) {
      return jsonReply(401, { error: "The emulator administrator token is required" });
    }
    try {
      return handler(ctx);
    } catch (error) {
      if (error instanceof FaultValidationError) return badRequest(error.message);
      throw error;
    }
  };
  router
    .add(
      "GET",
      "/__emulator/summary",
      guarded(() => jsonReply(200, { accounts: app.summary() })),
    )
    .add(
      "POST",
      "/__emulator/reset",
      guarded(() => jsonReply(200, { reset: true, ...app.reset() })),
    )
    .add(
      "POST",
      "/__emulator/accounts",
      guarded((ctx) => {
        const name = typeof ctx.bodyParams.name === "string" ? ctx.bodyParams.name : undefined;
        return jsonReply(200, app.createAccount(name !== undefined ? { name } : {}));
      }),
    )
    .add(
      "GET",
      "/__emulator/faults",
      guarded(() => jsonReply(200, app.faults.snapshot())),
    )
    .add(
      "PUT",
      "/__emulator/faults",
      guarded((ctx) => {
        app.faults.set(validateFaultConfig(ctx.bodyParams));
        return jsonReply(200, app.faults.snapshot());
      }),
    )
    .add(
      "POST",
      "/__emulator/faults/rules",
      guarded((ctx) => {
        const body = ctx.bodyParams;
        const rules = Array.isArray(body._json) ? body._json : [body];
        for (const rule of rules) {
          if (!isPlainObject(rule)) return badRequest("a rule must be an object");
          app.faults.addRule(validateFaultRule(rule));
        }
        return jsonReply(200, app.faults.snapshot());
      }),
    )
    .add(
      "GET",
      "/__emulator/webhooks",
      guarded(() => jsonReply(200, { deliveries: app.state.webhooks.list().map(deliveryView) })),
    )
    .add(
      "DELETE",
      "/__emulator/webhooks",
      guarded(() => {
        app.state.webhooks.clear();
        return jsonReply(200, { deliveries: [] });
      }),
    )
    .add(
      "DELETE",
      "/__emulator/faults",
      guarded(() => {
        app.faults.clear();
        return jsonReply(200, app.faults.snapshot());
      }),
    );
  return router;
}
