/**
 * Provider configuration: Pulumi stack config under the `chatwoot:` namespace (delivered to
 * `configure()`), with environment variables as the fallback. Both are read when an operation
 * runs, never when the program is serialized, so nothing here can reach the state, and a token
 * rotated in the environment is picked up by the next `pulumi destroy`.
 */
import { SHORTEST_REDACTED_SECRET } from "../client/redact";

/** One configuration setting: its stack config key, environment variable and meaning. */
interface SettingSpec {
  readonly key: string;
  readonly env: string;
  readonly describe: string;
}

export const SETTINGS = {
  url: { key: "chatwoot:url", env: "CHATWOOT_URL", describe: "Chatwoot's base URL" },
  accountId: { key: "chatwoot:accountId", env: "CHATWOOT_ACCOUNT_ID", describe: "the Chatwoot account id" },
  apiAccessToken: {
    key: "chatwoot:apiAccessToken",
    env: "CHATWOOT_API_ACCESS_TOKEN",
    describe: "the Chatwoot API access token",
  },
  requestTimeoutMs: {
    key: "chatwoot:requestTimeoutMs",
    env: "CHATWOOT_REQUEST_TIMEOUT_MS",
    describe: "the per-request timeout in milliseconds",
  },
  maxRetries: { key: "chatwoot:maxRetries", env: "CHATWOOT_MAX_RETRIES", describe: "retries per request" },
  retryBaseDelayMs: {
    key: "chatwoot:retryBaseDelayMs",
    env: "CHATWOOT_RETRY_BASE_DELAY_MS",
    describe: "the first retry delay in milliseconds",
  },
  maxConcurrency: {
    key: "chatwoot:maxConcurrency",
    env: "CHATWOOT_MAX_CONCURRENCY",
    describe: "the maximum number of concurrent requests",
  },
  requestsPerMinute: {
    key: "chatwoot:requestsPerMinute",
    env: "CHATWOOT_REQUESTS_PER_MINUTE",
    describe: "the maximum number of requests per minute",
  },
  rateLimitWindowMs: {
    key: "chatwoot:rateLimitWindowMs",
    env: "CHATWOOT_RATE_LIMIT_WINDOW_MS",
    describe: "the length of the server's rate-limit window in milliseconds",
  },
  allowInsecureHttp: {
    key: "chatwoot:allowInsecureHttp",
    env: "CHATWOOT_ALLOW_INSECURE_HTTP",
    describe: "whether a plain http:// URL to a host other than this machine is allowed",
  },
} as const satisfies Record<string, SettingSpec>;

type SettingName = keyof typeof SETTINGS;

export const DEFAULTS = {
  requestTimeoutMs: 30_000,
  maxRetries: 4,
  retryBaseDelayMs: 250,
  maxConcurrency: 8,
  // Half of Chatwoot's default RACK_ATTACK_LIMIT (3000 per minute per client IP), leaving room for
  // the other clients behind the same address.
  requestsPerMinute: 1_500,
  // rack-attack's `period: 1.minute` (chatwoot config/initializers/rack_attack.rb).
  rateLimitWindowMs: 60_000,
} as const;

export interface Settings {
  readonly url: URL;
  /** Absent when only resources name their account. */
  readonly accountId: number | undefined;
  readonly apiAccessToken: string;
  readonly requestTimeoutMs: number;
  readonly maxRetries: number;
  readonly retryBaseDelayMs: number;
  readonly maxConcurrency: number;
  readonly requestsPerMinute: number;
  readonly rateLimitWindowMs: number;
  /** Whether `url` may be plain http to a host other than loopback (the token then crosses in clear). */
  readonly allowInsecureHttp: boolean;
}

/** A configuration problem, worded so that the user knows which key to set and how. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigurationError";
  }
}

/** The stack config values received by `configure()`, or nothing when it was never called. */
export type StackConfig = Readonly<Partial<Record<SettingName, string>>>;

/** Reads the values this provider knows from Pulumi's `configure()` request config. */
export function stackConfigFrom(config: { get(key: string): string | undefined } | undefined): StackConfig {
  const values: Partial<Record<SettingName, string>> = {};
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const value = safeGet(config, SETTINGS[name].key);
    if (value !== undefined && value !== "") values[name] = value;
  }
  return values;
}

function safeGet(
  config: { get(key: string): string | undefined } | undefined,
  key: string,
): string | undefined {
  try {
    const value = config?.get(key);
    return value === undefined || value === null ? undefined : String(value);
  } catch {
    // The host builds its Config over whatever the engine sent; with no Configure call there is none.
    return undefined;
  }
}

/**
 * Why a token shorter than {@link SHORTEST_REDACTED_SECRET} is refused: Chatwoot's access tokens are
 * 24 characters (`has_secure_token` in chatwoot app/models/access_token.rb), and a value that short
 * could not be redacted from messages without garbling them.
 */
export const SHORT_TOKEN_RULE =
  `must be at least ${SHORTEST_REDACTED_SECRET} characters (Chatwoot's access tokens have 24); a shorter ` +
  "value could not be kept out of error messages";

