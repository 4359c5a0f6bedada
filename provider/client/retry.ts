import { ChatwootApiError, ChatwootNetworkError, ChatwootTimeoutError } from "./errors";

/** How a failed request is retried. */
export interface RetryPolicy {
  /** Retries after the first attempt. @default 4 */
  readonly maxRetries: number;
  /** Delay before the first retry; it doubles at each attempt, with full jitter. @default 250 */
  readonly baseDelayMs: number;
  /** Upper bound of any single backoff or `Retry-After` wait. @default 30000 */
  readonly maxDelayMs: number;
  /**
   * Length of the server's fixed rate-limit window: a 429 without `Retry-After` is waited out until
   * the next one starts. @default 60000 (rack-attack's `period: 1.minute` in Chatwoot)
   */
  readonly rateLimitWindowMs: number;
}

/**
 * Statuses worth another attempt: rate limiting, timeouts and server-side faults. Everything else
 * (400 401 403 404 422 …) is a definitive answer, and repeating the request cannot change it.
 */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Whether a failed attempt may be repeated.
 *
 * Idempotent requests (reads, and writes that set a full value) are repeated on any transient
 * fault. A request that is not idempotent (a POST that creates something) is repeated only when
 * the server certainly did not apply it; otherwise the caller must first look up whether its
 * write happened, because a blind repeat could create a duplicate.
 */
export function isRetryable(error: unknown, idempotent: boolean): boolean {
  if (error instanceof ChatwootApiError && !RETRYABLE_STATUSES.has(error.status)) return false;
  // Only an answer, a timeout or a lost connection can be transient; an unreadable answer or a bug is not.
  if (
    !(error instanceof ChatwootApiError) &&
    !(error instanceof ChatwootTimeoutError) &&
    !(error instanceof ChatwootNetworkError)
  ) {
    return false;
  }
  return idempotent || error.outcome === "not-applied";
}

/** The wait before retry number `attempt` (1-based): exponential, full jitter, `Retry-After` wins. */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  error: unknown,
  random: () => number = Math.random,
): number {
  if (error instanceof ChatwootApiError && error.retryAfterMs !== undefined) {
    return Math.min(error.retryAfterMs, policy.maxDelayMs);
  }
  const ceiling = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  // Half fixed, half random: retries from many resources spread out, yet never retry instantly.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * How long to wait after a 429 that names no `Retry-After`, or `undefined` for any other failure.
 *
 * Chatwoot's rack-attack (`config/initializers/rack_attack.rb`, rack-attack 6.7) counts requests
 * per client in fixed windows of the epoch (`Time.now.to_i / period`) and answers 429 without
 * `Retry-After`; every request until the window ends is refused, so retrying sooner only spends a
 * retry. With the server's `Date` header the end of its current window is known on its own clock
 * (the header's whole seconds never overshoot the window's end); without it, a whole window is
 * the shortest wait certain to reach the next one whatever the clocks' difference.
 */
export function rateLimitWaitMs(error: unknown, windowMs: number): number | undefined {
  if (!(error instanceof ChatwootApiError) || error.status !== 429 || error.retryAfterMs !== undefined) {
    return undefined;
  }
  if (error.serverTimeMs === undefined) return windowMs;
  return windowMs - (error.serverTimeMs % windowMs);
}

/** Parses an HTTP `Date` header into ms since the epoch. */
export function parseServerDate(header: string | null): number | undefined {
  if (header === null) return undefined;
  const time = Date.parse(header);
  return Number.isNaN(time) ? undefined : time;
}

/** Parses a `Retry-After` header (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
