import { ChatwootClient } from "../client/client";
import { RequestLimiter } from "../client/limiter";
import { DEFAULTS, Settings, StackConfig, resolveAccountId, resolveSettings } from "../config/settings";

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
  const text = stackConfig.accountId ?? process.env.CHATWOOT_ACCOUNT_ID;
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/** A client for one operation, in the resource's account or the configured one. */
export function connect(resourceAccountId?: number): Connection {
  const settings = currentSettings();
  const client = new ChatwootClient({
    baseUrl: settings.url,
    apiAccessToken: settings.apiAccessToken,
    requestTimeoutMs: settings.requestTimeoutMs,
    retry: { maxRetries: settings.maxRetries, baseDelayMs: settings.retryBaseDelayMs, maxDelayMs: 30_000 },
    limiter,
  });
  return { client, accountId: resolveAccountId(settings, resourceAccountId), settings };
}
