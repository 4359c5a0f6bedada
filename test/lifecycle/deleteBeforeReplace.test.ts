import { strict as assert } from "node:assert";
import type { DeploymentHandle } from "../../harness/engine";
import { ADMIN_TOKEN, ChatwootStack, declare } from "../support/stack";

/**
 * A contact replaced delete-before-create takes its contact inbox and conversation with it: the engine
 * diffs them with the contact's id unknown (`step_generator.go calculateDependentReplacements`), both
 * providers replace on a new `contactId`, so they are deleted first and re-created after the contact.
 */
describe("Contact replaced with deleteBeforeReplace, with a contact inbox and a conversation", function () {
  this.timeout(60_000);
  let stack: ChatwootStack;

  before(async () => {
    stack = await ChatwootStack.start();
  });
  after(async () => stack?.close());
  beforeEach(() => stack.reset());

  /** The program, in `account` (undefined: the stack's default), with the dependencies the SDK sends. */
  const program =
    (account?: { accountId: number; inboxId: number }) =>
    async (d: DeploymentHandle): Promise<void> => {
      const where = account ? { accountId: account.accountId } : {};
      const inboxId = account?.inboxId ?? stack.emulator.inboxId;
      const contact = await d.register(
        declare("Contact", "alice", { identifier: "crm-1", ...where }, { deleteBeforeReplace: true }),
      );
      const session = await d.register(
        declare(
          "ContactInbox",
          "alice-api",
          { contactId: contact.outputs.contactId!, inboxId, ...where },
          { dependsOn: [contact.urn], propertyDependencies: { contactId: [contact.urn] } },
        ),
      );
      await d.register(
        declare(
          "Conversation",
          "welcome",
          {
            contactId: contact.outputs.contactId!,
            sourceId: session.outputs.sourceId!,
            inboxId,
            messages: [{ content: "Welcome aboard!", messageType: "outgoing" }],
            ...where,
          },
          {
            dependsOn: [contact.urn, session.urn],
            propertyDependencies: { contactId: [contact.urn], sourceId: [session.urn] },
          },
        ),
      );
    };

  it("deletes the conversation before the contact, re-creates both, and a second up changes nothing", async () => {
    await stack.engine.up(program());
    const first = Object.fromEntries(stack.engine.state.map((r) => [r.urn.split("::").pop(), r.id]));
    const second = stack.emulator.createAccount({ name: "Second", adminToken: ADMIN_TOKEN });
    stack.requests.length = 0;

    const moved = await stack.engine.up(program(second));
    assert.deepEqual(moved.errors, [], JSON.stringify(moved.errors));
    assert.deepEqual(
      moved.steps.map((s) => `${s.op} ${s.urn.split("::").pop()}`),
      [
        "delete-replaced welcome",
        "delete-replaced alice-api",
        "delete-replaced alice",
        "replace alice",
        "create-replacement alice",
        "replace alice-api",
        "create-replacement alice-api",
        "replace welcome",
        "create-replacement welcome",
      ],
    );
    const deletes = stack.requests.filter((r) => r.method === "DELETE").map((r) => r.path);
    const primary = `/api/v1/accounts/${stack.emulator.accountId}`;
    assert.deepEqual(deletes, [
      `${primary}/conversations/${first.welcome}`,
      `${primary}/contacts/${first.alice}`,
    ]);
    assert.deepEqual([stack.counts().contacts, stack.counts().conversations], [0, 0]);
    const moved2 = stack.emulator.summary().find((a) => a.accountId === second.accountId)!;
    assert.deepEqual([moved2.contacts, moved2.contactInboxes, moved2.conversations], [1, 1, 1]);
    assert.ok(stack.engine.state.every((r) => !r.pendingReplacement && !r.delete));

    const again = await stack.engine.up(program(second));
    assert.deepEqual(again.errors, []);
    assert.deepEqual(
      again.steps.map((s) => s.op),
      ["same", "same", "same"],
    );
  });
});
