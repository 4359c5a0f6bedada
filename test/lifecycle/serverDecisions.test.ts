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
  async function up(conversations: Record<string, PropertyMap>, inboxId = stack.emulator.inboxId) {
    return stack.engine.up(async (d) => {
      const contact = await d.register(declare("Contact", "alice", { identifier: "crm-1" }));
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
