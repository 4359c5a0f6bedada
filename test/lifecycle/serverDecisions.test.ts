import { strict as assert } from "node:assert";
import type { PropertyMap } from "../../harness/wire";
import { ChatwootStack, declare } from "../support/stack";

interface ConversationJson {
  id: number;
  additional_attributes: Record<string, unknown>;
  meta: { assignee?: { id: number }; assignee_type?: string; team?: { id: number } };
}

/**
 * What Chatwoot decides on its own (chatwoot v4.14.2): which conversation a create answers, which
 * assignee a conversation has. The provider must notice, and never act on what it did not make.
 */
describe("Conversation: what Chatwoot decides on its own", function () {
  this.timeout(60_000);
  let stack: ChatwootStack;

  before(async () => {
    stack = await ChatwootStack.start();
  });
  after(async () => stack?.close());
  beforeEach(() => stack.reset());

  const seeded = (extra: PropertyMap = {}): PropertyMap => ({
    messages: [{ content: "Welcome!", messageType: "outgoing" }],
    ...extra,
  });

  /** `pulumi up` of contact `alice` and conversations `name → fields`, in order. */
  async function up(conversations: Record<string, PropertyMap>, contactFields: PropertyMap = {}) {
    const inboxId = stack.emulator.inboxId;
    return stack.engine.up(async (d) => {
      const contact = await d.register(
        declare("Contact", "alice", { identifier: "crm-1", ...contactFields }),
      );
      let previous = contact.urn;
      for (const [name, fields] of Object.entries(conversations)) {
        const registered = await d.register(
          declare(
            "Conversation",
            name,
            { inboxId, contactId: contact.outputs.contactId!, ...fields },
            { dependsOn: [previous] },
          ),
        );
        previous = registered.urn;
      }
    });
  }

  const live = (id: unknown) => stack.api<ConversationJson>("GET", `conversations/${String(id)}`);
  const outputsOf = (name: string) => stack.engine.state.find((r) => r.urn.endsWith(`::${name}`))?.outputs;

  const lockInbox = () =>
    stack.api("PATCH", `inboxes/${stack.emulator.inboxId}`, { lock_to_single_conversation: true });
  const conversationCount = async () =>
    (await stack.api<{ data: { meta: { all_count: number } } }>("GET", "conversations?status=all")).data.meta
      .all_count;

  it("in a locked inbox, refuses and leaves untouched a conversation it did not create", async () => {
    await lockInbox();
    const contact = await stack.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
      identifier: "crm-1",
      inbox_id: stack.emulator.inboxId,
      source_id: "web-session",
    });
    const theirs = await stack.api<ConversationJson>("POST", "conversations", {
      inbox_id: stack.emulator.inboxId,
      contact_id: contact.payload.contact.id,
      source_id: "web-session",
      additional_attributes: { from: "a human" },
    });
    await stack.api("POST", `conversations/${theirs.id}/toggle_status`, { status: "resolved" });
    const before = await live(theirs.id);

    const result = await up({ welcome: seeded({ status: "open", labels: ["seeded"] }) }, { adopt: true });
    assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    assert.match(
      result.errors[0]!.message,
      new RegExp(
        `inbox ${stack.emulator.inboxId} is locked to a single conversation: Chatwoot answered contact inbox ` +
          `"web-session"'s existing conversation ${theirs.id} instead of creating one, and that conversation ` +
          "was not made by pulumi-chatwoot. It was left untouched.",
      ),
    );
    assert.equal(outputsOf("welcome"), undefined, "nothing recorded, so nothing to delete later");
    assert.deepEqual(await live(theirs.id), before);
    const messages = await stack.api<{ payload: Array<{ message_type: number }> }>(
      "GET",
      `conversations/${theirs.id}/messages`,
    );
    assert.deepEqual(
      messages.payload.filter((message) => message.message_type !== 2),
      [],
      "no seeded message was posted into it",
    );
  });

  it("in a locked inbox, never takes over the conversation of another resource of the stack", async () => {
    await lockInbox();
    assert.deepEqual((await up({ first: seeded() })).errors, []);
    const first = outputsOf("first")!;
    const result = await up({ first: seeded(), second: seeded({ status: "resolved" }) });
    assert.equal(result.errors.length, 1);
    assert.match(
      result.errors[0]!.message,
      new RegExp(
        `existing conversation ${String(first.conversationId)} instead of creating one, and that conversation ` +
          `belongs to another Conversation resource \\(pulumi_seed_id "${String(first.seedId)}"\\)`,
      ),
    );
    assert.equal(await conversationCount(), 1);
    assert.equal((await live(first.conversationId)).additional_attributes.pulumi_seed_id, first.seedId);
    const refresh = await stack.engine.refresh();
    assert.deepEqual(
      refresh.steps.map((step) => [step.urn.split("::").pop(), step.refreshResult]),
      [
        ["alice", "same"],
        ["first", "same"],
      ],
    );
    // Its own contact inbox is the way out that the message names.
    assert.deepEqual(
      (await up({ first: seeded(), second: seeded({ sourceId: "second-session" }) })).errors,
      [],
    );
    assert.equal(await conversationCount(), 2);
  });

  it("warns when seeded outgoing messages in a website inbox will be emailed to the contact", async () => {
    const widget = await stack.api<{ id: number }>("POST", "inboxes", {
      name: "Website",
      channel: { type: "web_widget", website_url: "https://example.com" },
    });
    const program = (email: string | undefined, messages: PropertyMap[]) =>
      stack.engine.up(async (d) => {
        const contact = await d.register(
          declare("Contact", "alice", { identifier: "crm-1", ...(email ? { email } : {}) }),
        );
        await d.register(
          declare("Conversation", "welcome", {
            inboxId: widget.id,
            contactId: contact.outputs.contactId!,
            messages,
          }),
        );
      });
    const warnings = () =>
      stack.engine
        .hostLog()
        .split("\n")
        .filter((line) => line.startsWith("warning: "));
    const before = warnings().length;
    // No email, or only private notes: nothing is emailed, nothing to warn about.
    assert.deepEqual((await program(undefined, [{ content: "Hi", messageType: "outgoing" }])).errors, []);
    const note = { content: "internal", messageType: "outgoing", private: true };
    assert.deepEqual(
      (await program("alice@example.com", [{ content: "Hi", messageType: "outgoing" }, note])).errors,
      [],
    );
    assert.equal(warnings().length, before, "the first message was posted before the contact had an email");
    // A new outgoing message to a contact with an email is emailed by Chatwoot.
    const reply = { content: "Your order shipped", messageType: "outgoing" };
    const messages = [{ content: "Hi", messageType: "outgoing" }, note, reply];
    assert.deepEqual((await program("alice@example.com", messages)).errors, []);
    const id = outputsOf("welcome")!.conversationId;
    assert.deepEqual(warnings().slice(before), [
      `warning: Conversation ${String(id)}: Chatwoot will email the outgoing seeded message(s) messages[2] to the ` +
        `contact's address alice@example.com, because inbox ${widget.id} is a website inbox with "continuity via ` +
        'email" on (chatwoot app/services/messages/send_email_notification_service.rb). If that is a real person, ' +
        "seed with contacts whose email you own, or turn the inbox's continuity via email off.",
    ]);
    // With continuity via email off, Chatwoot sends nothing.
    await stack.api("PATCH", `inboxes/${widget.id}`, { channel: { continuity_via_email: false } });
    const more = [...messages, { content: "Anything else?", messageType: "outgoing" }];
    assert.deepEqual((await program("alice@example.com", more)).errors, []);
    assert.equal(warnings().length, before + 1);
  });

  it("an agent bot that shares the declared user's id is not the declared assignee", async () => {
    // Users and agent bots number separately (the emulator's admin and its bot are both id 1), and
    // `meta.assignee_type` tells them apart (chatwoot app/views/api/v1/conversations/partials/_conversation.json.jbuilder).
    assert.equal(stack.emulator.adminId, stack.emulator.botId, "the test needs a bot and a user with one id");
    const declared = seeded({ assigneeId: stack.emulator.adminId });
    assert.deepEqual((await up({ welcome: declared })).errors, []);
    const id = outputsOf("welcome")!.conversationId;
    await stack.api("POST", `conversations/${String(id)}/assignments`, {
      assignee_id: stack.emulator.botId,
      assignee_type: "AgentBot",
    });
    await stack.engine.refresh();
    assert.equal(outputsOf("welcome")!.assigneeId, undefined, "a bot is no user assignee");
    assert.deepEqual((await up({ welcome: declared })).errors, []);
    const meta = (await live(id)).meta;
    assert.deepEqual([meta.assignee_type, meta.assignee?.id], ["User", stack.emulator.adminId]);
  });
});
