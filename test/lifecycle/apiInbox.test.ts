import { strict as assert } from "node:assert";
import type { PropertyMap } from "../../harness/wire";
import { isSecret, unknown, unwrapSecret } from "../../harness/wire";
import { apiInboxFields } from "../../provider/resources/apiInbox/spec";
import { ADMIN_TOKEN, ChatwootStack, declare } from "../support/stack";

/** The resource option `ApiInbox` adds for its keys (see provider/resources/apiInbox/resource.ts). */
const SECRET_OUTPUTS = ["hmacToken", "secret"];

/**
 * ApiInbox through Pulumi's real dynamic-provider host, driven with the engine's rules, against the
 * emulator's inbox and inbox-member routes (chatwoot app/controllers/api/v1/accounts/inboxes_controller.rb,
 * inbox_members_controller.rb).
 */
describe("ApiInbox lifecycle", function () {
  this.timeout(60_000);
  let stack: ChatwootStack;

  before(async () => {
    stack = await ChatwootStack.start();
  });
  after(async () => stack?.close());
  let firedBefore = 0;
  beforeEach(() => {
    stack.reset();
    firedBefore = stack.emulator.faults().fired;
  });
  const fired = () => stack.emulator.faults().fired - firedBefore;

  const fullInputs = (): PropertyMap => ({
    name: "Lumen Support",
    webhookUrl: "http://127.0.0.1:9/callbacks",
    hmacMandatory: true,
    lockToSingleConversation: true,
    allowMessagesAfterResolved: false,
    greetingEnabled: true,
    greetingMessage: "Hi! We answer within the hour.",
    enableAutoAssignment: false,
    agentIds: [stack.emulator.agentId, stack.emulator.adminId],
  });

  const register = (inputs: PropertyMap, name = "support") =>
    declare("ApiInbox", name, inputs, { additionalSecretOutputs: SECRET_OUTPUTS });

  async function upInbox(inputs: PropertyMap) {
    let outputs: PropertyMap = {};
    let id: string | undefined;
    const result = await stack.engine.up(async (deployment) => {
      const registered = await deployment.register(register(inputs));
      outputs = registered.outputs;
      id = registered.id;
    });
    assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
    const ops = result.steps.filter((step) => step.urn.endsWith("::support")).map((step) => step.op);
    // A replacement shows as its three steps; name it by its logical marker.
    const op = ops.includes("replace") ? "replace" : ops[0];
    return { op, outputs, id, result };
  }

  interface InboxJson {
    id: number;
    name: string;
    channel_type: string;
    webhook_url: string | null;
    hmac_mandatory: boolean;
    lock_to_single_conversation: boolean;
    allow_messages_after_resolved: boolean;
    greeting_enabled: boolean;
    greeting_message: string | null;
    enable_auto_assignment: boolean;
    inbox_identifier: string;
    hmac_token: string;
    secret: string;
  }
  const fetchInbox = (id: unknown) => stack.api<InboxJson>("GET", `inboxes/${String(id)}`);
  const fetchMembers = async (id: unknown) =>
    (await stack.api<{ payload: Array<{ id: number }> }>("GET", `inbox_members/${String(id)}`)).payload
      .map((agent) => agent.id)
      .sort((a, b) => a - b);
  const inboxesNamed = async (name: string) =>
    (await stack.api<{ payload: InboxJson[] }>("GET", "inboxes")).payload.filter((i) => i.name === name);
  /** The inbox as the first `up` creates it: made once, then put back for each test that starts there. */
  const inboxCreated = () => stack.startFrom("inbox created", () => upInbox(fullInputs()));

  const writes = () => stack.requests.filter((r) => r.method !== "GET").length;

  it("creates an API inbox with every field; the outputs are what Chatwoot stored, keys as secrets", async () => {
    const { op, outputs, id } = await upInbox(fullInputs());
    assert.equal(op, "create");
    assert.equal(id, String(unwrapSecret(outputs.inboxId!)));
    const live = await fetchInbox(outputs.inboxId);
    assert.equal(live.channel_type, "Channel::Api");
    assert.deepEqual(
      {
        name: outputs.name,
        webhookUrl: outputs.webhookUrl,
        hmacMandatory: outputs.hmacMandatory,
        lockToSingleConversation: outputs.lockToSingleConversation,
        allowMessagesAfterResolved: outputs.allowMessagesAfterResolved,
        greetingEnabled: outputs.greetingEnabled,
        greetingMessage: outputs.greetingMessage,
        enableAutoAssignment: outputs.enableAutoAssignment,
        inboxIdentifier: outputs.inboxIdentifier,
      },
      {
        name: live.name,
        webhookUrl: live.webhook_url,
        hmacMandatory: live.hmac_mandatory,
        lockToSingleConversation: live.lock_to_single_conversation,
        allowMessagesAfterResolved: live.allow_messages_after_resolved,
        greetingEnabled: live.greeting_enabled,
        greetingMessage: live.greeting_message,
        enableAutoAssignment: live.enable_auto_assignment,
        inboxIdentifier: live.inbox_identifier,
      },
    );
    assert.deepEqual(fullInputs().name, live.name);
    assert.equal(live.hmac_mandatory, true);
    assert.equal(live.allow_messages_after_resolved, false);
    assert.deepEqual(outputs.agentIds, await fetchMembers(outputs.inboxId));
    assert.deepEqual(
      outputs.agentIds,
      [stack.emulator.adminId, stack.emulator.agentId].sort((a, b) => a - b),
    );
    assert.equal(outputs.adopted, false);
    // The keys are Pulumi secrets: wrapped in the outputs, encrypted in the state.
    for (const key of ["hmacToken", "secret"] as const) {
      assert.ok(isSecret(outputs[key]), `${key} must be a secret output`);
    }
    assert.equal(unwrapSecret(outputs.hmacToken!), live.hmac_token);
    assert.equal(unwrapSecret(outputs.secret!), live.secret);
    const state = stack.engine.stateJson();
    assert.ok(!state.includes(live.hmac_token), "the HMAC token is in the state in clear text");
    assert.ok(!state.includes(live.secret), "the webhook secret is in the state in clear text");
  });

  it("changes nothing on a second up, nor after a refresh", async () => {
    await inboxCreated();
    const before = writes();
    assert.equal((await upInbox(fullInputs())).op, "same");
    const refresh = await stack.engine.refresh();
    assert.deepEqual(
      refresh.steps.map((step) => step.refreshResult),
      ["same"],
    );
    assert.equal((await upInbox(fullInputs())).op, "same");
    assert.equal(writes(), before, "a no-op run wrote to Chatwoot");
    assert.equal((await inboxesNamed("Lumen Support")).length, 1);
  });

  it("previews a create without writing, accepting values not known yet", async () => {
    const preview = await stack.engine.preview(
      async (d) => void (await d.register(register({ ...fullInputs(), webhookUrl: unknown }))),
    );
    assert.deepEqual(preview.errors, []);
    assert.deepEqual(preview.summary, { create: 1 });
    assert.equal(writes(), 0);
  });

  const inPlaceChanges: Array<[string, (inputs: PropertyMap) => PropertyMap, (live: InboxJson) => void]> = [
    ["name", (i) => ({ ...i, name: "Lumen Help" }), (live) => assert.equal(live.name, "Lumen Help")],
    [
      "webhookUrl",
      (i) => ({ ...i, webhookUrl: "https://hooks.example.com/cw" }),
      (live) => assert.equal(live.webhook_url, "https://hooks.example.com/cw"),
    ],
    [
      "webhookUrl left out (cleared)",
      ({ webhookUrl: _dropped, ...i }) => i,
      (live) => assert.equal(live.webhook_url || null, null),
    ],
    [
      "hmacMandatory",
      (i) => ({ ...i, hmacMandatory: false }),
      (live) => assert.equal(live.hmac_mandatory, false),
    ],
    [
      "lockToSingleConversation",
      (i) => ({ ...i, lockToSingleConversation: false }),
      (live) => assert.equal(live.lock_to_single_conversation, false),
    ],
    [
      "allowMessagesAfterResolved left out (Chatwoot's default, true)",
      ({ allowMessagesAfterResolved: _dropped, ...i }) => i,
      (live) => assert.equal(live.allow_messages_after_resolved, true),
    ],
    [
      "greetingEnabled",
      (i) => ({ ...i, greetingEnabled: false }),
      (live) => assert.equal(live.greeting_enabled, false),
    ],
    [
      "greetingMessage",
      (i) => ({ ...i, greetingMessage: "Hello there" }),
      (live) => assert.equal(live.greeting_message, "Hello there"),
    ],
    [
      "enableAutoAssignment",
      (i) => ({ ...i, enableAutoAssignment: true }),
      (live) => assert.equal(live.enable_auto_assignment, true),
    ],
  ];
  for (const [field, change, verify] of inPlaceChanges) {
    it(`updates ${field} in place`, async () => {
      const created = await inboxCreated();
      const changed = change(fullInputs());
      // The engine takes a step's kind from the same Diff call in a preview as in an update, so one
      // field shows the preview announcing the update; previewing every field only repeated it.
      if (field === inPlaceChanges[0]![0]) {
        const preview = await stack.engine.preview(async (d) => void (await d.register(register(changed))));
        assert.deepEqual(preview.summary, { update: 1 }, "the preview must announce an update");
      }
      const { op, outputs } = await upInbox(changed);
      assert.equal(op, "update");
      assert.equal(outputs.inboxId, created.outputs.inboxId, "an update must keep the inbox");
      verify(await fetchInbox(outputs.inboxId));
      assert.equal((await upInbox(changed)).op, "same");
    });
  }

  it("updates agentIds in place as a set; left out, Chatwoot's members are kept", async () => {
    const created = await inboxCreated();
    const inboxId = created.outputs.inboxId;
    const { op } = await upInbox({ ...fullInputs(), agentIds: [stack.emulator.agentId] });
    assert.equal(op, "update");
    assert.deepEqual(await fetchMembers(inboxId), [stack.emulator.agentId]);
    const { agentIds: _dropped, ...unmanaged } = fullInputs();
    assert.equal((await upInbox(unmanaged)).op, "same");
    assert.deepEqual(await fetchMembers(inboxId), [stack.emulator.agentId]);
    // Order and duplicates do not matter.
    const reordered = await upInbox({
      ...fullInputs(),
      agentIds: [stack.emulator.agentId, stack.emulator.adminId, stack.emulator.agentId],
    });
    assert.equal(reordered.op, "update");
    assert.equal(
      (await upInbox({ ...fullInputs(), agentIds: [stack.emulator.agentId, stack.emulator.adminId] })).op,
      "same",
    );
  });

  it("replaces on a change of account", async () => {
    const created = await inboxCreated();
    const second = stack.emulator.createAccount({ name: "Second", adminToken: ADMIN_TOKEN });
    const { agentIds: _dropped, ...inputs } = fullInputs();
    const moved = await upInbox({ ...inputs, accountId: second.accountId });
    assert.equal(moved.op, "replace");
    assert.deepEqual(moved.result.steps.find((s) => s.op === "replace")?.replaceKeys, ["accountId"]);
    assert.notEqual(moved.outputs.inboxId, created.outputs.inboxId);
    const inSecond = await stack.api<{ payload: InboxJson[] }>(
      "GET",
      `/api/v1/accounts/${second.accountId}/inboxes`,
    );
    assert.ok(inSecond.payload.some((inbox) => inbox.name === "Lumen Support"));
  });

  it("notices drift on refresh and undoes it on the next up", async () => {
    const { outputs } = await inboxCreated();
    await stack.api("PATCH", `inboxes/${String(outputs.inboxId)}`, {
      name: "Renamed by hand",
      greeting_enabled: false,
      channel: { webhook_url: "http://127.0.0.1:9/other" },
    });
    await stack.api("PATCH", "inbox_members", { inbox_id: outputs.inboxId, user_ids: [] });
    const refresh = await stack.engine.refresh();
    assert.deepEqual(
      refresh.steps.map((step) => step.refreshResult),
      ["update"],
    );
    const refreshed = stack.engine.state[0]!.outputs;
    assert.equal(refreshed.name, "Renamed by hand");
    assert.equal(refreshed.webhookUrl, "http://127.0.0.1:9/other");
    assert.deepEqual(refreshed.agentIds, []);
    const { op } = await upInbox(fullInputs());
    assert.equal(op, "update");
    const live = await fetchInbox(outputs.inboxId);
    assert.equal(live.name, "Lumen Support");
    assert.equal(live.webhook_url, "http://127.0.0.1:9/callbacks");
    assert.equal(live.greeting_enabled, true);
    assert.deepEqual(await fetchMembers(outputs.inboxId), outputs.agentIds);
  });

  it("drops an inbox deleted outside the program on refresh, and the next up recreates it", async () => {
    const { outputs } = await inboxCreated();
    await stack.api("DELETE", `inboxes/${String(outputs.inboxId)}`);
    // Chatwoot deletes the inbox in a background job (DeleteObjectJob).
    await waitFor(async () => (await inboxesNamed("Lumen Support")).length === 0);
    const refresh = await stack.engine.refresh();
    assert.deepEqual(
      refresh.steps.map((step) => step.refreshResult),
      ["delete"],
    );
    assert.deepEqual(stack.engine.state, []);
    const recreated = await upInbox(fullInputs());
    assert.equal(recreated.op, "create");
    assert.notEqual(recreated.outputs.inboxId, outputs.inboxId);
  });

  it("destroys the inbox, and a destroy of an inbox already gone succeeds", async () => {
    const { outputs } = await inboxCreated();
    const destroyed = await stack.engine.up(async () => undefined);
    assert.deepEqual(destroyed.errors, []);
    assert.deepEqual(destroyed.summary, { delete: 1 });
    await waitFor(async () => (await inboxesNamed("Lumen Support")).length === 0);
    await upInbox(fullInputs());
    const again = (await inboxesNamed("Lumen Support"))[0]!;
    await stack.api("DELETE", `inboxes/${again.id}`);
    await waitFor(async () => (await inboxesNamed("Lumen Support")).length === 0);
    const gone = await stack.engine.up(async () => undefined);
    assert.deepEqual(gone.errors, []);
    assert.deepEqual(gone.summary, { delete: 1 });
    assert.notEqual(again.id, outputs.inboxId);
  });

  it("refuses a name another API inbox holds unless adopt is set, then takes it over", async () => {
    const existing = await stack.api<InboxJson>("POST", "inboxes", {
      name: "Lumen Support",
      channel: { type: "api", webhook_url: "http://127.0.0.1:9/old" },
    });
    const clash = await stack.engine.up(async (d) => void (await d.register(register(fullInputs()))));
    assert.equal(clash.errors.length, 1);
    assert.match(
      clash.errors[0]!.message,
      new RegExp(`an API inbox named "Lumen Support" already exists .*inbox ${existing.id}.*adopt: true`),
    );
    assert.deepEqual(stack.engine.state, []);
    const adopted = await upInbox({ ...fullInputs(), adopt: true });
    assert.equal(adopted.op, "create");
    assert.equal(adopted.outputs.inboxId, existing.id);
    assert.equal(adopted.outputs.adopted, true);
    assert.equal((await fetchInbox(existing.id)).webhook_url, "http://127.0.0.1:9/callbacks");
    assert.equal((await inboxesNamed("Lumen Support")).length, 1);
    // adopt only matters to create.
    assert.equal((await upInbox(fullInputs())).op, "same");
  });

  it("refuses a name held by an inbox of another channel, even with adopt", async () => {
    const widget = await stack.api<InboxJson>("POST", "inboxes", {
      name: "Lumen Support",
      channel: { type: "web_widget", website_url: "https://lumen.example.com" },
    });
    const result = await stack.engine.up(
      async (d) => void (await d.register(register({ ...fullInputs(), adopt: true }))),
    );
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0]!.message, new RegExp(`inbox ${widget.id}, a Channel::WebWidget inbox`));
  });

  const rejected: Array<[string, PropertyMap, RegExp]> = [
    ["a missing name", { name: null }, /\[name\] is required/],
    ["a blank name", { name: "   " }, /\[name\] must not be blank/],
    [
      "a webhook URL that is not http(s)",
      { webhookUrl: "ftp://x" },
      /\[webhookUrl\] must be an http or https URL/,
    ],
    [
      "a webhook URL over 2048 characters",
      { webhookUrl: `http://a/${"x".repeat(2048)}` },
      /\[webhookUrl\] must be at most 2048/,
    ],
    [
      "a greeting over 10,000 characters",
      { greetingMessage: "x".repeat(10_001) },
      /\[greetingMessage\] must be at most 10000/,
    ],
    ["an agent id that is not an id", { agentIds: [0] }, /\[agentIds\.0\] must be a positive id/],
    ["a flag that is not a boolean", { hmacMandatory: "yes" }, /\[hmacMandatory\] must be true or false/],
    ["an unknown property", { channel: "api" }, /\[channel\] is not a property of ApiInbox/],
  ];
  for (const [what, change, reason] of rejected) {
    it(`rejects ${what} before any request`, async () => {
      const inputs: PropertyMap = { ...fullInputs(), ...change };
      if (change.name === null) delete inputs.name;
      const result = await stack.engine.up(async (d) => void (await d.register(register(inputs))));
      assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
      assert.match(result.errors[0]!.message, reason);
      assert.deepEqual(stack.requests, []);
    });
  }

  for (const fault of ["commit_then_500", "commit_then_drop"] as const) {
    it(`a create whose answer is lost (${fault}) is looked up by name, not repeated: one inbox`, async () => {
      stack.emulator.addFaultRule({ method: "POST", path: "/inboxes", fault, times: 1 });
      const { op } = await upInbox(fullInputs());
      assert.equal(op, "create");
      assert.equal(fired(), 1, "the fault must have fired");
      assert.equal((await inboxesNamed("Lumen Support")).length, 1);
      assert.equal(
        stack.requests.filter((r) => r.method === "POST" && r.path.endsWith("/inboxes")).length,
        1,
      );
    });
  }

  it("retries reads and member updates through 429s, 503s and dropped connections", async () => {
    stack.emulator.addFaultRule({ method: "GET", path: "/inboxes", fault: "429", times: 1 });
    stack.emulator.addFaultRule({ method: "PATCH", path: "/inbox_members", fault: "503", times: 1 });
    stack.emulator.addFaultRule({ method: "PATCH", path: "/inbox_members", fault: "drop", times: 1 });
    const { outputs } = await upInbox(fullInputs());
    assert.equal(fired(), 3);
    assert.deepEqual(await fetchMembers(outputs.inboxId), outputs.agentIds);
  });

  it("finishes a half-made create on the next up instead of leaving an orphan", async () => {
    stack.emulator.addFaultRule({ method: "PATCH", path: "/inbox_members", fault: "500", times: 50 });
    const failed = await stack.engine.up(async (d) => void (await d.register(register(fullInputs()))));
    assert.equal(failed.errors.length, 1);
    assert.match(
      failed.errors[0]!.message,
      /API inbox \d+ exists in Chatwoot, but finishing it failed: .*inbox_members.*500.*next `pulumi up` will finish it/,
    );
    assert.ok(stack.engine.state[0]?.initErrors?.length, "the engine must record the partial creation");
    stack.emulator.clearFaults();
    const finished = await upInbox(fullInputs());
    assert.equal(finished.op, "update");
    assert.equal((await inboxesNamed("Lumen Support")).length, 1);
    assert.deepEqual(await fetchMembers(finished.outputs.inboxId), finished.outputs.agentIds);
  });

  it("keeps the keys and the token out of the state, the host log and errors", async () => {
    const { outputs } = await inboxCreated();
    const live = await fetchInbox(outputs.inboxId);
    stack.emulator.addFaultRule({ method: "GET", path: "**/inboxes/*", fault: "500", times: 50 });
    const refresh = await stack.engine.refresh();
    assert.equal(refresh.errors.length, 1);
    const surfaces = [stack.engine.stateJson(), stack.engine.hostLog(), JSON.stringify(refresh.errors)];
    for (const surface of surfaces) {
      for (const leaked of [ADMIN_TOKEN, live.hmac_token, live.secret]) assert.ok(!surface.includes(leaked));
    }
  });

  it("has a test for every documented field (README's ApiInbox table)", () => {
    const tested = new Set([
      ...inPlaceChanges.map(([label]) => label.split(" ")[0]),
      "agentIds",
      "accountId",
      "adopt",
      "inboxId",
      "inboxIdentifier",
      "hmacToken",
      "secret",
      "adopted",
    ]);
    assert.deepEqual(
      Object.keys(apiInboxFields).filter((field) => !tested.has(field)),
      [],
    );
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
