import type { z } from "zod";
import { ChatwootApiError, ChatwootError, ChatwootResponseError, RequestDescription } from "./errors";
import { RequestLimiter } from "./limiter";
import { redactSecrets } from "./redact";
import {
  RetryPolicy,
  isRetryable,
  parseRetryAfter,
  parseServerDate,
  rateLimitWaitMs,
  retryDelayMs,
} from "./retry";
import { RawResponse, send } from "./transport";

export interface ClientOptions {
  /** Chatwoot's base URL, e.g. `https://chatwoot.example.com`. */
  readonly baseUrl: URL;
  readonly apiAccessToken: string;
  readonly requestTimeoutMs: number;
  readonly retry: RetryPolicy;
  readonly limiter: RequestLimiter;
  /** Waits between retries; replaced in tests. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RequestOptions<T> {
  readonly method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** Path below the base URL, starting with `/api/`. */
  readonly path: string;
  readonly query?: Record<string, string | number | undefined>;
  readonly body?: unknown;
  /** Schema of the successful answer; `null` when the body is empty or ignored. */
  readonly schema: z.ZodType<T> | null;
  /**
   * Whether repeating the request cannot duplicate data. GET, PUT, PATCH and DELETE are; a POST
   * is only when its call site says why (for example a find-or-create with an explicit key).
   */
  readonly idempotent?: boolean;
}

/**
 * A small Chatwoot Application API client: one request function, wrapped by the process-wide
 * limiter and by retries, returning zod-checked bodies and raising typed errors. The token only
 * ever goes into the request header: errors are built from the method, the path and Chatwoot's
 * answer (redacted), never from the request.
 */
export class ChatwootClient {
  constructor(private readonly options: ClientOptions) {}

  async request<T>(request: RequestOptions<T>): Promise<T> {
    const idempotent = request.idempotent ?? request.method !== "POST";
    const description = { method: request.method, path: request.path };
    const sleep = this.options.sleep ?? defaultSleep;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = await this.options.limiter.run(() => this.sendOnce(request));
        return parseBody(description, response, request.schema, this.options.apiAccessToken);
      } catch (error) {
        if (attempt >= this.options.retry.maxRetries || !isRetryable(error, idempotent)) {
          throw error;
        }
        const windowWait = rateLimitWaitMs(error, this.options.retry.rateLimitWindowMs);
        // The limiter holds every request of the stack, this one included, until the window ends.
        if (windowWait !== undefined) this.options.limiter.holdFor(windowWait);
        else await sleep(retryDelayMs(attempt + 1, this.options.retry, error));
      }
    }
  }

  private async sendOnce(request: RequestOptions<unknown>): Promise<RawResponse> {
    const url = new URL(joinPath(this.options.baseUrl, request.path));
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const response = await send({
      method: request.method,
      path: request.path,
      url: url.toString(),
      headers: {
        accept: "application/json",
        "content-type": "application/json",
        api_access_token: this.options.apiAccessToken,
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      timeoutMs: this.options.requestTimeoutMs,
    });
    if (response.status < 200 || response.status > 299) {
      throw apiError({ method: request.method, path: request.path }, response, this.options.apiAccessToken);
    }
    return response;
  }
}

function joinPath(baseUrl: URL, path: string): string {
  const base = baseUrl.toString().replace(/\/+$/, "");
  return `${base}${path}`;
}

function parseBody<T>(
  request: RequestDescription,
  response: RawResponse,
  schema: z.ZodType<T> | null,
  token: string,
): T {
  if (schema === null) return undefined as T;
  // The problem quotes the server's content type or the body's keys, which a proxy could fill with
  // what it received, the token included.
  const fail = (problem: string) => new ChatwootResponseError(request, redactSecrets(problem, [token]));
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    throw fail(`the body is not JSON (${response.contentType || "no type"})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
    throw fail(`${issue?.message ?? "invalid shape"}${where}`);
  }
  return parsed.data;
}

function apiError(request: RequestDescription, response: RawResponse, token: string): ChatwootError {
  const explanation = chatwootExplanation(response);
  // A proxy or a future Chatwoot could echo the request back; the token must not travel on.
  const message = redactSecrets(explanation.message, [token]);
  const attributes = explanation.attributes.map((attribute) => redactSecrets(attribute, [token]));
  return new ChatwootApiError(request, {
    status: response.status,
    chatwootMessage: message,
    attributes,
    retryAfterMs: parseRetryAfter(response.retryAfter),
    serverTimeMs: parseServerDate(response.date),
  });
}

/** Extracts Chatwoot's explanation from any of its error body shapes (chatwoot app/controllers/concerns/request_exception_handler.rb). */
function chatwootExplanation(response: RawResponse): { message: string; attributes: string[] } {
  const body = bodyFields(response.body);
  const attributes = Array.isArray(body.attributes)
    ? body.attributes.filter((a): a is string => typeof a === "string")
    : [];
  if (typeof body.message === "string") return { message: body.message, attributes };
  if (typeof body.error === "string") return { message: body.error, attributes };
  if (Array.isArray(body.errors)) return { message: body.errors.map(String).join(", "), attributes };
  return { message: (response.body.trim() || `HTTP ${response.status}`).slice(0, 300), attributes };
}

/** The top-level fields of a JSON body; none for anything else (a proxy's HTML page, rack-attack's text). */
function bodyFields(text: string): Record<string, unknown> {
  try {
    // JSON null has no fields; a JSON number, string or boolean has none of those read above.
    return (JSON.parse(text) ?? {}) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
