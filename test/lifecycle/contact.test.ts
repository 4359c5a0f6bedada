import { strict as assert } from "node:assert";
import type { PropertyMap } from "../../harness/wire";
import { unknown } from "../../harness/wire";
import { contactFields } from "../../provider/resources/contact/spec";
import { ADMIN_TOKEN, ChatwootStack, declare } from "../support/stack";

/**
 * Contact through Pulumi's real dynamic-provider host, driven with the engine's rules, against
 * the Chatwoot emulator (checklist items 1–13 of STYLE.md; 11 and 14 have their own files).
 */
describe("Contact lifecycle", function () {
  this.timeout(60_000);
  let stack: ChatwootStack;

  before(async () => {
    stack = await ChatwootStack.start();
  });
  after(async () => stack?.close());
  beforeEach(() => stack.reset());

  const aliceInputs = (): PropertyMap => ({
    name: "Alice Example",
    email: "Alice@Example.com",
    phoneNumber: "+14155550100",
    identifier: "crm-1001",
    customAttributes: { plan: "pro", seats: 5 },
    additionalAttributes: { company_name: "Acme" },
    labels: ["vip", "b2b"],
    inboxId: stack.emulator.inboxId,
  });

  /** Runs `pulumi up` with one contact and returns its step and outputs. */
  async function upContact(inputs: PropertyMap) {
    let outputs: PropertyMap = {};
    const result = await stack.engine.up(async (deployment) => {
      outputs = (await deployment.register(declare("Contact", "alice", inputs))).outputs;
    });
    assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
    return { op: result.steps.find((step) => step.urn.endsWith("::alice"))?.op, outputs, result };
  }

  /** Alice as the first `up` creates her: made once, then put back for each test that starts there. */
  const aliceCreated = () => stack.startFrom("alice created", () => upContact(aliceInputs()));

  interface ContactJson {
    id: number;
    name: string;
    email: string | null;
    phone_number: string | null;
    identifier: string | null;
    blocked: boolean;
    custom_attributes: Record<string, unknown>;
    additional_attributes: Record<string, unknown>;
    contact_inboxes: Array<{ source_id: string; inbox: { id: number } }>;
  }
  const fetchContact = async (id: unknown) =>
    (await stack.api<{ payload: ContactJson }>("GET", `contacts/${String(id)}`)).payload;
  const fetchLabels = async (id: unknown) =>
    (await stack.api<{ payload: string[] }>("GET", `contacts/${String(id)}/labels`)).payload.sort();

  it("creates a contact with every field; the outputs are what Chatwoot stored", async () => {
    const { op, outputs } = await upContact(aliceInputs());
    assert.equal(op, "create");
    const live = await fetchContact(outputs.contactId);
    assert.equal(live.email, "alice@example.com");
    assert.equal(outputs.email, "alice@example.com");
    assert.equal(outputs.name, "Alice Example");
    assert.equal(outputs.phoneNumber, live.phone_number);
    assert.equal(outputs.identifier, "crm-1001");
    assert.deepEqual(outputs.customAttributes, live.custom_attributes);
    assert.deepEqual(outputs.additionalAttributes, { company_name: "Acme" });
    assert.deepEqual(outputs.labels, await fetchLabels(outputs.contactId));
    assert.deepEqual(outputs.labels, ["b2b", "vip"]);
    assert.equal(outputs.blocked, false);
    assert.equal(outputs.adopted, false);
    // The first contact inbox, made with the contact (Chatwoot's inbox_id on create).
    assert.equal(outputs.inboxId, stack.emulator.inboxId);
    assert.deepEqual(
      live.contact_inboxes.map((session) => [session.inbox.id, session.source_id]),
      [[stack.emulator.inboxId, outputs.sourceId]],
    );
    assert.equal(stack.counts().contacts, 1);
  });

  it("changes nothing on a second up, nor after a refresh", async () => {
    await aliceCreated();
    const writesBefore = stack.requests.filter(
      (r) => r.method !== "GET" && !r.path.endsWith("/filter"),
    ).length;
    assert.equal((await upContact(aliceInputs())).op, "same");
    const refresh = await stack.engine.refresh();
    assert.deepEqual(
      refresh.steps.map((step) => step.refreshResult),
      ["same"],
    );
    assert.equal((await upContact(aliceInputs())).op, "same");
    const writesAfter = stack.requests.filter(
      (r) => r.method !== "GET" && !r.path.endsWith("/filter"),
    ).length;
    assert.equal(writesAfter, writesBefore, "a no-op run wrote to Chatwoot");
    assert.equal(stack.counts().contacts, 1);
  });

  it("previews a create without writing, accepting values not known yet", async () => {
    const preview = await stack.engine.preview(async (deployment) => {
      await deployment.register(declare("Contact", "alice", { ...aliceInputs(), identifier: unknown }));
    });
    assert.deepEqual(preview.errors, []);
    assert.deepEqual(preview.summary, { create: 1 });
    assert.equal(stack.counts().contacts, 0);
    assert.deepEqual(stack.engine.state, []);
  });

  const inPlaceChanges: Array<
    [string, (inputs: PropertyMap) => PropertyMap, (live: ContactJson, labels: string[]) => void]
  > = [
    ["name", (i) => ({ ...i, name: "Alice Renamed" }), (live) => assert.equal(live.name, "Alice Renamed")],
    [
      "email",
      (i) => ({ ...i, email: "alice@new.example" }),
      (live) => assert.equal(live.email, "alice@new.example"),
    ],
    [
      "phoneNumber",
      (i) => ({ ...i, phoneNumber: "+442071838750" }),
      (live) => assert.equal(live.phone_number, "+442071838750"),
    ],
    [
      "identifier",
      (i) => ({ ...i, identifier: "crm-2002" }),
      (live) => assert.equal(live.identifier, "crm-2002"),
    ],
    ["blocked", (i) => ({ ...i, blocked: true }), (live) => assert.equal(live.blocked, true)],
    [
      "customAttributes (a removed key is removed in Chatwoot)",
      (i) => ({ ...i, customAttributes: { plan: "enterprise" } }),
      (live) => assert.deepEqual(live.custom_attributes, { plan: "enterprise" }),
    ],
    [
      "additionalAttributes (merged; a removed key becomes null)",
      (i) => ({ ...i, additionalAttributes: { city: "Lisbon" } }),
      (live) => assert.deepEqual(live.additional_attributes, { company_name: null, city: "Lisbon" }),
    ],
    [
      "labels (replaced as a set)",
      (i) => ({ ...i, labels: ["churn-risk"] }),
      (_live, labels) => assert.deepEqual(labels, ["churn-risk"]),
    ],
    [
      "phoneNumber left out (cleared)",
      ({ phoneNumber: _dropped, ...i }) => i,
      (live) => assert.equal(live.phone_number ?? null, null),
    ],
    [
      "sourceId (adds a contact inbox with that source id; the old one stays)",
      (i) => ({ ...i, sourceId: "explicit-session" }),
      (live) =>
        assert.ok(
          live.contact_inboxes.some(
            (s) => s.inbox.id === stack.emulator.inboxId && s.source_id === "explicit-session",
          ),
        ),
    ],
    [
      "inboxId (adds a contact inbox there; the old one stays)",
      (i) => ({ ...i, inboxId: stack.emulator.otherInboxId }),
      (live) =>
        assert.deepEqual(
          live.contact_inboxes.map((s) => s.inbox.id).sort(),
          [stack.emulator.inboxId, stack.emulator.otherInboxId].sort(),
        ),
    ],
  ];
  for (const [field, change, verify] of inPlaceChanges) {
    it(`updates ${field} in place`, async () => {
      const created = await aliceCreated();
      const changed = change(aliceInputs());
      // The engine takes a step's kind from the same Diff call in a preview as in an update, so one
      // field shows the preview announcing the update; previewing every field only repeated it.
      if (field === inPlaceChanges[0]![0]) {
        const preview = await stack.engine.preview(
          async (d) => void (await d.register(declare("Contact", "alice", changed))),
        );
        assert.deepEqual(preview.summary, { update: 1 }, "the preview must announce an update");
      }
      const { op, outputs } = await upContact(changed);
      assert.equal(op, "update");
      assert.equal(outputs.contactId, created.outputs.contactId, "an update must keep the contact");
      verify(await fetchContact(outputs.contactId), await fetchLabels(outputs.contactId));
      // The outputs say what Chatwoot now holds, so the next run is a no-op.
      assert.equal((await upContact(changed)).op, "same");
      assert.equal(stack.counts().contacts, 1);
    });
  }

  it("ignores a change of adopt after the contact exists (it only matters to create)", async () => {
    await aliceCreated();
    assert.equal((await upContact({ ...aliceInputs(), adopt: true })).op, "same");
  });

  it("has a test for every documented field (README's Contact table)", () => {
    const tested = new Set([
      ...inPlaceChanges.map(([label]) => label.split(" ")[0]),
      "accountId", // replaces: its own test below
      "adopt", // create only: its own test above
    ]);
    const documented = Object.entries(contactFields)
      .filter(([, spec]) => spec.behaviour !== "computed")
      .map(([field]) => field);
    assert.deepEqual(
      documented.filter((field) => !tested.has(field)),
      [],
    );
  });

  it("replaces the contact when its account changes: made in the new account, deleted from the old", async () => {
    await aliceCreated();
    // The same administrator belongs to a second account, as Chatwoot users can.
    const second = stack.emulator.createAccount({ name: "Second", adminToken: ADMIN_TOKEN });
    const moved = { ...aliceInputs(), accountId: second.accountId, inboxId: second.inboxId };
    const preview = await stack.engine.preview(
      async (d) => void (await d.register(declare("Contact", "alice", moved))),
    );
    assert.deepEqual(preview.steps.find((s) => s.op === "replace")?.replaceKeys, ["accountId"]);
    const result = await stack.engine.up(
      async (d) => void (await d.register(declare("Contact", "alice", moved))),
    );
    assert.deepEqual(result.errors, []);
    const [state] = stack.engine.state;
    assert.equal(state!.outputs.accountId, second.accountId);
    const counts = Object.fromEntries(stack.emulator.summary().map((a) => [a.accountId, a.contacts]));
    assert.deepEqual(counts, { [stack.emulator.accountId]: 0, [second.accountId]: 1 });
    const live = await stack.api<{ payload: ContactJson }>(
      "GET",
      `/api/v1/accounts/${second.accountId}/contacts/${String(state!.outputs.contactId)}`,
    );
    assert.equal(live.payload.email, "alice@example.com");
  });

  it("refresh shows drift made in Chatwoot, and the next up puts the program back", async () => {
    const { outputs } = await aliceCreated();
    await stack.api("PATCH", `contacts/${String(outputs.contactId)}`, {
      name: "Edited By Hand",
      custom_attributes: { extra: 1 },
    });
    await stack.api("POST", `contacts/${String(outputs.contactId)}/labels`, { labels: ["hand-made"] });
    const refresh = await stack.engine.refresh();
    assert.deepEqual(
      refresh.steps.map((s) => s.refreshResult),
      ["update"],
    );
    const refreshed = stack.engine.state[0]!.outputs;
    assert.equal(refreshed.name, "Edited By Hand");
    assert.deepEqual(refreshed.customAttributes, { plan: "pro", seats: 5, extra: 1 });
    assert.deepEqual(refreshed.labels, ["hand-made"]);
    const { op } = await upContact(aliceInputs());
    assert.equal(op, "update");
    const live = await fetchContact(outputs.contactId);
    assert.equal(live.name, "Alice Example");
    assert.deepEqual(live.custom_attributes, { plan: "pro", seats: 5 });
    assert.deepEqual(await fetchLabels(outputs.contactId), ["b2b", "vip"]);
  });

  it("drops a contact deleted in Chatwoot on refresh, and the next up recreates it", async () => {
    const { outputs } = await aliceCreated();
    await stack.api("DELETE", `contacts/${String(outputs.contactId)}`);
    const refresh = await stack.engine.refresh();
    assert.deepEqual(
      refresh.steps.map((s) => s.refreshResult),
      ["delete"],
    );
    assert.deepEqual(stack.engine.state, []);
    const recreated = await upContact(aliceInputs());
    assert.equal(recreated.op, "create");
    assert.notEqual(recreated.outputs.contactId, outputs.contactId);
    assert.equal(stack.counts().contacts, 1);
  });

  it("adopts an existing contact with adopt: true, with outputs equal to a fresh create", async () => {
    const fresh = await aliceCreated();
    stack.reset();
    const existing = await stack.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
      name: "Old Name",
      email: "alice@example.com",
      custom_attributes: { legacy: true },
    });
    const { op, outputs } = await upContact({ ...aliceInputs(), adopt: true });
    assert.equal(op, "create");
    assert.equal(outputs.contactId, existing.payload.contact.id);
    assert.equal(outputs.adopted, true);
    assert.equal(stack.counts().contacts, 1, "adoption must not create a duplicate");
    const comparable = (o: PropertyMap) => {
      const { contactId: _id, adopted: _adopted, adopt: _adopt, sourceId: _sourceId, ...rest } = o;
      return rest;
    };
    assert.deepEqual(comparable(outputs), comparable(fresh.outputs));
    assert.deepEqual((await fetchContact(outputs.contactId)).custom_attributes, { plan: "pro", seats: 5 });
  });

  it("refuses to take over a clashing contact without adopt, naming the field, the contact and adopt", async () => {
    const existing = await stack.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
      identifier: "crm-1001",
    });
    const result = await stack.engine.up(
      async (d) => void (await d.register(declare("Contact", "alice", aliceInputs()))),
    );
    assert.equal(result.errors.length, 1);
    const message = result.errors[0]!.message;
    assert.match(message, /\[identifier\] \(crm-1001\) already exists/);
    assert.match(message, new RegExp(`contact ${existing.payload.contact.id}`));
    assert.match(message, /adopt: true/);
    assert.equal(stack.counts().contacts, 1);
    assert.deepEqual(stack.engine.state, []);
  });

  it("deletes the contact on destroy, and a contact already gone is no error", async () => {
    await aliceCreated();
    const destroy = await stack.engine.destroy();
    assert.deepEqual(destroy.errors, []);
    assert.equal(stack.counts().contacts, 0);
    const { outputs } = await upContact(aliceInputs());
    await stack.api("DELETE", `contacts/${String(outputs.contactId)}`);
    const again = await stack.engine.destroy();
    assert.deepEqual(again.errors, []);
    assert.deepEqual(stack.engine.state, []);
  });

  it("rejects bad input before any request, naming the field and the rule", async () => {
    const result = await stack.engine.up(async (d) => {
      await d.register(declare("Contact", "bad", { email: "not-an-email", phoneNumber: "+1 415 555 0100" }));
    });
    const messages = result.errors.map((e) => e.message).join("\n");
    assert.match(messages, /\[email\] must be a valid email address/);
    assert.match(messages, /\[phoneNumber\] must be an E\.164 phone number/);
    assert.deepEqual(stack.requests, [], "check must not call Chatwoot");
  });

  it("reports a wrong token with Chatwoot's message on the first call, not a stack trace", async () => {
    const wrong = await ChatwootStack.start({
      config: { "chatwoot:apiAccessToken": "not-the-token-123456" },
    });
    try {
      const result = await wrong.engine.up(
        async (d) => void (await d.register(declare("Contact", "alice", { identifier: "x" }))),
      );
      assert.equal(result.errors.length, 1);
      const message = result.errors[0]!.message;
      assert.match(message, /Chatwoot rejected the API access token .*401 "Invalid Access Token"/);
      assert.match(message, /chatwoot:apiAccessToken/);
      assert.doesNotMatch(message, /\n\s+at /, "no stack trace");
      assert.equal(wrong.requests.length, 1, "it fails on the first call");
    } finally {
      await wrong.close();
    }
  });

  it("explains that deleting needs an administrator when the token is an agent's", async () => {
    const agent = await ChatwootStack.start({ as: "agent" });
    try {
      await agent.engine.up(
        async (d) => void (await d.register(declare("Contact", "alice", { identifier: "crm-9" }))),
      );
      const destroy = await agent.engine.destroy();
      assert.equal(destroy.errors.length, 1);
      assert.match(destroy.errors[0]!.message, /only administrators delete contacts.*401.*retainOnDelete/);
      assert.equal(agent.counts().contacts, 1);
      assert.equal(agent.engine.state.length, 1, "a failed delete keeps the resource in the state");
    } finally {
      await agent.close();
    }
  });

  it("never writes the token into the state, the host log or an error", async () => {
    await aliceCreated();
    await stack.engine.refresh();
    await stack.engine.destroy();
    for (const surface of stack.leakSurfaces()) assert.ok(!surface.includes(ADMIN_TOKEN), "the token leaked");
  });
});
