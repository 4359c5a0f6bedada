import { strict as assert } from "node:assert";
import { inspect } from "node:util";
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

const RACK_ATTACK_429: StubAction = {
  status: 429,
  body: "Retry later\n",
  headers: { "content-type": "text/plain" },
};

describe("Chatwoot client", () => {
  let stub: StubServer | undefined;
  /** Backoff waits the client asked for. */
  const waits: number[] = [];
  /** Waits the limiter made (holds and rate waits), in its own clock. */
  const limiterWaits: number[] = [];

  afterEach(async () => {
    await stub?.close();
    stub = undefined;
    waits.length = 0;
    limiterWaits.length = 0;
  });

  async function clientFor(
    script: StubAction[],
    options: {
      timeoutMs?: number;
      maxRetries?: number;
      maxDelayMs?: number;
      limiter?: RequestLimiter;
      /** Appended to the stub's URL: Chatwoot served below a path. */
      basePath?: string;
    } = {},
  ): Promise<ChatwootClient> {
    stub = await StubServer.start((_request, index) => script[Math.min(index, script.length - 1)]!);
    // The limiter's clock is virtual: it jumps over every wait, recording it, so no test waits for
    // real and no wait depends on how fast this machine runs.
    let skipped = 0;
    const clock = {
      now: () => skipped,
      sleep: async (ms: number) => {
        limiterWaits.push(ms);
        skipped += ms;
      },
    };
    return new ChatwootClient({
      baseUrl: new URL(options.basePath ?? "", stub.url),
      apiAccessToken: TOKEN,
      requestTimeoutMs: options.timeoutMs ?? 2_000,
      retry: {
        maxRetries: options.maxRetries ?? 3,
        baseDelayMs: 100,
        maxDelayMs: options.maxDelayMs ?? 5_000,
        rateLimitWindowMs: 60_000,
      },
      limiter: options.limiter ?? new RequestLimiter({ maxConcurrency: 4, requestsPerMinute: 60_000 }, clock),
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

  it("sends JSON as JSON, with the query parameters that have a value", async () => {
    const client = await clientFor([{ status: 200, body: okBody }]);
    await client.request({
      method: "POST",
      path: "/api/v1/accounts/1/contacts/filter",
      query: { page: 2, q: "alice smith", inbox_id: undefined },
      body: { name: "Alice" },
      schema,
    });
    const sent = stub!.requests[0]!;
    assert.equal(sent.url, "/api/v1/accounts/1/contacts/filter?page=2&q=alice+smith");
    // Rails reads a body as parameters only when its content type says JSON.
    assert.equal(sent.headers["content-type"], "application/json");
    assert.equal(sent.headers["accept"], "application/json");
    assert.deepEqual(JSON.parse(sent.body), { name: "Alice" });
  });

  it("keeps the path of a base URL that has one, with or without trailing slashes", async () => {
    for (const basePath of ["/chatwoot", "/chatwoot/", "/chatwoot//"]) {
      const client = await clientFor([{ status: 200, body: okBody }], { basePath });
      await client.request({ method: "GET", path: "/api/v1/profile", schema });
      assert.equal(stub!.requests[0]!.url, "/chatwoot/api/v1/profile", basePath);
      await stub!.close();
      stub = undefined;
    }
  });

  it("takes any 2xx status as success, and nothing outside 200-299", async () => {
    for (const status of [200, 201, 299]) {
      const client = await clientFor([{ status, body: okBody }]);
      assert.deepEqual(await client.request({ method: "GET", path: "/x", schema }), { payload: { id: 7 } });
      await stub!.close();
      stub = undefined;
    }
    const client = await clientFor([{ status: 300, body: okBody }]);
    const error = await client.request({ method: "GET", path: "/x", schema }).catch((e) => e);
    assert.ok(error instanceof ChatwootApiError);
    assert.equal(error.status, 300);
  });

  it("follows no redirect: the token never travels to the host a 3xx names", async () => {
    const elsewhere = await StubServer.start(() => ({ status: 200, body: okBody }));
    try {
      const client = await clientFor([
        { status: 302, headers: { location: `${elsewhere.url.toString()}api/v1/profile` } },
      ]);
      const error = await client.request({ method: "GET", path: "/api/v1/profile", schema }).catch((e) => e);
      assert.ok(error instanceof ChatwootApiError);
      assert.equal(error.status, 302);
      assert.equal(elsewhere.requests.length, 0);
    } finally {
      await elsewhere.close();
    }
  });

  it("retries a GET on 500, 502, 503, 504, 408, a timeout and a dropped connection, with growing jittered waits", async () => {
    const client = await clientFor(
      [
        { status: 500, body: "" },
        { status: 502, body: "" },
        { status: 503, body: "" },
        { status: 504, body: "" },
        { status: 408, body: "" },
        "hang",
        "drop",
        { status: 200, body: okBody },
      ],
      { maxRetries: 7, timeoutMs: 1_000 },
    );
    assert.deepEqual(await client.request({ method: "GET", path: "/api/v1/profile", schema }), {
      payload: { id: 7 },
    });
    assert.equal(stub!.requests.length, 8);
    assert.equal(waits.length, 7);
    // Full jitter between half and all of 100, 200, 400 … ms, capped by maxDelayMs (5 s).
    [100, 200, 400, 800, 1_600, 3_200, 5_000].forEach((ceiling, index) => {
      assert.ok(waits[index]! >= ceiling / 2 && waits[index]! <= ceiling, `wait ${index}: ${waits[index]}`);
    });
  });

  it("waits out a 429 without Retry-After until the server's next one-minute window, holding every request", async () => {
    // rack-attack counts fixed windows of the epoch; at 15:40:45 on the server's clock the next one
    // starts in 15 s. Retrying sooner would only be refused again.
    const client = await clientFor([
      { ...RACK_ATTACK_429, headers: { ...RACK_ATTACK_429.headers, date: "Sun, 29 Nov 2026 15:40:45 GMT" } },
      { status: 200, body: okBody },
    ]);
    await client.request({ method: "GET", path: "/api/v1/profile", schema });
    assert.equal(stub!.requests.length, 2);
    assert.deepEqual(limiterWaits, [15_000]);
    assert.deepEqual(waits, [], "no short backoff into the full window");
  });

  it("waits a whole window after a 429 that carries neither Retry-After nor Date", async () => {
    const client = await clientFor([RACK_ATTACK_429, RACK_ATTACK_429, { status: 200, body: okBody }]);
    await client.request({ method: "POST", path: "/api/v1/accounts/1/contacts", body: {}, schema });
    assert.equal(stub!.requests.length, 3);
    assert.deepEqual(limiterWaits, [60_000, 60_000]);
  });

  it("gives up on 429s after maxRetries windows", async () => {
    const client = await clientFor([RACK_ATTACK_429], { maxRetries: 2 });
    const error = await client.request({ method: "GET", path: "/x", schema }).catch((e) => e);
    assert.ok(error instanceof ChatwootApiError);
    assert.equal(error.status, 429);
    assert.equal(stub!.requests.length, 3);
    assert.deepEqual(limiterWaits, [60_000, 60_000]);
  });

  it("holds the other requests of the stack while one waits out a full window", async () => {
    let skipped = 0;
    const clock = {
      now: () => skipped,
      sleep: async (ms: number) => {
        limiterWaits.push(ms);
        skipped += ms;
      },
    };
    const limiter = new RequestLimiter({ maxConcurrency: 4, requestsPerMinute: 60_000 }, clock);
    const client = await clientFor(
      [
        { ...RACK_ATTACK_429, headers: { date: "Sun, 29 Nov 2026 15:40:20 GMT" } },
        { status: 200, body: okBody },
      ],
      { limiter },
    );
    await client.request({ method: "GET", path: "/a", schema });
    const sentAt = skipped;
    await limiter.run(async () => undefined);
    assert.equal(sentAt, 40_000);
    assert.deepEqual(limiterWaits, [40_000], "the next request was not held again once the window passed");
  });

  it("honours Retry-After (seconds) when Chatwoot sends one, on a 429 too", async () => {
    const client = await clientFor([
      { status: 503, headers: { "retry-after": "2" } },
      { ...RACK_ATTACK_429, headers: { "retry-after": "3" } },
      { status: 200, body: okBody },
    ]);
    await client.request({ method: "GET", path: "/api/v1/profile", schema });
    assert.deepEqual(waits, [2_000, 3_000]);
    assert.deepEqual(limiterWaits, []);
  });

  it("honours Retry-After given as an HTTP date", async () => {
    // Whole seconds, a minute ahead: the wait is the time left until then, however slow this run.
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 60_000);
    const client = await clientFor(
      [
        { status: 503, headers: { "retry-after": at.toUTCString() } },
        { status: 200, body: okBody },
      ],
      { maxRetries: 1, maxDelayMs: 120_000 },
    );
    await client.request({ method: "GET", path: "/api/v1/profile", schema });
    assert.equal(waits.length, 1);
    // The time left until then: a minute, less however long this run took to get there.
    assert.ok(waits[0]! > 40_000 && waits[0]! <= 61_000, `waited ${waits[0]} ms`);
  });

  it("caps a single wait at maxDelayMs, however long Retry-After asks for", async () => {
    const client = await clientFor([
      { status: 503, headers: { "retry-after": "3600" } },
      { status: 200, body: okBody },
    ]);
    await client.request({ method: "GET", path: "/api/v1/profile", schema });
    assert.deepEqual(waits, [5_000]);
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
    const client = await clientFor([RACK_ATTACK_429, { status: 200, body: okBody }]);
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
    // Fifty times the budget: a busy machine delays a timer, never by that much, while a budget not
    // applied leaves the request hanging (or waiting for a default of 30 s).
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 10_000, `timed out after ${elapsed} ms`);
  });

  it("explains each of Chatwoot's error body shapes", async () => {
    const cases: Array<[string, string, string[]]> = [
      [
        '{"message":"Email has already been taken","attributes":["email"]}',
        "Email has already been taken",
        ["email"],
      ],
      ['{"error":"Resource could not be found"}', "Resource could not be found", []],
      [
        '{"errors":["You need to sign in or sign up before continuing."]}',
        "You need to sign in or sign up before continuing.",
        [],
      ],
      ["Retry later\n", "Retry later", []],
    ];
    for (const [body, expected, attributes] of cases) {
      const client = await clientFor([{ status: 422, body }]);
      const error = await client.request({ method: "GET", path: "/x", schema }).catch((e) => e);
      assert.equal(error.chatwootMessage, expected);
      assert.deepEqual(error.attributes, attributes, body);
      await stub!.close();
      stub = undefined;
    }
  });

  it("explains an error body without Chatwoot's words by its status or its first 300 characters", async () => {
    const cases: Array<[string, string]> = [
      ["", "HTTP 500"],
      ["  \n", "HTTP 500"],
      ["42", "42"],
      ["null", "null"],
      [JSON.stringify("y".repeat(400)), `"${"y".repeat(299)}`],
      ['{"status":500}', '{"status":500}'],
      [`{"detail":"${"z".repeat(400)}"}`, `{"detail":"${"z".repeat(289)}`],
      ['{"errors":["Name is too long","Email is invalid"]}', "Name is too long, Email is invalid"],
      [`<html>${"x".repeat(400)}</html>`, `<html>${"x".repeat(294)}`],
    ];
    for (const [body, expected] of cases) {
      const client = await clientFor([{ status: 500, body }], { maxRetries: 0 });
      const error = await client.request({ method: "GET", path: "/x", schema }).catch((e) => e);
      assert.ok(error instanceof ChatwootApiError, `${body}: ${String(error)}`);
      assert.equal(error.chatwootMessage, expected, body);
      assert.deepEqual(error.attributes, [], body);
      await stub!.close();
      stub = undefined;
    }
  });

  it("names the attributes a validation error names, and only those", async () => {
    const client = await clientFor([
      { status: 422, body: '{"message":"Email has already been taken","attributes":["email",7,null]}' },
    ]);
    const error = await client.request({ method: "POST", path: "/x", body: {}, schema }).catch((e) => e);
    assert.deepEqual(error.attributes, ["email"]);
    assert.equal(error.message, "POST /x failed with 422: Email has already been taken");
  });

  it("rejects a 2xx answer that is not JSON or not the expected shape, saying which", async () => {
    const untyped = await clientFor([{ status: 200, body: "OK", headers: { "content-type": "" } }]);
    const notJson = await untyped.request({ method: "GET", path: "/x", schema }).catch((e) => e);
    assert.ok(notJson instanceof ChatwootResponseError);
    assert.equal(notJson.message, "GET /x returned an unexpected response: the body is not JSON (no type)");
    await stub!.close();
    const listed = await clientFor([{ status: 200, body: "[]" }]);
    const wrong = await listed.request({ method: "GET", path: "/x", schema }).catch((e) => e);
    assert.ok(wrong instanceof ChatwootResponseError);
    // The whole body is wrong, not a field of it: no " at <path>".
    assert.equal(
      wrong.message,
      "GET /x returned an unexpected response: Invalid input: expected object, received array",
    );
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
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, rateLimitWindowMs: 60_000 },
      limiter: new RequestLimiter({ maxConcurrency: 1, requestsPerMinute: 60_000 }),
    });
    const error = await offline.request({ method: "POST", path: "/x", body: {}, schema }).catch((e) => e);
    assert.ok(error instanceof ChatwootNetworkError);
    assert.equal(error.outcome, "not-applied");
    assert.equal(
      String(error),
      "ChatwootNetworkError: POST /x failed: connection refused (is Chatwoot running at the configured URL?)",
    );
  });

  it("waits out its backoff with a timer of its own when given no sleep function", async () => {
    stub = await StubServer.start((_request, index) =>
      index === 0 ? { status: 503 } : { status: 200, body: okBody },
    );
    const client = new ChatwootClient({
      baseUrl: stub.url,
      apiAccessToken: TOKEN,
      requestTimeoutMs: 1_000,
      retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1, rateLimitWindowMs: 60_000 },
      limiter: new RequestLimiter({ maxConcurrency: 1, requestsPerMinute: 60_000 }),
    });
    assert.deepEqual(await client.request({ method: "GET", path: "/x", schema }), { payload: { id: 7 } });
    assert.equal(stub.requests.length, 2);
  });

  /** Every way an error reaches a user: message, stack, JSON, util.inspect (all own fields). */
  function assertNoToken(error: unknown): void {
    assert.ok(error instanceof Error, `not an error: ${String(error)}`);
    for (const text of [
      error.message,
      error.stack,
      JSON.stringify(error),
      String(error),
      inspect(error, { depth: 5 }),
    ]) {
      assert.ok(!String(text).includes(TOKEN), `token leaked into: ${text}`);
    }
  }

  it("never lets the token into an error, however often Chatwoot echoes it, attributes included", async () => {
    const client = await clientFor([
      {
        status: 422,
        body: JSON.stringify({
          message: `bad token ${TOKEN}, again ${TOKEN}${TOKEN}`,
          attributes: [`x${TOKEN}`],
        }),
      },
    ]);
    const error = await client.request({ method: "GET", path: "/x", schema }).catch((e) => e);
    assertNoToken(error);
    assert.equal(error.chatwootMessage, "bad token [REDACTED], again [REDACTED][REDACTED]");
    assert.deepEqual(error.attributes, ["x[REDACTED]"]);
  });

  it("redacts the token from a proxy page that echoes the request's headers and URL, after every retry", async () => {
    const page = `<html><body>Bad gateway for /x?api_access_token=${TOKEN}<pre>api_access_token: ${TOKEN}</pre></body></html>`;
    const client = await clientFor([{ status: 502, body: page, headers: { "content-type": "text/html" } }], {
      maxRetries: 2,
    });
    const error = await client.request({ method: "GET", path: "/x", schema }).catch((e) => e);
    assert.equal(stub!.requests.length, 3);
    assertNoToken(error);
    assert.match(error.message, /api_access_token=\[REDACTED\].*api_access_token: \[REDACTED\]/);
  });

  it("redacts the token from an answer it cannot read: its content type, or a key of its body", async () => {
    const notJson = await clientFor([
      { status: 200, body: "<html></html>", headers: { "content-type": `text/html; echo=${TOKEN}` } },
    ]);
    const typeError = await notJson.request({ method: "GET", path: "/x", schema }).catch((e) => e);
    assert.ok(typeError instanceof ChatwootResponseError);
    assertNoToken(typeError);
    assert.match(typeError.message, /not JSON \(text\/html; echo=\[REDACTED\]\)/);
    await stub!.close();

    const keyed = await clientFor([{ status: 200, body: JSON.stringify({ payload: { [TOKEN]: "x" } }) }]);
    const recordSchema = z.object({ payload: z.record(z.string(), z.number()) });
    const shapeError = await keyed
      .request({ method: "GET", path: "/x", schema: recordSchema })
      .catch((e) => e);
    assert.ok(shapeError instanceof ChatwootResponseError);
    assertNoToken(shapeError);
    assert.match(shapeError.message, /at payload\.\[REDACTED\]/);
  });

  it("keeps the token out of timeouts and network errors", async () => {
    const hung = await clientFor(["hang"], { timeoutMs: 100, maxRetries: 0 });
    assertNoToken(await hung.request({ method: "GET", path: "/x", schema }).catch((e) => e));
    await stub!.close();
    const dropped = await clientFor(["drop"], { maxRetries: 0 });
    const error = await dropped.request({ method: "GET", path: "/x", schema }).catch((e) => e);
    assert.ok(error instanceof ChatwootNetworkError);
    assert.equal(error.message, "GET /x failed: the connection was dropped before an answer arrived");
    assertNoToken(error);
  });
});
