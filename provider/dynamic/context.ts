import { ChatwootClient } from "../client/client";
import { RequestLimiter } from "../client/limiter";
import type { RetryPolicy } from "../client/retry";
import {
  DEFAULTS,
  Settings,
  StackConfig,
  resolveAccountId,
  resolveDefaultAccountId,
  resolveSettings,
} from "../config/settings";

/**
 * Process-wide state of the provider host. The host loads this module once, whatever the number
 * of resources, so the stack config and the request limiter here are shared by all of them.
 */

let stackConfig: StackConfig = {};

/** Remembers the stack config handed to `configure()`; values are kept in memory only. */
export function setStackConfig(config: StackConfig): void {
  stackConfig = config;
}

const limiter = new RequestLimiter({
  maxConcurrency: DEFAULTS.maxConcurrency,
  requestsPerMinute: DEFAULTS.requestsPerMinute,
});

export interface Connection {
  readonly client: ChatwootClient;
  readonly accountId: number;
  readonly settings: Settings;
  /** The client's retry policy, which creates also follow between their lookups. */
  readonly retry: RetryPolicy;
}

/** The settings in force now: stack config first, then the environment (read at call time). */
export function currentSettings(): Settings {
  const settings = resolveSettings(stackConfig);
  const limits = limiter.limits;
  if (
    limits.maxConcurrency !== settings.maxConcurrency ||
    limits.requestsPerMinute !== settings.requestsPerMinute
  ) {
    limiter.reconfigure({
      maxConcurrency: settings.maxConcurrency,
      requestsPerMinute: settings.requestsPerMinute,
    });
  }
  return settings;
}

/** The configured default account, without needing the URL or token (used by `check`). */
export function defaultAccountId(): number | undefined {
  return resolveDefaultAccountId(stackConfig);
}

/** A client for one operation, in the resource's account or the configured one. */
export function connect(resourceAccountId?: number): Connection {
  const settings = currentSettings();
  const retry = {
    maxRetries: settings.maxRetries,
    baseDelayMs: settings.retryBaseDelayMs,
    maxDelayMs: 30_000,
    rateLimitWindowMs: settings.rateLimitWindowMs,
  };
  const client = new ChatwootClient({
    baseUrl: settings.url,
    apiAccessToken: settings.apiAccessToken,
    requestTimeoutMs: settings.requestTimeoutMs,
    retry,
    limiter,
  });
  return { client, accountId: resolveAccountId(settings, resourceAccountId), settings, retry };
}
