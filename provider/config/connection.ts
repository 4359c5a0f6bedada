/**
 * The `connection` input every resource (and `Seed`) accepts: Chatwoot's URL, an API access token and
 * an account id for this resource, usually outputs of another resource or stack. Each part left out
 * falls back to the stack config, then the environment, as before.
 *
 * `check` validates it before any request; nothing here echoes the token's value.
 */
import { SHORTEST_REDACTED_SECRET } from "../client/redact";
import type { CheckFailure } from "../validation/check";
import { UNKNOWN, containsUnknown } from "../validation/unknown";
import { SHORT_TOKEN_RULE, insecureHttpProblem } from "./settings";

/** A resource's own connection, as stored in its inputs and outputs. */
export interface ConnectionOverride {
  readonly url?: string;
  readonly apiAccessToken?: string;
  readonly accountId?: number;
}

const CONNECTION_KEYS = ["url", "apiAccessToken", "accountId"] as const;

/**
 * The failures of a `connection` input; an unknown (preview) value or part passes, to be checked
 * once known. `allowInsecureHttp` is the stack's `chatwoot:allowInsecureHttp`.
 */
export function connectionFailures(value: unknown, allowInsecureHttp: boolean): CheckFailure[] {
  if (value === UNKNOWN) return [];
  const fail = (path: string, rule: string): CheckFailure => ({
    property: "connection",
    reason: `[connection${path}] ${rule}`,
  });
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [fail("", "must be an object with url, apiAccessToken and/or accountId")];
  }
  const failures: CheckFailure[] = [];
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!(CONNECTION_KEYS as readonly string[]).includes(key)) {
      failures.push(
        fail(`.${key}`, `is not a connection property; expected one of ${CONNECTION_KEYS.join(", ")}`),
      );
    }
  }
  const { url, apiAccessToken, accountId } = fields;
  if (url !== undefined && url !== null && !containsUnknown(url)) {
    const problem = typeof url === "string" ? urlProblem(url, allowInsecureHttp) : "must be a string";
    if (problem) failures.push(fail(".url", problem));
  }
  if (apiAccessToken !== undefined && apiAccessToken !== null && !containsUnknown(apiAccessToken)) {
    if (typeof apiAccessToken !== "string" || apiAccessToken.trim() === "") {
      failures.push(fail(".apiAccessToken", "must be a non-empty string"));
    } else if (apiAccessToken.trim().length < SHORTEST_REDACTED_SECRET) {
      failures.push(fail(".apiAccessToken", SHORT_TOKEN_RULE));
    }
  }
  if (accountId !== undefined && accountId !== null && !containsUnknown(accountId)) {
    if (typeof accountId !== "number" || !Number.isSafeInteger(accountId) || accountId < 1) {
      failures.push(fail(".accountId", "must be a positive integer"));
    }
  }
  return failures;
}

function urlProblem(text: string, allowInsecureHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "must be an absolute http(s) URL such as https://chatwoot.example.com";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return "must use http or https";
  if (url.username || url.password) return "must not contain credentials; use connection.apiAccessToken";
  return allowInsecureHttp ? undefined : insecureHttpProblem(url);
}

/** The known parts of a stored or checked connection (anything else is left to the stack config). */
export function connectionOverride(value: unknown): ConnectionOverride | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const { url, apiAccessToken, accountId } = value as Record<string, unknown>;
  return {
    ...(typeof url === "string" && url !== UNKNOWN ? { url } : {}),
    ...(typeof apiAccessToken === "string" && apiAccessToken !== UNKNOWN ? { apiAccessToken } : {}),
    ...(typeof accountId === "number" ? { accountId } : {}),
  };
}
