import { strict as assert } from "node:assert";
import type { Registered } from "../../harness/engine";
import type { PropertyMap } from "../../harness/wire";
import { unknown } from "../../harness/wire";
import { contactInboxFields } from "../../provider/resources/contactInbox/spec";
import { ADMIN_TOKEN, ChatwootStack, declare } from "../support/stack";

describe("ContactInbox lifecycle", function () {
  this.timeout(60_000);
  let stack: ChatwootStack;

  before(async () => {
    stack = await ChatwootStack.start();
  });
  after(async () => stack?.close());
  beforeEach(() => stack.reset());

  /** A program with one contact and one contact inbox; returns both registrations. */
  async function up(
    session: (contact: Registered) => PropertyMap,
    contactInputs: PropertyMap = { identifier: "crm-1" },
  ) {
    const registered: Record<string, Registered> = {};
    const result = await stack.engine.up(async (deployment) => {
      const contact = await deployment.register(declare("Contact", "alice", contactInputs));
      registered.contact = contact;
      registered.session = await deployment.register(
        declare("ContactInbox", "alice-api", session(contact), { dependsOn: [contact.urn] }),
      );
    });
    assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
    const ops = result.steps.filter((step) => step.urn.endsWith("::alice-api")).map((step) => step.op);
    // A replacement shows as its three steps; name it by its logical marker.
    const op = ops.includes("replace") ? "replace" : ops[0];
    return { op, contact: registered.contact!, session: registered.session!, result };
  }

  /** Alice and her generated session as the first `up` creates them: made once, then put back. */
  const sessionCreated = () =>
    stack.startFrom("session created", () =>
      up((c) => ({ contactId: c.outputs.contactId!, inboxId: stack.emulator.inboxId })),
    );

  const sessionsOf = async (contactId: unknown) =>
    (
      await stack.api<{ payload: { contact_inboxes: Array<{ source_id: string; inbox: { id: number } }> } }>(
        "GET",
        `contacts/${String(contactId)}`,
      )
    ).payload.contact_inboxes.map((s) => `${s.inbox.id}:${s.source_id}`);

  it("generates a source id once and keeps it across runs and refreshes", async () => {
    const first = await up((c) => ({ contactId: c.outputs.contactId!, inboxId: stack.emulator.inboxId }));
    assert.equal(first.op, "create");
    const sourceId = first.session.outputs.sourceId as string;
    assert.match(sourceId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.deepEqual(await sessionsOf(first.contact.outputs.contactId), [
      `${stack.emulator.inboxId}:${sourceId}`,
    ]);
    const second = await up((c) => ({ contactId: c.outputs.contactId!, inboxId: stack.emulator.inboxId }));
    assert.equal(second.op, "same");
    assert.equal(second.session.outputs.sourceId, sourceId);
    const refresh = await stack.engine.refresh();
    assert.deepEqual(
      refresh.steps.map((s) => s.refreshResult),
      ["same", "same"],
    );
    assert.equal(stack.counts().contactInboxes, 1, "no second session was made");
  });

  it("creates the session with an explicit source id, and a change replaces it (the old one stays)", async () => {
    const first = await up((c) => ({
      contactId: c.outputs.contactId!,
      inboxId: stack.emulator.inboxId,
      sourceId: "session-a",
    }));
    assert.equal(first.session.outputs.sourceId, "session-a");
    assert.equal(first.session.id, `${stack.emulator.inboxId}/session-a`);
    const preview = await stack.engine.preview(async (d) => {
      const contact = await d.register(declare("Contact", "alice", { identifier: "crm-1" }));
      await d.register(
        declare("ContactInbox", "alice-api", {
          contactId: contact.outputs.contactId!,
          inboxId: stack.emulator.inboxId,
          sourceId: "session-b",
        }),
      );
    });
    assert.deepEqual(preview.summary, { same: 1, replace: 1, "create-replacement": 1, "delete-replaced": 1 });
    const second = await up((c) => ({
      contactId: c.outputs.contactId!,
      inboxId: stack.emulator.inboxId,
      sourceId: "session-b",
    }));
    assert.equal(second.op, "replace");
    assert.deepEqual(second.result.steps.find((s) => s.op === "replace")?.replaceKeys, ["sourceId"]);
    // Chatwoot cannot delete a contact inbox: the replaced one stays with its contact.
    assert.deepEqual((await sessionsOf(first.contact.outputs.contactId)).sort(), [
      `${stack.emulator.inboxId}:session-a`,
      `${stack.emulator.inboxId}:session-b`,
    ]);
  });

  it("replaces on a change of inbox or contact", async () => {
    await sessionCreated();
    const moved = await up((c) => ({
      contactId: c.outputs.contactId!,
      inboxId: stack.emulator.otherInboxId,
    }));
    assert.equal(moved.op, "replace");
    assert.deepEqual(moved.result.steps.find((s) => s.op === "replace")?.replaceKeys, ["inboxId"]);
    const toBob = await stack.engine.up(async (d) => {
      await d.register(declare("Contact", "alice", { identifier: "crm-1" }));
      const bob = await d.register(declare("Contact", "bob", { identifier: "crm-2" }));
      await d.register(
        declare("ContactInbox", "alice-api", {
          contactId: bob.outputs.contactId!,
          inboxId: stack.emulator.otherInboxId,
        }),
      );
    });
    assert.deepEqual(toBob.errors, []);
    assert.deepEqual(toBob.steps.find((s) => s.op === "replace")?.replaceKeys, ["contactId"]);
    assert.equal(
      stack.engine.state.find((r) => r.urn.endsWith("::alice-api"))?.outputs.contactId,
      stack.engine.state.find((r) => r.urn.endsWith("::bob"))?.outputs.contactId,
    );
  });

  it("replaces on a change of hmacVerified or account", async () => {
    await sessionCreated();
    const verified = await up((c) => ({
      contactId: c.outputs.contactId!,
      inboxId: stack.emulator.inboxId,
      hmacVerified: true,
    }));
    assert.equal(verified.op, "replace");
    assert.deepEqual(verified.result.steps.find((s) => s.op === "replace")?.replaceKeys, ["hmacVerified"]);
    const second = stack.emulator.createAccount({ name: "Second", adminToken: ADMIN_TOKEN });
    const moved = await stack.engine.up(async (d) => {
      const contact = await d.register(
        declare("Contact", "alice", { identifier: "crm-1", accountId: second.accountId }),
      );
      await d.register(
        declare("ContactInbox", "alice-api", {
          accountId: second.accountId,
          contactId: contact.outputs.contactId!,
          inboxId: second.inboxId,
        }),
      );
    });
    assert.deepEqual(moved.errors, []);
    const replaced = moved.steps.filter((s) => s.op === "replace" && s.urn.endsWith("::alice-api"));
    assert.deepEqual(replaced[0]?.replaceKeys?.slice().sort(), ["accountId", "contactId", "inboxId"]);
    const secondCounts = stack.emulator.summary().find((a) => a.accountId === second.accountId)!;
    assert.deepEqual([secondCounts.contacts, secondCounts.contactInboxes], [1, 1]);
  });

  it("has a test for every documented field (README's ContactInbox table)", () => {
    const tested = ["accountId", "contactId", "inboxId", "sourceId", "hmacVerified"];
    assert.deepEqual(
      Object.keys(contactInboxFields).filter((field) => !tested.includes(field)),
      [],
    );
  });

  it("refuses a source id another contact holds in that inbox, before writing", async () => {
    const bob = await stack.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
      identifier: "bob",
      inbox_id: stack.emulator.inboxId,
      source_id: "taken",
    });
    const result = await stack.engine.up(async (d) => {
      const contact = await d.register(declare("Contact", "alice", { identifier: "crm-1" }));
      await d.register(
        declare("ContactInbox", "s", {
          contactId: contact.outputs.contactId!,
          inboxId: stack.emulator.inboxId,
          sourceId: "taken",
        }),
      );
    });
    assert.equal(result.errors.length, 1);
    assert.match(
      result.errors[0]!.message,
      new RegExp(
        `\\[sourceId\\] "taken" is already used in inbox ${stack.emulator.inboxId} by contact ${bob.payload.contact.id}`,
      ),
    );
    assert.equal(stack.counts().contactInboxes, 1);
  });

  it("previews with the contact id not known yet, creating nothing", async () => {
    const preview = await stack.engine.preview(async (d) => {
      const contact = await d.register(declare("Contact", "alice", { identifier: "crm-1" }));
      assert.equal(contact.outputs.contactId, unknown);
      await d.register(
        declare("ContactInbox", "s", {
          contactId: contact.outputs.contactId!,
          inboxId: stack.emulator.inboxId,
        }),
      );
    });
    assert.deepEqual(preview.errors, []);
    assert.deepEqual(preview.summary, { create: 2 });
    assert.equal(stack.counts().contactInboxes, 0);
  });

  it("deleting only stops tracking it; deleting its contact removes it, which a refresh notices", async () => {
    const first = await sessionCreated();
    const removed = await stack.engine.up(
      async (d) => void (await d.register(declare("Contact", "alice", { identifier: "crm-1" }))),
    );
    assert.deepEqual(removed.summary, { same: 1, delete: 1 });
    assert.equal(stack.counts().contactInboxes, 1, "Chatwoot has no route to delete a contact inbox");
    await up((c) => ({ contactId: c.outputs.contactId!, inboxId: stack.emulator.inboxId, sourceId: "kept" }));
    await stack.api("DELETE", `contacts/${String(first.contact.outputs.contactId)}`);
    // Chatwoot removes a deleted contact's sessions in the background.
    await waitFor(() => stack.counts().contactInboxes === 0);
    const refresh = await stack.engine.refresh();
    assert.deepEqual(
      refresh.steps.map((s) => s.refreshResult),
      ["delete", "delete"],
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
