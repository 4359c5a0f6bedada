import { strict as assert } from "node:assert";
import {
  ChatwootApiError,
  ChatwootNetworkError,
  ChatwootResponseError,
  ChatwootTimeoutError,
} from "../../provider/client/errors";
import {
  isRetryable,
  parseRetryAfter,
  parseServerDate,
  rateLimitWaitMs,
  retryDelayMs,
} from "../../provider/client/retry";

const request = { method: "GET", path: "/x" };
const policy = { maxRetries: 4, baseDelayMs: 250, maxDelayMs: 30_000, rateLimitWindowMs: 60_000 };
const apiError = (status: number, extra: { retryAfterMs?: number; serverTimeMs?: number } = {}) =>
  new ChatwootApiError(request, { status, chatwootMessage: "m", ...extra, attributes: [] });

/** The retry rules as pure functions: exact values, no clock, no network. */
describe("retry rules", () => {
  it("parses Retry-After as seconds or as an HTTP date, never negative", () => {
    const now = Date.parse("2026-11-29T15:40:00Z");
    assert.equal(parseRetryAfter("7", now), 7_000);
    assert.equal(parseRetryAfter("0.5", now), 500);
    assert.equal(parseRetryAfter("Sun, 29 Nov 2026 15:40:20 GMT", now), 20_000);
    assert.equal(parseRetryAfter("Sun, 29 Nov 2026 15:39:00 GMT", now), 0, "a date in the past: at once");
    assert.equal(parseRetryAfter("-3", now), 0);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter("  ", now), undefined);
    assert.equal(parseRetryAfter("soon", now), undefined);
  });

  it("reads the server's Date header", () => {
    assert.equal(parseServerDate("Sun, 29 Nov 2026 15:40:45 GMT"), Date.parse("2026-11-29T15:40:45Z"));
    assert.equal(parseServerDate(null), undefined);
    assert.equal(parseServerDate("yesterday-ish"), undefined);
  });

  it("waits a 429 without Retry-After out to the end of the server's fixed window", () => {
    const at = (iso: string) => apiError(429, { serverTimeMs: Date.parse(iso) });
    assert.equal(rateLimitWaitMs(at("2026-11-29T15:40:45Z"), 60_000), 15_000);
    assert.equal(rateLimitWaitMs(at("2026-11-29T15:40:00Z"), 60_000), 60_000, "a window that just began");
    assert.equal(rateLimitWaitMs(at("2026-11-29T15:40:59Z"), 60_000), 1_000);
    assert.equal(rateLimitWaitMs(at("2026-11-29T15:40:45Z"), 10_000), 5_000, "another window length");
    assert.equal(rateLimitWaitMs(apiError(429), 60_000), 60_000, "no Date: a whole window");
    assert.equal(
      rateLimitWaitMs(apiError(429, { retryAfterMs: 3_000 }), 60_000),
      undefined,
      "Retry-After wins",
    );
    assert.equal(rateLimitWaitMs(apiError(503, { serverTimeMs: 0 }), 60_000), undefined);
    assert.equal(rateLimitWaitMs(new ChatwootTimeoutError(request, 5), 60_000), undefined);
  });

  it("backs off exponentially with jitter between half and all of the ceiling, capped", () => {
    const lowest = () => 0;
    const highest = () => 1;
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, apiError(500), lowest)),
      [125, 250, 500, 1_000],
    );
    assert.deepEqual(
      [1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, policy, apiError(500), highest)),
      [250, 500, 1_000, 2_000],
    );
    assert.equal(retryDelayMs(12, policy, apiError(500), highest), 30_000, "the cap on a single wait");
    assert.equal(retryDelayMs(1, policy, apiError(503, { retryAfterMs: 4_000 }), highest), 4_000);
    assert.equal(retryDelayMs(1, policy, apiError(503, { retryAfterMs: 999_000 }), highest), 30_000);
    assert.equal(retryDelayMs(1, policy, apiError(503, { retryAfterMs: 0 }), highest), 0);
  });

  it("retries transient failures, and a write only when it certainly did not apply", () => {
    for (const status of [408, 429, 500, 502, 503, 504]) {
      assert.equal(isRetryable(apiError(status), true), true, `GET after ${status}`);
    }
    for (const status of [400, 401, 403, 404, 409, 422, 501]) {
      assert.equal(isRetryable(apiError(status), true), false, `GET after ${status}`);
    }
    assert.equal(isRetryable(new ChatwootTimeoutError(request, 5), true), true);
    assert.equal(
      isRetryable(new ChatwootNetworkError(request, { code: "ECONNRESET", reason: "r" }), true),
      true,
    );
    assert.equal(isRetryable(new ChatwootResponseError(request, "odd"), true), false);
    assert.equal(isRetryable(new Error("not ours"), true), false);
    // A create: only what certainly never ran.
    assert.equal(isRetryable(apiError(429), false), true);
    assert.equal(
      isRetryable(new ChatwootNetworkError(request, { code: "ECONNREFUSED", reason: "r" }), false),
      true,
    );
    assert.equal(isRetryable(apiError(500), false), false);
    assert.equal(isRetryable(apiError(408), false), false);
    assert.equal(isRetryable(new ChatwootTimeoutError(request, 5), false), false);
    assert.equal(
      isRetryable(new ChatwootNetworkError(request, { code: "ECONNRESET", reason: "r" }), false),
      false,
    );
  });
});
