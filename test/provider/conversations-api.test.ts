import { strict as assert } from "node:assert";
import { ConversationsApi } from "../../provider/chatwoot/conversations";
import { ChatwootClient } from "../../provider/client/client";
import { RequestLimiter } from "../../provider/client/limiter";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { ADMIN_TOKEN } from "../support/stack";
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

/** Chatwoot's `MessageFinder` answers 100 messages a page after an id, in every 4.x release. */
describe("reading every message of a conversation", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  const requests: string[] = [];

  before(async () => {
    emulator = await startEmulator({
      adminToken: ADMIN_TOKEN,
      // Chatwoot's flood limit (200 a minute by default) would stop the long conversation's seeding.
      messagesPerMinuteLimit: 1_000,
      log: (line: string) => requests.push(line.split(" ").slice(1, 3).join(" ")),
    });
  });
  after(async () => emulator.close());

  async function conversationWith(count: number): Promise<number> {
    const api = async <T>(route: string, body: unknown): Promise<T> => {
      const response = await fetch(`${emulator.url}/api/v1/accounts/${emulator.accountId}/${route}`, {
        method: "POST",
        headers: { api_access_token: ADMIN_TOKEN, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 200, `POST ${route}: ${await response.clone().text()}`);
      return (await response.json()) as T;
    };
    const made = await api<{ payload: { contact: { id: number } } }>("contacts", {
      name: `Reader ${count}`,
      email: `reader-${count}@example.com`,
    });
    const conversation = await api<{ id: number }>("conversations", {
      inbox_id: emulator.inboxId,
      contact_id: made.payload.contact.id,
    });
    for (let index = 0; index < count; index += 1)
      await api(`conversations/${conversation.id}/messages`, {
        content: `message ${index}`,
        message_type: "outgoing",
      });
    return conversation.id;
  }

  const read = async (conversationId: number) => {
    const client = new ChatwootClient({
      baseUrl: new URL(emulator.url),
      apiAccessToken: ADMIN_TOKEN,
      requestTimeoutMs: 5_000,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, rateLimitWindowMs: 60_000 },
      limiter: new RequestLimiter({ maxConcurrency: 1, requestsPerMinute: 60_000 }),
    });
    requests.length = 0;
    const messages = await new ConversationsApi(client, emulator.accountId).allMessages(conversationId);
    return { messages, reads: requests.filter((request) => request.startsWith("GET ")).length };
  };

  it("reads a short conversation in one request", async () => {
    const { messages, reads } = await read(await conversationWith(3));
    assert.deepEqual(
      messages.map((message) => message.content),
      ["message 0", "message 1", "message 2"],
    );
    assert.equal(reads, 1);
  });

  it("reads a long one page by page, each message once and oldest first", async () => {
    const { messages, reads } = await read(await conversationWith(230));
    assert.deepEqual(
      messages.map((message) => message.content),
      Array.from({ length: 230 }, (_, index) => `message ${index}`),
    );
    assert.equal(reads, 3, "100, 100 and 30");
  });
});
