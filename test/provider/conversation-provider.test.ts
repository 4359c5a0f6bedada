import { strict as assert } from "node:assert";
import { conversationImplementation as conversations } from "../../provider/resources/conversation/provider";
import { InProcessProvider } from "../support/inProcess";
import { StubServer } from "../support/stubServer";

interface ContactAnswer {
  payload: { contact: { id: number }; contact_inbox: { source_id: string } | null };
}

/** Conversation behaviours the README promises, through the provider's own operations. */
describe("Conversation provider (in process, against the emulator)", () => {
  let provider: InProcessProvider;
  before(async () => {
    provider = await InProcessProvider.start();
  });
  after(async () => provider?.close());
  beforeEach(() => provider.reset());

  const transcript = [
    { content: "Hi, I was charged twice.", messageType: "incoming" },
    { content: "Sorry! Refunding now.", messageType: "outgoing" },
    { content: "Refund ticket R-77", messageType: "outgoing", private: true },
  ];

  async function contactWithSession(): Promise<{ contactId: number; sourceId: string }> {
    const answer = await provider.api<ContactAnswer>("POST", "contacts", {
      name: "Alice",
      email: `alice-${Date.now()}@example.com`,
      inbox_id: provider.emulator.inboxId,
    });
    assert.ok(answer.payload.contact_inbox, "the emulator made the first contact inbox");
    return { contactId: answer.payload.contact.id, sourceId: answer.payload.contact_inbox.source_id };
  }

  it("puts the conversation into the contact's existing session when no sourceId is given", async () => {
    const { contactId, sourceId } = await contactWithSession();
    const { id, outs } = await provider.create(conversations, {
      inboxId: provider.emulator.inboxId,
      contactId,
      messages: transcript,
    });
    assert.equal(outs.sourceId, sourceId);
    // The contact's only session in that inbox holds the conversation: no second one was made.
    const counts = provider.emulator.summary()[0]!;
    assert.deepEqual([counts.contactInboxes, counts.conversations], [1, 1]);
    const ofContact = await provider.api<{ payload: Array<{ id: number }> }>(
      "GET",
      `contacts/${contactId}/conversations`,
    );
    assert.deepEqual(
      ofContact.payload.map((conversation) => conversation.id),
      [Number(id)],
    );
  });

  it("posts a message's contentType and contentAttributes as given", async () => {
    const { contactId } = await contactWithSession();
    const select = {
      content: "Which plan?",
      messageType: "outgoing",
      contentType: "input_select",
      contentAttributes: { items: [{ title: "Pro", value: "pro" }] },
    };
    const { id, outs } = await provider.create(conversations, {
      inboxId: provider.emulator.inboxId,
      contactId,
      messages: [transcript[0], select],
    });
    const messages = await provider.api<{
      payload: Array<{ content: string; content_type: string; content_attributes: unknown }>;
    }>("GET", `conversations/${id}/messages`);
    const posted = messages.payload.find((message) => message.content === "Which plan?");
    assert.equal(posted?.content_type, "input_select");
    assert.deepEqual(posted?.content_attributes, { items: [{ title: "Pro", value: "pro" }] });
    assert.deepEqual((outs.messages as unknown[])[1], select);
  });

  it("snoozes until the next reply when snoozedUntil is left out", async () => {
    const { contactId } = await contactWithSession();
    const { id, outs } = await provider.create(conversations, {
      inboxId: provider.emulator.inboxId,
      contactId,
      status: "snoozed",
      messages: transcript,
    });
    const live = await provider.api<{ status: string; snoozed_until: unknown }>("GET", `conversations/${id}`);
    assert.equal(live.status, "snoozed");
    assert.equal(live.snoozed_until, null);
    assert.equal(outs.status, "snoozed");
    assert.equal(outs.snoozedUntil, undefined);
  });

  describe("diff of the transcript", () => {
    const olds = { inboxId: 1, contactId: 2, messages: transcript };
    const diffWith = (messages: unknown[]) => conversations.diff("5", olds, { ...olds, messages });

    transcript.forEach((_message, index) => {
      it(`replaces the conversation when posted message ${index} changes`, async () => {
        const changed = transcript.map((message, i) =>
          i === index ? { ...message, content: `${message.content} (edited)` } : message,
        );
        const diff = await diffWith(changed);
        assert.equal(diff.changes, true);
        assert.deepEqual(diff.replaces, ["messages"]);
      });
    });

    it("replaces it when a posted message is removed, but appends new ones in place", async () => {
      assert.deepEqual((await diffWith(transcript.slice(0, 2))).replaces, ["messages"]);
      const appended = await diffWith([
        ...transcript,
        { content: "Anything else?", messageType: "outgoing" },
      ]);
      assert.deepEqual([appended.changes, appended.replaces], [true, []]);
      const same = await diffWith(transcript);
      assert.deepEqual([same.changes, same.replaces], [false, []]);
    });

    it("replaces it when a posted message's type, privacy, contentType or contentAttributes change", async () => {
      for (const change of [
        { messageType: "outgoing" },
        { private: true },
        { contentType: "input_text" },
        { contentAttributes: { a: 1 } },
      ]) {
        const changed = [{ ...transcript[0], ...change }, ...transcript.slice(1)];
        assert.deepEqual((await diffWith(changed)).replaces, ["messages"], JSON.stringify(change));
      }
    });
  });

  it("explains a Chatwoot without the conversation delete route, and keeps the conversation", async () => {
    const stub = await StubServer.start((request) =>
      request.method === "DELETE"
        ? { status: 404, body: '{"error":"Resource could not be found"}' }
        : { status: 200, body: JSON.stringify({ id: 5, inbox_id: 1, status: "open" }) },
    );
    try {
      provider.configure({ "chatwoot:url": stub.url.toString() });
      await assert.rejects(conversations.delete("5", { accountId: 1, conversationId: 5 }), (error: Error) => {
        assert.match(
          error.message,
          /conversation 5: this Chatwoot has no API route to delete conversations .*Upgrade Chatwoot, delete it in the dashboard, or keep it with the `retainOnDelete` resource option/,
        );
        return true;
      });
      assert.deepEqual(
        stub.requests.map((r) => r.method),
        ["DELETE", "GET"],
      );
    } finally {
      await stub.close();
    }
  });
});
