import { strict as assert } from "node:assert";
import type { DeploymentHandle } from "../../harness/engine";
import type { PropertyMap } from "../../harness/wire";
import { ChatwootStack, declare } from "../support/stack";

/**
 * A `pulumi up` killed while creating (Ctrl-C twice, a lost CI runner): the provider made the object in
 * Chatwoot, the checkpoint only says "creating" (`pkg/backend/snapshot.go`). What the user meets next.
 */
describe("Interrupted pulumi up", function () {
  this.timeout(120_000);
  let stack: ChatwootStack;

  before(async () => {
    stack = await ChatwootStack.start();
  });
  after(async () => stack?.close());
  beforeEach(() => stack.reset());

  const alice = (extra: PropertyMap = {}): PropertyMap => ({
    name: "Alice Example",
    email: "alice@example.com",
    identifier: "crm-1001",
    ...extra,
  });
  const storedContact = () =>
    stack.engine.exportState().deployment.resources?.find((r) => r.urn.endsWith("::alice"));
  const pending = (): string[] =>
    (stack.engine.exportState().deployment.pending_operations ?? []).map(
      (op) => `${op.type} ${op.resource.urn.split("::").pop() as string}`,
    );

  it("a Contact created before the CLI died clashes on the next up; adopt takes it over, so one contact exists", async () => {
    const program = (inputs: PropertyMap) => async (d: DeploymentHandle) =>
      void (await d.register(declare("Contact", "alice", inputs)));
    const urn = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/chatwoot:Contact::alice";

    const killed = await stack.engine.up(program(alice()), { interrupt: urn });
    assert.equal(killed.interrupted, true);
    assert.equal(stack.counts().contacts, 1, "Chatwoot has the contact");
    assert.equal(storedContact(), undefined, "the state does not");
    assert.deepEqual(pending(), ["creating alice"]);
    const [made] = (await stack.api<{ payload: { id: number }[] }>("GET", "contacts")).payload;

    const next = await stack.engine.up(program(alice()));
    assert.equal(next.warnings.length, 1);
    assert.match(next.warnings[0]!, /with 1 pending operations from previous deployment\.\n/);
    assert.ok(next.warnings[0]!.includes(`  * ${urn}, interrupted while creating\n`));
    // The engine creates it again; the provider finds Chatwoot's contact and refuses to duplicate it.
    assert.equal(next.errors.length, 1);
    assert.match(next.errors[0]!.message, /\[email\] \(alice@example\.com\) already exists in account \d+/);
    assert.match(next.errors[0]!.message, new RegExp(`contact ${made!.id} \\(Chatwoot's email\\)`));
    assert.match(next.errors[0]!.message, /Set `adopt: true`/);
    assert.equal(stack.counts().contacts, 1);
    assert.equal(storedContact(), undefined);

    const adopted = await stack.engine.up(program(alice({ adopt: true })));
    assert.deepEqual(adopted.errors, []);
    assert.equal(adopted.outputs[urn]?.contactId, made!.id);
    assert.equal(adopted.outputs[urn]?.adopted, true);
    assert.equal(stack.counts().contacts, 1, "exactly one contact");
    assert.ok(storedContact());
    // The pending create stays until the user clears it: `pulumi refresh --clear-pending-creates`.
    assert.deepEqual(pending(), ["creating alice"]);
    await stack.engine.refresh({ clearPendingCreates: true });
    assert.deepEqual(pending(), []);
    assert.deepEqual((await stack.engine.up(program(alice({ adopt: true })))).warnings, []);
  });

  it("a Conversation created before the CLI died is created again: Chatwoot then holds two", async () => {
    const program = async (d: DeploymentHandle) => {
      const contact = await d.register(declare("Contact", "alice", alice()));
      const session = await d.register(
        declare("ContactInbox", "alice-api", {
          contactId: contact.outputs.contactId!,
          inboxId: stack.emulator.inboxId,
        }),
      );
      await d.register(
        declare(
          "Conversation",
          "refund",
          {
            inboxId: stack.emulator.inboxId,
            contactId: contact.outputs.contactId!,
            sourceId: session.outputs.sourceId!,
            messages: [{ content: "Hi, I was charged twice.", messageType: "incoming" }],
          },
          { dependsOn: [contact.urn, session.urn] },
        ),
      );
    };
    const urn = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/chatwoot:Conversation::refund";

    const killed = await stack.engine.up(program, { interrupt: urn });
    assert.equal(killed.interrupted, true);
    assert.equal(stack.counts().conversations, 1);
    assert.deepEqual(pending(), ["creating refund"]);

    const next = await stack.engine.up(program);
    assert.deepEqual(next.errors, []);
    assert.equal(next.warnings.length, 1);
    // Nothing marks the first conversation as this resource's: the second create makes another one.
    assert.equal(stack.counts().conversations, 2);
    const conversations = (
      await stack.api<{ data: { payload: { id: number }[] } }>("GET", "conversations?status=all")
    ).data.payload.map((conversation) => conversation.id);
    assert.equal(conversations.length, 2);
    assert.ok(conversations.includes(Number(next.outputs[urn]?.conversationId)));
  });
});
