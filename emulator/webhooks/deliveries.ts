import { createHmac, randomUUID } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import { isIP } from "node:net";
import type { WebhookEvent } from "./payloads";

/**
 * Delivery of API-inbox callbacks, as chatwoot 4.14 does it (`app/listeners/webhook_listener.rb`
 * `deliver_api_inbox_webhooks`, `app/jobs/webhook_job.rb`, `lib/webhooks/trigger.rb`):
 * - only for `Channel::Api` inboxes with a non-blank `webhook_url`;
 * - one POST of `payload.to_json` with `Content-Type` and `Accept: application/json`,
 *   `X-Chatwoot-Delivery` (a fresh UUID), and, when the channel has a `secret` (4.13 and later),
 *   `X-Chatwoot-Timestamp` and `X-Chatwoot-Signature: sha256=HMAC-SHA256(secret, "<ts>.<body>")`;
 * - a 5-second timeout (`WEBHOOK_TIMEOUT`'s default), and success means a 2xx answer;
 * - NO retry: `Webhooks::Trigger` retries only agent-bot webhooks (429/500); an API inbox
 *   delivery that fails is logged ("Exception: Invalid webhook URL …") and, for
 *   `message_created`/`message_updated`, marks the message `failed` with the error as
 *   `external_error` (`Messages::StatusUpdateService`).
 *
 * Where the emulator differs on purpose: it delivers only to loopback addresses (127.0.0.0/8,
 * ::1, localhost) and refuses any other target without sending anything. Chatwoot's `SafeFetch`
 * does the reverse by default (it refuses private and loopback addresses unless
 * `SAFE_FETCH_ALLOW_PRIVATE_NETWORK` is set); the emulator stands for a Chatwoot with that
 * switch on, kept off every network but this machine's.
 */

/** `WEBHOOK_TIMEOUT` default (lib/webhooks/trigger.rb `webhook_timeout`). */
export const WEBHOOK_TIMEOUT_MS = 5_000;
/** How many deliveries the log keeps (oldest dropped first). */
const LOG_LIMIT = 1_000;

export type DeliveryOutcome = "pending" | "delivered" | "failed" | "refused";

export interface DeliveryRecord {
  /** The `X-Chatwoot-Delivery` header. */
  readonly id: string;
  readonly event: WebhookEvent;
  readonly accountId: number;
  readonly inboxId: number;
  readonly url: string;
  /** When the delivery was queued (ms since the epoch). */
  readonly queuedAtMs: number;
  outcome: DeliveryOutcome;
  /** The receiver's HTTP status, when it answered. */
  httpStatus: number | null;
  /** Chatwoot's error text for a failed delivery (`SafeFetch::HttpError`'s "500 Internal Server Error"). */
  error: string | null;
  finishedAtMs: number | null;
  /** Whether the request carried `X-Chatwoot-Signature`. */
  readonly signed: boolean;
  /** The exact body sent. */
  readonly body: string;
}

export interface DeliveryRequest {
  readonly event: WebhookEvent;
  readonly accountId: number;
  readonly inboxId: number;
  readonly url: string;
  readonly secret: string | null;
  readonly payload: Record<string, unknown>;
  /** Called once, when a delivery fails or is refused (the message-status bookkeeping). */
  readonly onFailure?: (error: string) => void;
}

/** Whether a URL points at this machine: the only receivers the emulator will call. */
export function isLoopbackUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  if (isIP(host) === 6) return host === "::1";
  return false;
}

/** `Webhooks::Trigger#request_headers`. */
export function signedHeaders(body: string, secret: string | null, deliveryId: string, nowMs: number) {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    Accept: "application/json",
    "X-Chatwoot-Delivery": deliveryId,
  };
  if (secret !== null && secret !== "") {
    const timestamp = String(Math.floor(nowMs / 1000));
    headers["X-Chatwoot-Timestamp"] = timestamp;
    headers["X-Chatwoot-Signature"] =
      `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
  }
  return headers;
}

/** Sends callbacks and remembers each one for the inspection API and the web view. */
export class WebhookDeliveries {
  private readonly records: DeliveryRecord[] = [];
  private readonly inFlight = new Set<http.ClientRequest>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly log: (line: string) => void = () => undefined) {}

  /** The log, oldest first. */
  list(): readonly DeliveryRecord[] {
    return this.records;
  }

  clear(): void {
    this.records.length = 0;
  }

  /** Deliveries not finished yet. */
  get inProgress(): number {
    return this.pending.size;
  }

  /** Replaces the log with copies of `records` (restoring a snapshot). */
  replaceLog(records: readonly DeliveryRecord[]): void {
    this.records.splice(0, this.records.length, ...structuredClone(records));
  }

  /** Resolves once every delivery queued so far has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Aborts deliveries in flight (the emulator is closing). */
  abortAll(): void {
    for (const request of this.inFlight) request.destroy();
  }

  deliver(request: DeliveryRequest): DeliveryRecord {
    const body = JSON.stringify(request.payload);
    const id = randomUUID();
    const now = Date.now();
    const record: DeliveryRecord = {
      id,
      event: request.event,
      accountId: request.accountId,
      inboxId: request.inboxId,
      url: request.url,
      queuedAtMs: now,
      outcome: "pending",
      httpStatus: null,
      error: null,
      finishedAtMs: null,
      signed: request.secret !== null && request.secret !== "",
      body,
    };
    this.records.push(record);
    if (this.records.length > LOG_LIMIT) this.records.splice(0, this.records.length - LOG_LIMIT);
    const finish = (outcome: DeliveryOutcome, httpStatus: number | null, error: string | null) => {
      record.outcome = outcome;
      record.httpStatus = httpStatus;
      record.error = error;
      record.finishedAtMs = Date.now();
      if (error !== null) {
        this.log(`webhook ${request.event} to ${request.url} ${outcome}: ${error}`);
        request.onFailure?.(error);
      }
    };
    if (!isLoopbackUrl(request.url)) {
      finish(
        "refused",
        null,
        `the emulator delivers callbacks to loopback addresses only, not ${request.url}`,
      );
      return record;
    }
    const done = this.post(request.url, body, signedHeaders(body, request.secret, id, now)).then(
      (status) =>
        status >= 200 && status <= 299
          ? finish("delivered", status, null)
          : finish("failed", status, `${status} ${http.STATUS_CODES[status] ?? ""}`.trim()),
      (error: Error) => finish("failed", null, error.message),
    );
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
    return record;
  }

  private post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    return new Promise((resolve, reject) => {
      const client = url.startsWith("https:") ? https : http;
      const request = client.request(url, {
        method: "POST",
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        timeout: WEBHOOK_TIMEOUT_MS,
        // Nothing the receiver says is used, and no redirect is followed (SafeFetch answers a 3xx with an error).
      });
      this.inFlight.add(request);
      request.on("timeout", () => request.destroy(new Error("Net::ReadTimeout with #<TCPSocket:(closed)>")));
      request.on("error", (error) => {
        this.inFlight.delete(request);
        reject(error);
      });
      request.on("response", (response) => {
        response.resume();
        response.on("end", () => {
          this.inFlight.delete(request);
          resolve(response.statusCode ?? 0);
        });
      });
      request.end(body);
    });
  }
}
