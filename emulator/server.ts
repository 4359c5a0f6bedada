import type { IncomingMessage, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { EmulatorApp } from "./app";
import { accessTokenHeader } from "./auth";
import type { RequestContext } from "./context";
import { HttpError } from "./errors";
import type { FaultDecision } from "./faults";
import { parseBody, parseMultipartBody, parseNestedQuery, type BodyParseResult } from "./http/params";
import { jsonReply, textReply, type Reply } from "./http/reply";
import { normalisePath, type Router } from "./http/router";
import { buildInspectionRouter } from "./inspection";
import { redactedTarget, requestLogLine, type LogSink } from "./log";
import { RATE_LIMITED_BODY } from "./rateLimit";
import { buildWebViewRouter, servesWebView } from "./web/routes";

/** Bodies above this size are refused outright (Chatwoot's own limits are far below it). */
const MAX_BODY_BYTES = 20 * 1024 * 1024;

const NOT_FOUND_PAGE =
  '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Page not found</title></head>\n' +
  "<body><h1>Page not found</h1>\n<p>The page you're looking for doesn't exist or has been moved.</p></body>\n</html>\n";

const INTERNAL_ERROR = jsonReply(500, { status: 500, error: "Internal Server Error" });

function proxyErrorPage(status: 502 | 503): Reply {
  const title = status === 502 ? "502 Bad Gateway" : "503 Service Temporarily Unavailable";
  return textReply(
    status,
    `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
    "text/html",
  );
}

function faultReply(kind: FaultDecision["kind"]): Reply | null {
  switch (kind) {
    case "429":
      return textReply(429, RATE_LIMITED_BODY);
    case "500":
      return INTERNAL_ERROR;
    case "502":
      return proxyErrorPage(502);
    case "503":
      return proxyErrorPage(503);
    default:
      return null;
  }
}

/**
 * A body Rails cannot parse is a 400 from the public-exceptions app: JSON only when the client asked
 * for JSON in `Accept`, otherwise an empty body (there is no `public/400.html`).
 */
function malformedBodyReply(accept: string | undefined): Reply {
  if (accept !== undefined && /application\/json/i.test(accept))
    return jsonReply(400, { status: 400, error: "Bad Request" });
  return { status: 400, body: "", contentType: "text/html; charset=utf-8" };
}

/** rack-attack's throttles that apply to the Application API, when rate limiting is enabled. */
function throttled(
  app: EmulatorApp,
  method: string,
  path: string,
  clientKey: string,
  token: string | undefined,
): boolean {
  if (app.settings.rateLimitPerMinute <= 0) return false;
  if (app.clientLimiter.hit(clientKey)) return true;
  const search = /^\/api\/v1\/accounts\/(\d+)\/contacts\/search/.exec(path);
  if (search && app.searchLimiter.hit(search[1] ?? "")) return true;
  const meta = /^\/api\/v1\/accounts\/(\d+)\/conversations\/meta/.exec(path);
  if (meta && method === "GET" && token !== undefined && app.metaLimiter.hit(`${token}:${meta[1] ?? ""}`))
    return true;
  return false;
}

export interface RequestListenerOptions {
  log: LogSink;
  /** Serve the read-only HTML view at `/` (see `web/routes.ts`). @default true */
  webView?: boolean;
}

/** The `http.Server` request listener: body collection, limits, faults, routing, logging. */
export function createRequestListener(app: EmulatorApp, options: RequestListenerOptions) {
  const inspection = buildInspectionRouter(app);
  const webView = options.webView === false ? null : buildWebViewRouter();
  const log = options.log;

  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const rawUrl = req.url ?? "/";
    const method = (req.method ?? "GET").toUpperCase();

    const finish = (reply: Reply | "dropped", note?: string): void => {
      if (reply === "dropped") req.socket.destroy();
      else writeReply(res, reply, method === "HEAD");
      if (log) {
        const status = reply === "dropped" ? "dropped" : reply.status;
        log(requestLogLine(method, rawUrl, status, performance.now() - started, note));
      }
    };

    const handle = (body: BodyParseResult): void => {
      const queryStart = rawUrl.indexOf("?");
      const pathname = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
      const search = queryStart === -1 ? "" : rawUrl.slice(queryStart + 1);
      const request: ParsedRequest = { req, method, pathname, search, body };

      if (pathname === "/__emulator" || pathname.startsWith("/__emulator/")) {
        return finish(dispatch(app, inspection, request, log));
      }
      if (webView !== null && servesWebView(webView, method, pathname)) {
        // The view is not part of Chatwoot's API: never faulted or rate limited, so it keeps showing
        // the data while a client is being tested against faults.
        return finish(dispatch(app, webView, request, log));
      }
      const clientKey = req.socket.remoteAddress ?? "unknown";
      if (throttled(app, method, pathname, clientKey, accessTokenHeader(req))) {
        return finish(textReply(429, RATE_LIMITED_BODY), "rate-limited");
      }
      // Requests whose client gave up earlier (`commit_late`) land before this one is handled.
      applyHeldRequests(app);
      const fault = app.faults.decide(method, normalisePath(pathname));
      const act = (): void => {
        if (fault === null || fault.kind === "latency") {
          return finish(dispatch(app, app.router, request, log), fault ? "fault=latency" : undefined);
        }
        const note = `fault=${fault.kind}`;
        if (fault.kind === "drop") return finish("dropped", note);
        if (fault.kind === "commit_late") {
          app.heldRequests.push({
            remaining: fault.applyAfter,
            apply: () => dispatch(app, app.router, request, log),
          });
          return finish("dropped", `${note} held`);
        }
        const canned = faultReply(fault.kind);
        if (canned) return finish(canned, note);
        // commit then fail: the request is applied, then the answer is lost.
        const applied = dispatch(app, app.router, request, log);
        return finish(
          fault.kind === "commit_then_500" ? INTERNAL_ERROR : "dropped",
          `${note} applied=${applied.status}`,
        );
      };
      if (fault && fault.latencyMs > 0) setTimeout(act, fault.latencyMs);
      else act();
    };

    /** A bug in the emulator must cost one request a 500, never the whole process. */
    const safely = (body: BodyParseResult): void => {
      try {
        handle(body);
      } catch (error) {
        if (log)
          log(
            `emulator error on ${method} ${redactedTarget(rawUrl)}: ${error instanceof Error ? error.message : String(error)}`,
          );
        if (!res.headersSent) finish(INTERNAL_ERROR);
      }
    };

    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("error", () => res.destroy());
    req.on("end", () => {
      if (tooLarge) return finish(textReply(413, "Payload Too Large\n"));
      const buffer = Buffer.concat(chunks);
      const contentType = req.headers["content-type"] ?? "";
      if (/^multipart\/form-data/i.test(contentType)) {
        // Multipart parsing is asynchronous; every other body stays on the synchronous path.
        void parseMultipartBody(contentType, buffer).then(safely);
      } else {
        safely(parseBody(contentType, buffer.toString("utf8")));
      }
    });
  };
}

/** Counts one more API request against every held request, applying those whose turn has come. */
function applyHeldRequests(app: EmulatorApp): void {
  const due = app.heldRequests.filter((held) => (held.remaining -= 1) <= 0);
  if (due.length === 0) return;
  app.heldRequests = app.heldRequests.filter((held) => held.remaining > 0);
  // Its answer goes nowhere: the client that sent it is gone.
  for (const held of due) held.apply();
}

interface ParsedRequest {
  req: IncomingMessage;
  method: string;
  pathname: string;
  search: string;
  body: BodyParseResult;
}

function writeReply(res: ServerResponse, reply: Reply, headOnly: boolean): void {
  const body = Buffer.from(reply.body, "utf8");
  res.writeHead(reply.status, {
    // A 204 carries no body, so neither a type nor a length (RFC 9110 §8.6).
    ...(reply.status === 204 ? {} : { "Content-Type": reply.contentType, "Content-Length": body.length }),
    ...reply.headers,
  });
  res.end(headOnly ? undefined : body);
}

/** Routes one request and runs the work deferred "to after the response". */
export function dispatch(app: EmulatorApp, router: Router, request: ParsedRequest, log: LogSink): Reply {
  const { req, method, pathname, search, body } = request;
  const routeMethod = method === "HEAD" ? "GET" : method;
  const match = router.match(routeMethod, normalisePath(pathname));
  if (!match) return textReply(404, NOT_FOUND_PAGE, "text/html; charset=utf-8");
  if (!body.ok) return malformedBodyReply(req.headers.accept);
  const query = parseNestedQuery(search);
  const ctx: RequestContext = {
    method: routeMethod,
    path: pathname,
    headers: req.headers,
    params: { ...query, ...body.params, ...match.pathParams },
    bodyParams: body.params,
    bodyIsJson: body.isJson,
    pathParams: match.pathParams,
    state: app.state,
    deferred: [],
  };
  let reply: Reply;
  try {
    reply = match.handler(ctx);
  } catch (error) {
    if (error instanceof HttpError) reply = error.reply;
    else {
      reply = INTERNAL_ERROR;
      if (log)
        log(
          `unhandled error on ${method} ${pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
    }
  }
  for (const job of ctx.deferred) {
    try {
      job();
    } catch {
      // A failing background job never affects the response, as in Chatwoot.
    }
  }
  return reply;
}
