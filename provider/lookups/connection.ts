/**
 * The connection a lookup uses, resolved in the Pulumi program's process (lookups never run in the
 * provider host): the `connection` argument first, then the stack's `chatwoot:*` config, then the
 * CHATWOOT_* environment variables, exactly as the resources resolve theirs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "../dynamic/connectionArgs";
import { ChatwootClient } from "../client/client";
import { RequestLimiter } from "../client/limiter";
import { connectionFailures } from "../config/connection";
import {
  DEFAULTS,
  StackConfig,
  resolveAccountId,
  resolveAllowInsecureHttp,
  resolveSettings,
  stackConfigFrom,
} from "../config/settings";

/** A lookup's own connection: each part left out comes from the stack config or the environment. */
export interface LookupConnection {
  readonly url?: string;
  readonly apiAccessToken?: string;
  readonly accountId?: number;
}

export interface OpenedLookup {
  readonly client: ChatwootClient;
  readonly accountId: number;
  /** For redacting the messages this module builds itself. */
  readonly token: string;
}

/**
 * One limiter for every lookup of the program, as the host has one for every resource: a program
 * looking up many names stays inside `chatwoot:maxConcurrency` and `chatwoot:requestsPerMinute`.
 */
const limiter = new RequestLimiter({
  maxConcurrency: DEFAULTS.maxConcurrency,
  requestsPerMinute: DEFAULTS.requestsPerMinute,
});

/** The program's stack config (`PULUMI_CONFIG`), read raw so that a secret token raises no warning. */
function programStackConfig(): StackConfig {
  return stackConfigFrom({ get: (key) => pulumi.runtime.getConfig(key) });
}

/**
 * A client for one lookup; a bad connection or setting throws a message naming it (never the
 * token's value), before any request.
 */
export function openLookup(
  connection: LookupConnection | undefined,
  accountId: number | undefined,
  env: NodeJS.ProcessEnv = process.env,
): OpenedLookup {
  const stack = programStackConfig();
  if (connection !== undefined) {
    const failures = connectionFailures(connection, resolveAllowInsecureHttp(stack, env));
    if (failures.length > 0) throw new Error(failures.map((failure) => failure.reason).join("; "));
  }
  const settings = resolveSettings(
    {
      ...stack,
      ...(connection?.url === undefined ? {} : { url: connection.url }),
      ...(connection?.apiAccessToken === undefined ? {} : { apiAccessToken: connection.apiAccessToken }),
      ...(connection?.accountId === undefined ? {} : { accountId: String(connection.accountId) }),
    },
    env,
  );
  const { limits } = limiter;
  if (
    limits.maxConcurrency !== settings.maxConcurrency ||
    limits.requestsPerMinute !== settings.requestsPerMinute
  ) {
    limiter.reconfigure({
      maxConcurrency: settings.maxConcurrency,
      requestsPerMinute: settings.requestsPerMinute,
    });
  }
  const client = new ChatwootClient({
    baseUrl: settings.url,
    apiAccessToken: settings.apiAccessToken,
    requestTimeoutMs: settings.requestTimeoutMs,
    retry: {
      maxRetries: settings.maxRetries,
      baseDelayMs: settings.retryBaseDelayMs,
      maxDelayMs: 30_000,
      rateLimitWindowMs: settings.rateLimitWindowMs,
    },
    limiter,
  });
  return { client, accountId: resolveAccountId(settings, accountId), token: settings.apiAccessToken };
}

/** An Output of ConnectionArgs unwraps parts left out as `undefined`; a lookup wants them absent. */
export function lookupConnectionFrom(connection: pulumi.Unwrap<ConnectionArgs>): LookupConnection {
  return Object.fromEntries(
    Object.entries(connection).filter(([, value]) => value !== undefined && value !== null),
  ) as LookupConnection;
}