/** Resolves the settings from stack config first, then the environment; throws a ConfigurationError. */
export function resolveSettings(stack: StackConfig, env: NodeJS.ProcessEnv = process.env): Settings {
  const raw = (name: SettingName) => rawSetting(stack, env, name);
  const urlText = raw("url");
  if (urlText === undefined) throw missing("url", "https://chatwoot.example.com");
  const token = raw("apiAccessToken");
  if (token === undefined) throw missing("apiAccessToken", "<token>", true);
  if (token.trim().length < SHORTEST_REDACTED_SECRET) throw invalid("apiAccessToken", SHORT_TOKEN_RULE);
  const allowInsecureHttp = resolveAllowInsecureHttp(stack, env);
  return {
    url: parseUrl(urlText, allowInsecureHttp),
    accountId: resolveDefaultAccountId(stack, env),
    apiAccessToken: token.trim(),
    requestTimeoutMs: numberSetting("requestTimeoutMs", raw("requestTimeoutMs")),
    maxRetries: numberSetting("maxRetries", raw("maxRetries"), 0),
    retryBaseDelayMs: numberSetting("retryBaseDelayMs", raw("retryBaseDelayMs"), 0),
    maxConcurrency: numberSetting("maxConcurrency", raw("maxConcurrency")),
    requestsPerMinute: numberSetting("requestsPerMinute", raw("requestsPerMinute")),
    rateLimitWindowMs: numberSetting("rateLimitWindowMs", raw("rateLimitWindowMs")),
    allowInsecureHttp,
  };
}

/** `chatwoot:allowInsecureHttp` (or CHATWOOT_ALLOW_INSECURE_HTTP): `true` or `false`, default false. */
export function resolveAllowInsecureHttp(stack: StackConfig, env: NodeJS.ProcessEnv = process.env): boolean {
  const text = rawSetting(stack, env, "allowInsecureHttp");
  if (text === undefined) return false;
  if (text === "true" || text === "false") return text === "true";
  throw invalid("allowInsecureHttp", "must be true or false");
}

/**
 * Why a URL must not be used without `chatwoot:allowInsecureHttp`: plain http to anything but this
 * machine sends the token (Chatwoot's `api_access_token` header) in clear text over the network.
 */
export function insecureHttpProblem(url: URL): string | undefined {
  if (url.protocol !== "http:" || isLoopback(url.hostname)) return undefined;
  return (
    `uses plain http to ${url.hostname}, which would send the API access token in clear text; use https, or, ` +
    "on a network you trust, set `pulumi config set chatwoot:allowInsecureHttp true` " +
    "(or CHATWOOT_ALLOW_INSECURE_HTTP=true)"
  );
}

/** localhost, 127.0.0.0/8 and ::1: traffic that never leaves the machine. */
function isLoopback(hostname: string): boolean {
  if (hostname === "localhost" || hostname.endsWith(".localhost") || hostname === "[::1]") return true;
  return /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * The configured default account, or `undefined`; an invalid value throws. Separate from
 * `resolveSettings` because `check` needs it before the URL and token matter.
 */
export function resolveDefaultAccountId(
  stack: StackConfig,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  const text = rawSetting(stack, env, "accountId");
  return text === undefined ? undefined : parsePositiveInteger("accountId", text);
}

function rawSetting(stack: StackConfig, env: NodeJS.ProcessEnv, name: SettingName): string | undefined {
  const fromEnv = env[SETTINGS[name].env];
  // An empty variable counts as unset.
  return stack[name] ?? (fromEnv || undefined);
}

/** The account an operation works in: the resource's own, else the configured one. */
export function resolveAccountId(settings: Settings, resourceAccountId: number | undefined): number {
  const accountId = resourceAccountId ?? settings.accountId;
  if (accountId === undefined) throw missing("accountId", "1", false, "or give the resource an accountId");
  return accountId;
}

function missing(
  name: SettingName,
  example: string,
  secret = false,
  alternative?: string,
): ConfigurationError {
  const spec = SETTINGS[name];
  const command = `pulumi config set${secret ? " --secret" : ""} ${spec.key} ${example}`;
  const also = alternative ? `, ${alternative}` : "";
  return new ConfigurationError(
    `Missing ${spec.describe}: set it with \`${command}\` or the ${spec.env} environment variable${also}.`,
  );
}

function parseUrl(text: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid("url", "must be an absolute http(s) URL such as https://chatwoot.example.com");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw invalid("url", "must use http or https");
  }
  if (url.username || url.password) {
    throw invalid("url", "must not contain credentials; use chatwoot:apiAccessToken for the token");
  }
  const insecure = allowInsecureHttp ? undefined : insecureHttpProblem(url);
  if (insecure) throw invalid("url", insecure);
  return url;
}

function parsePositiveInteger(name: SettingName, text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw invalid(name, "must be a positive integer");
  return value;
}

function numberSetting(
  name: Exclude<SettingName, "url" | "accountId" | "apiAccessToken" | "allowInsecureHttp">,
  text: string | undefined,
  minimum = 1,
): number {
  if (text === undefined) return DEFAULTS[name];
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw invalid(name, `must be an integer of at least ${minimum}`);
  }
  return value;
}

function invalid(name: SettingName, rule: string): ConfigurationError {
  const spec = SETTINGS[name];
  // Only non-secret values are ever echoed back; the token's value never is.
  return new ConfigurationError(`Invalid ${spec.key} (or ${spec.env}): ${rule}.`);
}
