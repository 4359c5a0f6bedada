import { strict as assert } from "node:assert";
import { z } from "zod";
import { ChatwootClient } from "../../provider/client/client";
import {
  ChatwootApiError,
  ChatwootNetworkError,
  ChatwootResponseError,
  ChatwootTimeoutError,
} from "../../provider/client/errors";
import { RequestLimiter } from "../../provider/client/limiter";
import { StubAction, StubServer } from "../support/stubServer";

const TOKEN = "sentinel-token-5f1c2a9e7d";
const okBody = JSON.stringify({ payload: { id: 7 } });
const schema = z.object({ payload: z.object({ id: z.number() }) });

describe("Chatwoot client", () => {
  let stub: StubServer | undefined;
  const waits: number[] = [];

  afterEach(async () => {
    await stub?.close();
    stub = undefined;
    waits.length = 0;
  });

  async function clientFor(
    script: StubAction[],
    options: { timeoutMs?: number; maxRetries?: number } = {},
  ): Promise<ChatwootClient> {
    stub = await StubServer.start((_request, index) => script[Math.min(index, script.length - 1)]!);
    return new ChatwootClient({
      baseUrl: stub.url,
      apiAccessToken: TOKEN,
      requestTimeoutMs: options.timeoutMs ?? 2_000,
      retry: { maxRetries: options.maxRetries ?? 3, baseDelayMs: 100, maxDelayMs: 5_000 },
      limiter: new RequestLimiter({ maxConcurrency: 4, requestsPerMinute: 60_000 }),
      // Record the backoff instead of waiting it out.
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
  }

  it("sends the token in the api_access_token header and parses the answer with its schema", async () => {
    const client = await clientFor([{ status: 200, body: okBody }]);
    const answer = await client.request({ method: "GET", path: "/api/v1/accounts/1/contacts/7", schema });
    assert.deepEqual(answer, { payload: { id: 7 } });
    assert.equal(stub!.requests[0]!.headers["api_access_token"], TOKEN);
    assert.equal(stub!.requests[0]!.url, "/api/v1/accounts/1/contacts/7");
  });

  it("retries a GET on 429, 500, 502, 503 and a dropped connection, with growing jittered waits", async () => {
    const client = await clientFor(
      [
        { status: 429, body: "Retry later\n", headers: { "content-type": "text/plain" } },
        { status: 502, body: "" },
        "drop",
        { status: 200, body: okBody },
      ],
      { maxRetries: 4 },
    );
    await client.request({ method: "GET", path: "/api/v1/profile", schema });
    assert.equal(stub!.requests.length, 4);
    assert.equal(waits.length, 3);
    // Full jitter between half and all of 100, 200, 400 ms.
    [100, 200, 400].forEach((ceiling, index) => {
      assert.ok(waits[index]! >= ceiling / 2 && waits[index]! <= ceiling, `wait ${index}: ${waits[index]}`);
    });
  });

  it("honours Retry-After (seconds) when Chatwoot sends one", async () => {
    const client = await clientFor([
      { status: 503, headers: { "retry-after": "2" } },
      { status: 200, body: okBody },
    ]);
    await client.request({ method: "GET", path: "/api/v1/profile", schema });
    assert.deepEqual(waits, [2_000]);
  });

  it("gives up after maxRetries and reports the last status with Chatwoot's words", async () => {
    const client = await clientFor(
      [{ status: 500, body: '{"status":500,"error":"Internal Server Error"}' }],
      {
        maxRetries: 2,
      },
    );
    const error = await client.request({ method: "GET", path: "/api/v1/profile", schema }).catch((e) => e);
    assert.ok(error instanceof ChatwootApiError);
    assert.equal(error.status, 500);
    assert.equal(error.message, "GET /api/v1/profile failed with 500: Internal Server Error");
    assert.equal(stub!.requests.length, 3);
  });

  it("never repeats a POST after a 500 or a dropped connection: the write may have happened", async () => {
    for (const fault of [{ status: 500 }, "drop"] as StubAction[]) {
      const client = await clientFor([fault, { status: 200, body: okBody }]);
      const error = await client
        .request({ method: "POST", path: "/api/v1/accounts/1/contacts", body: {}, schema })
        .catch((e) => e);
      assert.equal(error.outcome, "unknown");
      assert.equal(stub!.requests.length, 1, `a POST was repeated after ${JSON.stringify(fault)}`);
      await stub!.close();
      stub = undefined;
    }
  });

  it("repeats a POST after a 429, which rack-attack answers before the request runs", async () => {
    const client = await clientFor([
      { status: 429, body: "Retry later\n", headers: { "content-type": "text/plain" } },
      { status: 200, body: okBody },
    ]);
    await client.request({ method: "POST", path: "/api/v1/accounts/1/contacts", body: {}, schema });
    assert.equal(stub!.requests.length, 2);
  });

  it("repeats a POST that its caller declares idempotent", async () => {
    const client = await clientFor([{ status: 503 }, { status: 200, body: okBody }]);
    await client.request({ method: "POST", path: "/x", body: {}, schema, idempotent: true });
    assert.equal(stub!.requests.length, 2);
  });

  it("does not retry definitive answers (401, 404, 422)", async () => {
    for (const status of [401, 404, 422]) {
      const client = await clientFor([
        { status, body: '{"error":"nope"}' },
        { status: 200, body: okBody },
      ]);
      const error = await client.request({ method: "GET", path: "/x", schema }).catch((e) => e);
      assert.equal(error.status, status);
      assert.equal(stub!.requests.length, 1);
      await stub!.close();
      stub = undefined;
    }
  });

  it("times out a request that gets no answer, within its budget", async () => {
    const client = await clientFor(["hang"], { timeoutMs: 200, maxRetries: 0 });
    const started = Date.now();
    const error = await client.request({ method: "GET", path: "/api/v1/profile", schema }).catch((e) => e);
    assert.ok(error instanceof ChatwootTimeoutError);
    assert.equal(error.message, "GET /api/v1/profile timed out after 200 ms");
    assert.ok(Date.now() - started < 2_000);
  });

  it("explains each of Chatwoot's error body shapes", async () => {
    const cases: Array<[string, string]> = [
      ['{"message":"Email has already been taken","attributes":["email"]}', "Email has already been taken"],
      ['{"error":"Resource could not be found"}', "Resource could not be found"],
      [
        '{"errors":["You need to sign in or sign up before continuing."]}',
        "You need to sign in or sign up before continuing.",
      ],
      ["Retry later\n", "Retry later"],
    ];
    for (const [body, expected] of cases) {
      const client = await clientFor([{ status: 422, body }]);
      const error = await client.request({ method: "GET", path: "/x", schema }).catch((e) => e);
      assert.equal(error.chatwootMessage, expected);
      await stub!.close();
      stub = undefined;
    }
  });

  it("rejects a 2xx body of the wrong shape, naming where", async () => {
    const client = await clientFor([{ status: 200, body: '{"payload":{"id":"seven"}}' }]);
    const error = await client.request({ method: "GET", path: "/x", schema }).catch((e) => e);
    assert.ok(error instanceof ChatwootResponseError);
    assert.match(error.message, /payload\.id/);
  });

  it("reports a refused connection as a network error that certainly did not apply", async () => {
    // A port that was just listening and is now closed refuses connections.
    await clientFor([{ status: 200, body: okBody }], { maxRetries: 0 });
    const url = stub!.url;
    await stub!.close();
    stub = undefined;
    const offline = new ChatwootClient({
      baseUrl: url,
      apiAccessToken: TOKEN,
      requestTimeoutMs: 1_000,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      limiter: new RequestLimiter({ maxConcurrency: 1, requestsPerMinute: 60_000 }),
    });
    const error = await offline.request({ method: "POST", path: "/x", body: {}, schema }).catch((e) => e);
    assert.ok(error instanceof ChatwootNetworkError);
    assert.equal(error.outcome, "not-applied");
  });

  it("never lets the token into an error, even when Chatwoot echoes it", async () => {
    const client = await clientFor([{ status: 422, body: JSON.stringify({ error: `bad token ${TOKEN}` }) }]);
    const error = await client.request({ method: "GET", path: "/x", schema }).catch((e) => e);
    for (const text of [error.message, error.stack, JSON.stringify(error), String(error)]) {
      assert.ok(!String(text).includes(TOKEN), `token leaked into: ${text}`);
    }
    assert.match(error.message, /\[REDACTED\]/);
  });
});
