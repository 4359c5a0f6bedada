/**
 * Errors raised by the Chatwoot client. Every message names the HTTP method and the request path
 * (never the base URL's credentials, never a header), so an API token cannot reach an error text,
 * a log or the Pulumi state by construction: the classes below are never given headers at all.
 */

/** What a failed request tells us about whether the server applied it. */
export type WriteOutcome =
  /** The server certainly did not apply the request (rejected before it ran, or never sent). */
  | "not-applied"
  /** The server may or may not have applied it (lost answer, 5xx, timeout, dropped connection). */
  | "unknown"
  /** The server ran the request and refused it (4xx validation, permissions, not found). */
  | "refused";

export interface RequestDescription {
  readonly method: string;
  readonly path: string;
}

/** Base class of every error raised while talking to Chatwoot. */
export abstract class ChatwootError extends Error {
  readonly method: string;
  readonly path: string;
  abstract readonly outcome: WriteOutcome;

  protected constructor(request: RequestDescription, message: string) {
    super(message);
    this.name = new.target.name;
    this.method = request.method;
    this.path = request.path;
  }
}

/** Chatwoot answered with a non-2xx status. */
export class ChatwootApiError extends ChatwootError {
  readonly status: number;
  /** Chatwoot's own explanation, taken from its error body (`error`, `message` or `errors`). */
  readonly chatwootMessage: string;
  /** Model attributes named by a Chatwoot validation error (`attributes`), if any. */
  readonly attributes: readonly string[];
  readonly retryAfterMs: number | undefined;
  /** The server's clock when it answered (its `Date` header), in ms since the epoch. */
  readonly serverTimeMs: number | undefined;

  constructor(
    request: RequestDescription,
    details: {
      status: number;
      chatwootMessage: string;
      attributes: readonly string[];
      retryAfterMs?: number | undefined;
      serverTimeMs?: number | undefined;
    },
  ) {
    super(
      request,
      `${request.method} ${request.path} failed with ${details.status}: ${details.chatwootMessage}`,
    );
    this.status = details.status;
    this.chatwootMessage = details.chatwootMessage;
    this.attributes = details.attributes;
    this.retryAfterMs = details.retryAfterMs;
    this.serverTimeMs = details.serverTimeMs;
  }

  get outcome(): WriteOutcome {
    // Chatwoot's rate limiter (rack-attack) answers 429 before the request reaches Rails, and a
    // 4xx means Rails refused it; a 5xx can come after a committed write ("commit then fail").
    if (this.status === 429) return "not-applied";
    return this.status >= 500 ? "unknown" : "refused";
  }
}

/** No answer arrived within the request timeout. */
export class ChatwootTimeoutError extends ChatwootError {
  readonly timeoutMs: number;
  readonly outcome = "unknown" as const;

  constructor(request: RequestDescription, timeoutMs: number) {
    super(request, `${request.method} ${request.path} timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The connection failed or was dropped. */
export class ChatwootNetworkError extends ChatwootError {
  readonly code: string | undefined;
  readonly outcome: WriteOutcome;

  constructor(request: RequestDescription, details: { code: string | undefined; reason: string }) {
    super(request, `${request.method} ${request.path} failed: ${details.reason}`);
    this.code = details.code;
    // A refused connection never carried the request; anything later may have.
    this.outcome = details.code === "ECONNREFUSED" ? "not-applied" : "unknown";
  }
}

/** Chatwoot answered 2xx with a body this client does not understand. */
export class ChatwootResponseError extends ChatwootError {
  readonly outcome = "refused" as const;

  constructor(request: RequestDescription, problem: string) {
    super(request, `${request.method} ${request.path} returned an unexpected response: ${problem}`);
  }
}

export function isNotFound(value: unknown): boolean {
  return value instanceof ChatwootApiError && value.status === 404;
}

/** Chatwoot answers 401 both for a bad token and for "your role may not do this" (chatwoot request_exception_handler.rb rescues Pundit::NotAuthorizedError as 401). */
export function isUnauthorized(value: unknown): value is ChatwootApiError {
  return value instanceof ChatwootApiError && value.status === 401;
}
