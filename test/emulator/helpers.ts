import assert from "node:assert/strict";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { ValidateFunction } from "ajv";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import swagger from "./fixtures/chatwoot-swagger.json";

/** Response bodies are checked field by field in the tests; a loose type keeps those checks readable. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = any;

/** A response as the tests look at it. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body (undefined when the body is empty or not JSON). */
  body: JsonBody;
}

export interface RequestOptions {
  /** `api_access_token` header; `null` sends none. Defaults to the client's token. */
  token?: string | null;
  headers?: Record<string, string>;
  /** A raw body, sent as is (for malformed JSON and form bodies). */
  raw?: string;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null,
  ) {}

  withToken(token: string | null): ApiClient {
    return new ApiClient(this.baseUrl, token);
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    options: RequestOptions = {},
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.token : options.token;
    if (token !== null) headers.api_access_token = token;
    let payload: string | undefined;
    if (options.raw !== undefined) payload = options.raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (
      payload !== undefined &&
      !Object.keys(headers).some((name) => name.toLowerCase() === "content-type")
    ) {
      headers["content-type"] = "application/json";
    }
    const response = await fetch(path.startsWith("http") ? path : `${this.baseUrl}${path}`, {
      method,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  }

  get(path: string, options?: RequestOptions): Promise<ApiResponse> {
    return this.request("GET", path, undefined, options);
  }

  post(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse> {
    return this.request("POST", path, body, options);
  }

  patch(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse> {
    return this.request("PATCH", path, body, options);
  }

  put(path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse> {
    return this.request("PUT", path, body, options);
  }

  delete(path: string, options?: RequestOptions): Promise<ApiResponse> {
    return this.request("DELETE", path, undefined, options);
  }
}

/** One emulator per test file, reset before every test. */
export interface TestBed {
  emulator: RunningEmulator;
  /** Client on `/api/v1/accounts/:accountId` with the administrator token. */
  admin: ApiClient;
  /** Same, with the agent token. */
  agent: ApiClient;
  /** Same, with no token at all. */
  anonymous: ApiClient;
  /** Client on the server root (for `/api/v1/profile`, `/__emulator`), administrator token. */
  root: ApiClient;
}

export function useEmulator(options: EmulatorOptions = {}): TestBed {
  const bed = {} as TestBed;
  before(async () => {
    bed.emulator = await startEmulator({ conversationDeleteDelayMs: 5, ...options });
    const accountUrl = `${bed.emulator.url}/api/v1/accounts/${bed.emulator.accountId}`;
    bed.admin = new ApiClient(accountUrl, bed.emulator.adminToken);
    bed.agent = new ApiClient(accountUrl, bed.emulator.agentToken);
    bed.anonymous = new ApiClient(accountUrl, null);
    bed.root = new ApiClient(bed.emulator.url, bed.emulator.adminToken);
  });
  beforeEach(() => {
    bed.emulator.reset();
    bed.emulator.clearFaults();
  });
  after(async () => {
    await bed.emulator.close();
  });
  return bed;
}

// ---- OpenAPI schema validation

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(swagger as object, "swagger.json");

function pointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

const compiled = new Map<string, ValidateFunction>();

/**
 * Asserts that `body` matches the 200 response schema swagger.json gives for `method path`
 * (path as written in swagger.json, e.g. `/api/v1/accounts/{account_id}/contacts`).
 */
export function assertMatchesSchema(method: string, path: string, body: unknown): void {
  const ref = `swagger.json#/paths/${pointer(path)}/${method.toLowerCase()}/responses/200/content/application~1json/schema`;
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.getSchema(ref);
    if (!validate) throw new Error(`no schema at ${ref}`);
    compiled.set(ref, validate);
  }
  const valid = validate(body);
  assert.ok(valid, `response does not match ${method} ${path}: ${ajv.errorsText(validate.errors)}`);
}

export const ACCOUNT_PATH = "/api/v1/accounts/{account_id}";

/** The exact 401/404 bodies Chatwoot answers. */
export const NOT_SIGNED_IN = { errors: ["You need to sign in or sign up before continuing."] };
export const FORBIDDEN = { error: "You are not authorized to do this action" };
export const NOT_FOUND = { error: "Resource could not be found" };

/** Waits until `check` passes (for Chatwoot's background work), failing after `timeoutMs`. */
export async function eventually(check: () => Promise<void>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/** Creates a contact (optionally with a contact inbox) and returns the create response payload. */
export async function createContact(client: ApiClient, body: Record<string, unknown>): Promise<JsonBody> {
  const response = await client.post("/contacts", body);
  assert.equal(response.status, 200, response.text);
  return response.body.payload;
}

/** Creates a contact with a session in `inboxId` and a conversation; returns both ids. */
export async function createConversation(
  client: ApiClient,
  inboxId: number,
  extra: Record<string, unknown> = {},
): Promise<{ contactId: number; conversationId: number; sourceId: string; body: JsonBody }> {
  const sourceId = `src-${Math.random().toString(36).slice(2)}`;
  const contact = await createContact(client, { name: "Jane Roe", email: `${sourceId}@example.com` });
  const response = await client.post("/conversations", {
    inbox_id: inboxId,
    contact_id: contact.contact.id,
    source_id: sourceId,
    ...extra,
  });
  assert.equal(response.status, 200, response.text);
  return { contactId: contact.contact.id, conversationId: response.body.id, sourceId, body: response.body };
}
