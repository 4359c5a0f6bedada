import { strict as assert } from "node:assert";
import type { PropertyMap } from "../../harness/wire";
import { ChatwootStack, declare } from "../support/stack";

/**
 * Faults and bad input around seeded conversations: lost answers never duplicate a conversation or a
 * message, half-made creates are finished by the next run, and `check` refuses bad input first.
 */
describe("Conversation: faults, ordering and validation", function () {
  this.timeout(60_000);
  let stack: ChatwootStack;
  let firedBefore = 0;

  before(async () => {
    stack = await ChatwootStack.start();
  });
  after(async () => stack?.close());
  beforeEach(() => {
    stack.reset();
    firedBefore = stack.emulator.faults().fired;
  });
  const fired = () => stack.emulator.faults().fired - firedBefore;

  const transcript = [
    { content: "one", messageType: "incoming" },
    { content: "two", messageType: "outgoing" },
    { content: "three", messageType: "outgoing", private: true },
  ];
  const conversationInputs = (extra: PropertyMap = {}): PropertyMap => ({
    status: "resolved",
    priority: "medium",
    labels: ["seeded"],
    messages: transcript,
    ...extra,
  });

  async function up(fields: PropertyMap = conversationInputs(), names: string[] = ["refund"]) {
    return stack.engine.up(async (d) => {
      const contact = await d.register(declare("Contact", "alice", { identifier: "crm-1" }));
      await Promise.all(
        names.map((name) =>
          d.register(
            declare(
              "Conversation",
              name,
              { inboxId: stack.emulator.inboxId, contactId: contact.outputs.contactId!, ...fields },
              { dependsOn: [contact.urn] },
            ),
          ),
        ),
      );
    });
  }

  /** The non-activity messages of every conversation, as `conversation: content`. */
  async function seededContents(): Promise<string[]> {
    const list = await stack.api<{ data: { payload: Array<{ id: number }> } }>(
      "GET",
      "conversations?status=all",
    );
    const contents: string[] = [];
    for (const { id } of list.data.payload) {
      const messages = await stack.api<{ payload: Array<{ content: string; message_type: number }> }>(
        "GET",
        `conversations/${id}/messages`,
      );
      contents.push(
        ...messages.payload.filter((m) => m.message_type !== 2).map((m) => `${id}: ${m.content}`),
      );
    }
    return contents;
  }

  for (const fault of ["commit_then_500", "commit_then_drop"] as const) {
    it(`a conversation create whose answer is lost (${fault}) makes exactly one conversation`, async () => {
      stack.emulator.addFaultRule({ method: "POST", path: "**/conversations", fault, times: 1 });
      const result = await up();
      assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
      assert.equal(fired(), 1);
      assert.equal(stack.counts().conversations, 1);
      assert.deepEqual(await seededContents(), ["1: one", "1: two", "1: three"]);
    });

    it(`a message post whose answer is lost (${fault}) is never posted twice`, async () => {
      stack.emulator.addFaultRule({ method: "POST", path: "**/conversations/*/messages", fault, times: 2 });
      const result = await up();
      assert.deepEqual(result.errors, []);
      assert.equal(fired(), 2);
      assert.deepEqual(await seededContents(), ["1: one", "1: two", "1: three"]);
    });
  }

  // `commit_late`: the client gives up, and Chatwoot applies the request just before the N-th API
  // request after it (Puma finishes a request whose client has gone). The provider looks for the
  // lost write at once (N = 1) and again after its backoff, right before writing again (N = 2).
  // Later, a conversation's twin carries the same seed marker and is deleted at the end of the
  // create (N = 3: it lands before the repeated create; N = 4: before the first request after it).
  for (const applyAfter of [1, 2, 3, 4]) {
    it(`a conversation create applied after the client gave up (commit_late, ${applyAfter} requests later) makes exactly one conversation`, async () => {
      stack.emulator.addFaultRule({
        method: "POST",
        path: "**/conversations",
        fault: "commit_late",
        applyAfter,
        times: 1,
      });
      const result = await up();
      assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
      assert.equal(fired(), 1);
      const [kept] = stack.engine.state.filter((resource) => resource.urn.endsWith("::refund"));
      const conversations = await stack.api<{ data: { payload: Array<{ id: number }> } }>(
        "GET",
        "conversations?status=all",
      );
      assert.deepEqual(
        conversations.data.payload.map((conversation) => String(conversation.id)),
        [kept?.id],
        "exactly the conversation in the state",
      );
      assert.equal((await up()).summary.same, 2);
    });
  }

  for (const applyAfter of [1, 2]) {
    it(`a message post applied after the client gave up (commit_late, ${applyAfter} requests later) is posted once`, async () => {
      stack.emulator.addFaultRule({
        method: "POST",
        path: "**/conversations/*/messages",
        fault: "commit_late",
        applyAfter,
        times: 1,
      });
      const result = await up();
      assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
      assert.equal(fired(), 1);
      assert.deepEqual(await seededContents(), ["1: one", "1: two", "1: three"]);
      assert.equal((await up()).summary.same, 2);
    });
  }

  it("a message post that lands after both looks (commit_late, 3 requests later) is drift that the next up mends", async () => {
    // The late post lands just before the repeated one is handled: Chatwoot holds the message twice,
    // and cannot remove either (its message delete only rewrites the content).
    stack.emulator.addFaultRule({
      method: "POST",
      path: "**/conversations/*/messages",
      fault: "commit_late",
      applyAfter: 3,
      times: 1,
    });
    assert.deepEqual((await up()).errors, []);
    assert.equal(fired(), 1);
    assert.deepEqual(await seededContents(), ["1: one", "1: one", "1: two", "1: three"]);
    const refresh = await stack.engine.refresh();
    const step = refresh.steps.find((candidate) => candidate.urn.endsWith("::refund"));
    assert.equal(step?.refreshResult, "update", "a seeded message held twice is drift");
    const mended = await up();
    assert.deepEqual(mended.errors, []);
    assert.ok(
      mended.steps.some((s) => s.op === "replace" && s.urn.endsWith("::refund")),
      JSON.stringify(mended.steps),
    );
    assert.equal(stack.counts().conversations, 1);
    assert.deepEqual(await seededContents(), ["2: one", "2: two", "2: three"]);
    assert.equal((await up()).summary.same, 2);
  });

  it("finishes a conversation whose create failed halfway, without a second conversation", async () => {
    // Two message posts go through (a zero-latency rule only counts them), then every post fails
    // past the retries: the conversation and its first two messages exist.
    stack.emulator.addFaultRule({
      method: "POST",
      path: "**/conversations/*/messages",
      fault: "latency",
      latencyMs: 0,
      times: 2,
    });
    stack.emulator.addFaultRule({
      method: "POST",
      path: "**/conversations/*/messages",
      fault: "500",
      times: 50,
    });
    const failed = await up();
    const posts = stack.requests.filter((r) => r.method === "POST" && r.path.endsWith("/messages")).length;
    assert.equal(failed.errors.length, 1);
    assert.match(
      failed.errors[0]!.message,
      /Conversation 1 exists in Chatwoot, but finishing it failed: .*messages failed with 500/,
    );
    assert.ok(stack.engine.state.find((r) => r.urn.endsWith("::refund"))?.initErrors?.length);
    assert.deepEqual(await seededContents(), ["1: one", "1: two"]);
    assert.equal(posts, 2 + 5, "two posts, then one post and its four retries");
    stack.emulator.clearFaults();
    const finished = await up();
    assert.deepEqual(finished.errors, []);
    assert.equal(stack.counts().conversations, 1);
    assert.deepEqual(await seededContents(), ["1: one", "1: two", "1: three"]);
    const conversation = await stack.api<{ status: string; labels: string[] }>("GET", "conversations/1");
    assert.deepEqual([conversation.status, conversation.labels], ["resolved", ["seeded"]]);
  });

  it("survives a 30% random fault mix across parallel conversations with exact counts", async () => {
    const chaos = await ChatwootStack.start({ config: { "chatwoot:maxRetries": "8" } });
    try {
      chaos.emulator.setFaults({ probability: 0.3, seed: 4242 });
      const names = ["a", "b", "c", "d"];
      const program = () =>
        chaos.engine.up(async (d) => {
          const contact = await d.register(declare("Contact", "alice", { identifier: "crm-1" }));
          await Promise.all(
            names.map((name) =>
              d.register(
                declare("Conversation", name, {
                  inboxId: chaos.emulator.inboxId,
                  contactId: contact.outputs.contactId!,
                  ...conversationInputs({
                    messages: transcript.map((m) => ({ ...m, content: `${name}-${m.content}` })),
                  }),
                }),
              ),
            ),
          );
        });
      let result = await program();
      for (let attempt = 0; attempt < 4 && result.errors.length > 0; attempt += 1) result = await program();
      assert.deepEqual(result.errors, []);
      assert.ok(chaos.emulator.faults().fired > 10, `only ${chaos.emulator.faults().fired} faults fired`);
      chaos.emulator.clearFaults();
      const summary = chaos.counts();
      assert.equal(summary.conversations, names.length);
      for (const state of chaos.engine.state.filter((r) => r.type.endsWith(":Conversation"))) {
        const messages = await chaos.api<{ payload: Array<{ content: string; message_type: number }> }>(
          "GET",
          `conversations/${state.id}/messages`,
        );
        const name = state.urn.split("::").pop()!;
        assert.deepEqual(
          messages.payload.filter((m) => m.message_type !== 2).map((m) => m.content),
          transcript.map((m) => `${name}-${m.content}`),
        );
      }
    } finally {
      await chaos.close();
    }
  });

  it("creates in dependency order: contact, contact inbox, conversation, then messages in order", async () => {
    const result = await stack.engine.up(async (d) => {
      const contact = await d.register(declare("Contact", "alice", { identifier: "crm-1" }));
      const session = await d.register(
        declare(
          "ContactInbox",
          "s",
          { contactId: contact.outputs.contactId!, inboxId: stack.emulator.inboxId },
          { dependsOn: [contact.urn] },
        ),
      );
      await d.register(
        declare(
          "Conversation",
          "refund",
          {
            ...conversationInputs(),
            inboxId: stack.emulator.inboxId,
            contactId: contact.outputs.contactId!,
            sourceId: session.outputs.sourceId!,
          },
          { dependsOn: [contact.urn, session.urn] },
        ),
      );
    });
    assert.deepEqual(result.errors, []);
    const writes = stack.requests
      .filter((r) => r.method === "POST" && !r.path.endsWith("/filter"))
      .map((r) => r.path.replace(/^\/api\/v1\/accounts\/\d+\//, "").replace(/\d+/g, "N"));
    assert.deepEqual(writes.slice(0, 6), [
      "contacts",
      "contacts/N/contact_inboxes",
      "conversations",
      "conversations/N/messages",
      "conversations/N/messages",
      "conversations/N/messages",
    ]);
    const messages = await stack.api<{
      payload: Array<{ id: number; content: string; message_type: number }>;
    }>("GET", "conversations/1/messages");
    const seeded = messages.payload.filter((m) => m.message_type !== 2);
    assert.deepEqual(
      seeded.map((m) => m.content),
      ["one", "two", "three"],
    );
    assert.ok(seeded.every((m, i) => i === 0 || m.id > seeded[i - 1]!.id));
  });

  const rejected: Array<[string, PropertyMap, RegExp]> = [
    ["an empty transcript", { messages: [] }, /\[messages\] must hold at least one message/],
    ["an empty message", { messages: [{ content: "" }] }, /\[messages\.0\.content\] must not be empty/],
    [
      "an unknown message type",
      { messages: [{ content: "x", messageType: "activity" }] },
      /\[messages\.0\.messageType\] must be one of incoming, outgoing/,
    ],
    ["an unknown status", { status: "closed" }, /\[status\] must be one of open, resolved, pending, snoozed/],
    [
      "an unknown priority",
      { priority: "critical" },
      /\[priority\] must be one of low, medium, high, urgent/,
    ],
    [
      "a message over 150,000 characters",
      { messages: [{ content: "x".repeat(150_001) }] },
      /\[messages\.0\.content\] must be at most 150000 characters/,
    ],
    [
      "a custom attribute over 1500 characters",
      { customAttributes: { note: "y".repeat(1_501) } },
      /\[customAttributes\.note\] must be at most 1500 characters/,
    ],
    [
      "a custom attribute number over Chatwoot's limit",
      { customAttributes: { n: 10_000_000_000 } },
      /\[customAttributes\.n\] must be at most 9999999999/,
    ],
    [
      "snoozedUntil without snoozed",
      { snoozedUntil: "2031-01-01T00:00:00Z" },
      /\[snoozedUntil\] needs \[status\] "snoozed"/,
    ],
    [
      "a bad snooze time",
      { status: "snoozed", snoozedUntil: "tomorrow" },
      /\[snoozedUntil\] must be an ISO 8601 date-time/,
    ],
    [
      "the provider's marker key",
      { additionalAttributes: { pulumi_seed_id: "x" } },
      /\[additionalAttributes\] must not use the key pulumi_seed_id/,
    ],
  ];
  for (const [what, change, reason] of rejected) {
    it(`rejects ${what} before any request`, async () => {
      const result = await stack.engine.up(async (d) => {
        await d.register(
          declare("Conversation", "bad", { inboxId: 1, contactId: 1, ...conversationInputs(change) }),
        );
      });
      assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
      assert.match(result.errors[0]!.message, reason);
      assert.deepEqual(stack.requests, []);
    });
  }

  it("refuses incoming messages outside an API inbox with Chatwoot's reason, before writing anything", async () => {
    const widget = await stack.api<{ id: number }>("POST", "inboxes", {
      name: "Website",
      channel: { type: "web_widget", website_url: "https://example.com" },
    });
    const contact = await stack.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
      identifier: "crm-1",
    });
    stack.requests.length = 0;
    const result = await stack.engine.up(async (d) => {
      await d.register(
        declare("Conversation", "web", {
          inboxId: widget.id,
          contactId: contact.payload.contact.id,
          messages: [{ content: "hi", messageType: "incoming" }],
        }),
      );
    });
    assert.equal(result.errors.length, 1);
    assert.match(
      result.errors[0]!.message,
      /\[messages\.0\.messageType\] "incoming" is not possible in inbox \d+ \(Channel::WebWidget\): Chatwoot answers "Incoming messages are only allowed in Api inboxes"/,
    );
    assert.equal(stack.counts().conversations, 0);
    assert.ok(
      stack.requests.every((r) => r.method === "GET"),
      "nothing may be written",
    );
  });
});
