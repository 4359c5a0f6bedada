import { strict as assert } from "node:assert";
import { ConversationsApi } from "../../provider/chatwoot/conversations";
import { ChatwootClient } from "../../provider/client/client";
import { RequestLimiter } from "../../provider/client/limiter";
import { StubServer } from "../support/stubServer";

/** What the emulator cannot play: a Chatwoot older than the conversation delete route. */
describe("conversation delete on old and new Chatwoot", () => {
  let stub: StubServer | undefined;
  afterEach(async () => stub?.close());

  async function deleteWith(answers: { delete: number; show: number }) {
    stub = await StubServer.start((request) =>
      request.method === "DELETE"
        ? {
            status: answers.delete,
            body: answers.delete === 404 ? '{"error":"Resource could not be found"}' : "",
          }
        : answers.show === 200
          ? { status: 200, body: JSON.stringify({ id: 5, inbox_id: 1, status: "open" }) }
          : { status: 404, body: '{"error":"Resource could not be found"}' },
    );
    const client = new ChatwootClient({
      baseUrl: stub.url,
      apiAccessToken: "token-for-stub",
      requestTimeoutMs: 1_000,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, rateLimitWindowMs: 60_000 },
      limiter: new RequestLimiter({ maxConcurrency: 1, requestsPerMinute: 60_000 }),
    });
    return new ConversationsApi(client, 1).delete(5);
  }

  it("tells a missing route (404 while the conversation still shows) from a conversation already gone", async () => {
    assert.equal(await deleteWith({ delete: 404, show: 200 }), "route-missing");
    await stub!.close();
    assert.equal(await deleteWith({ delete: 404, show: 404 }), "gone");
    await stub!.close();
    assert.equal(await deleteWith({ delete: 200, show: 404 }), "deleted");
  });
});

/** The emulator clears the team for `null` and for `0` alike, so only the request shows which was sent. */
describe("conversation team assignment", () => {
  let stub: StubServer | undefined;
  afterEach(async () => stub?.close());

  it("clears the team with team_id: null, as Chatwoot's assignments controller reads it", async () => {
    stub = await StubServer.start(() => ({ status: 200, body: "null" }));
    const client = new ChatwootClient({
      baseUrl: stub.url,
      apiAccessToken: "token-for-stub",
      requestTimeoutMs: 1_000,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, rateLimitWindowMs: 60_000 },
      limiter: new RequestLimiter({ maxConcurrency: 1, requestsPerMinute: 60_000 }),
    });
    await new ConversationsApi(client, 1).assign(5, { team_id: null });
    assert.deepEqual(
      stub.requests.map((request) => [request.method, request.url, JSON.parse(request.body)]),
      [["POST", "/api/v1/accounts/1/conversations/5/assignments", { team_id: null }]],
    );
  });
});
