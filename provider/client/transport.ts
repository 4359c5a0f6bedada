import * as http from "node:http";
import * as https from "node:https";
import fetch, { RequestInit } from "node-fetch";
import { ChatwootNetworkError, ChatwootTimeoutError, RequestDescription } from "./errors";

export interface RawResponse {
  readonly status: number;
  readonly contentType: string;
  readonly retryAfter: string | null;
  /** The server's `Date` header: its clock when it answered. */
  readonly date: string | null;
  readonly body: string;
}

export interface RawRequest extends RequestDescription {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
}

// Keep-alive agents shared by the whole process: a stack of many resources reuses connections.
const httpAgent = new http.Agent({ keepAlive: true });
const httpsAgent = new https.Agent({ keepAlive: true });

/**
 * Sends one HTTP request and reads its whole body, within `timeoutMs`. It maps failures onto the
 * client's error classes and never retries; retrying is the caller's decision.
 */
export async function send(request: RawRequest): Promise<RawResponse> {
  const description = { method: request.method, path: request.path };
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      agent: (url: URL) => (url.protocol === "http:" ? httpAgent : httpsAgent),
      // @types/node-fetch describes an older AbortSignal; Node 20's is what node-fetch 2 really takes.
      signal: controller.signal as unknown as RequestInit["signal"],
      // The API never redirects; following one could send the token to another host.
      redirect: "manual",
    });
    const body = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get("content-type") ?? "",
      retryAfter: response.headers.get("retry-after"),
      date: response.headers.get("date"),
      body,
    };
  } catch (error) {
    if (controller.signal.aborted) throw new ChatwootTimeoutError(description, request.timeoutMs);
    const code = (error as { code?: unknown }).code;
    throw new ChatwootNetworkError(description, {
      code: typeof code === "string" ? code : undefined,
      reason: describeNetworkFailure(error, code),
    });
  } finally {
    clearTimeout(timer);
  }
}

function describeNetworkFailure(error: unknown, code: unknown): string {
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (is Chatwoot running at the configured URL?)";
    case "ECONNRESET":
      return "the connection was dropped before an answer arrived";
    case "ENOTFOUND":
      return "the host name could not be resolved";
    default:
      // node-fetch messages carry the full URL, which may hold credentials: keep only the cause.
      return typeof code === "string" ? `network error ${code}` : `network error (${errorName(error)})`;
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
