import { AsyncLocalStorage } from "node:async_hooks";
import { ChatwootClient } from "../client/client";
import { RequestLimiter } from "../client/limiter";
import type { RetryPolicy } from "../client/retry";
import type { ConnectionOverride } from "../config/connection";
import {
  DEFAULTS,
  Settings,
  StackConfig,
  resolveAccountId,
  resolveAllowInsecureHttp,
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

/**
 * A resource's own `connection`, in force for the provider call running inside `withConnection` (and
 * every request it makes), whatever else runs concurrently in the host.
 */
const resourceConnection = new AsyncLocalStorage<ConnectionOverride>();

export function withConnection<T>(
  override: ConnectionOverride | undefined,
  run: () => Promise<T>,
): Promise<T> {
  return override ? resourceConnection.run(override, run) : run();
}

/** The stack config with the current resource's connection laid over it. */
function effectiveConfig(): StackConfig {
  const override = resourceConnection.getStore();
  if (!override) return stackConfig;
  return {
    ...stackConfig,
    ...(override.url === undefined ? {} : { url: override.url }),
    ...(override.apiAccessToken === undefined ? {} : { apiAccessToken: override.apiAccessToken }),
    ...(override.accountId === undefined ? {} : { accountId: String(override.accountId) }),
  };
}

/** `chatwoot:allowInsecureHttp`, for checking a connection's URL before any request. */
export function allowInsecureHttp(): boolean {
  return resolveAllowInsecureHttp(stackConfig);
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

/**
 * The settings in force now: the resource's connection, then stack config, then the environment (read
 * at call time).
 */
export function currentSettings(): Settings {
  const settings = resolveSettings(effectiveConfig());
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
  return resolveDefaultAccountId(effectiveConfig());
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
