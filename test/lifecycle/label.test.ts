import { strict as assert } from "node:assert";
import type { Program } from "../../harness/engine";
import type { PropertyMap } from "../../harness/wire";
import { labelFields } from "../../provider/resources/label/spec";
import { ADMIN_TOKEN, AGENT_TOKEN, ChatwootStack, declare, secret } from "../support/stack";

/**
 * Label through Pulumi's real dynamic-provider host, driven with the engine's rules, against the
 * emulator's account-label routes (chatwoot app/controllers/api/v1/accounts/labels_controller.rb,
 * app/models/label.rb). Each test combines several engine runs to keep the tier quick.
 */
describe("Label lifecycle", function () {
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

  /** Upper case on purpose: Chatwoot stores `vip-customer`, and so does the provider. */
  const fullInputs = (): PropertyMap => ({
    title: "VIP-Customer",
    description: "Pays for the premium plan",
    color: "#FF8800",
    showOnSidebar: true,
  });

  interface LabelJson {
    id: number;
    title: string;
    description: string | null;
    color: string;
    show_on_sidebar: boolean | null;
  }
  const fetchLabel = (id: unknown) => stack.api<LabelJson>("GET", `labels/${String(id)}`);
  const allLabels = async () => (await stack.api<{ payload: LabelJson[] }>("GET", "labels")).payload;
  const contactLabels = async (id: unknown) =>
    (await stack.api<{ payload: string[] }>("GET", `contacts/${String(id)}/labels`)).payload;
  const writes = () => stack.requests.filter((r) => r.method !== "GET").length;
  const labelStep = (steps: ReadonlyArray<{ urn: string; op: string }>) =>
    steps.filter((step) => step.urn.endsWith("::vip")).map((step) => step.op);

  /** A label, and a contact that carries it through the label's `title` output. */
  function labelAndContact(inputs: PropertyMap): {
    program: Program;
    outputs: () => Record<string, PropertyMap>;
  } {
    const seen: Record<string, PropertyMap> = {};
    const program: Program = async (d) => {
      const label = await d.register(declare("Label", "vip", inputs));
      seen.label = label.outputs;
      const contact = await d.register(
        declare("Contact", "alice", { identifier: "crm-1", labels: [label.outputs.title!] }),
      );
      seen.contact = contact.outputs;
    };
    return { program, outputs: () => seen };
  }

  async function up(inputs: PropertyMap) {
    const { program, outputs } = labelAndContact(inputs);
    const result = await stack.engine.up(program);
    assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
    const ops = labelStep(result.steps);
    return {
      op: ops.includes("replace") ? "replace" : ops[0],
      label: outputs().label!,
      contact: outputs().contact!,
      result,
    };
  }
  const created = () => stack.startFrom("label and contact created", () => up(fullInputs()));

  it("creates the label lower-cased, a contact carries it by title; a second up and a refresh change nothing", async () => {
    const first = await up(fullInputs());
    assert.equal(first.op, "create");
    const live = await fetchLabel(first.label.labelId);
    assert.deepEqual(live, {
      id: first.label.labelId,
      title: "vip-customer",
      description: "Pays for the premium plan",
      color: "#FF8800",
      show_on_sidebar: true,
    });
    assert.deepEqual(
      {
        title: first.label.title,
        description: first.label.description,
        color: first.label.color,
        showOnSidebar: first.label.showOnSidebar,
        adopted: first.label.adopted,
      },
      {
        title: live.title,
        description: live.description,
        color: live.color,
        showOnSidebar: true,
        adopted: false,
      },
    );
    // The contact was registered with the label's output, so it carries Chatwoot's spelling.
    assert.deepEqual(await contactLabels(first.contact.contactId), ["vip-customer"]);

    const before = writes();
    assert.equal((await up(fullInputs())).op, "same");
    const refresh = await stack.engine.refresh();
    assert.deepEqual(
      refresh.steps.map((step) => step.refreshResult),
      ["same", "same"],
    );
    assert.equal((await up({ ...fullInputs(), title: "vip-customer" })).op, "same", "the case is no change");
    assert.equal(writes(), before, "a no-op run wrote to Chatwoot");
    assert.equal((await allLabels()).length, 1);
  });

  it("renames in place (Chatwoot retags the contact) and updates the other fields; left out, they go back to Chatwoot's defaults", async () => {
    const start = await created();
    const renamed = { title: "premium", description: "Premium plan", color: "#123", showOnSidebar: false };
    const preview = await stack.engine.preview(labelAndContact(renamed).program);
    assert.deepEqual(labelStep(preview.steps), ["update"], "the preview must announce an update");
    const changed = await up(renamed);
    assert.equal(changed.op, "update");
    assert.equal(changed.label.labelId, start.label.labelId, "a rename must keep the label");
    assert.deepEqual(await fetchLabel(start.label.labelId), {
      id: start.label.labelId,
      title: "premium",
      description: "Premium plan",
      color: "#123",
      show_on_sidebar: false,
    });
    assert.equal(changed.label.title, "premium");
    assert.deepEqual(await contactLabels(start.contact.contactId), ["premium"]);

    const colorLeftOut = await up({ title: "premium", description: "Premium plan", showOnSidebar: false });
    assert.equal(colorLeftOut.op, "update");
    assert.equal((await fetchLabel(start.label.labelId)).color, "#1f93ff");
    const defaults = await up({ title: "premium" });
    assert.equal(defaults.op, "update");
    assert.deepEqual(await fetchLabel(start.label.labelId), {
      id: start.label.labelId,
      title: "premium",
      description: null,
      color: "#1f93ff",
      show_on_sidebar: false,
    });
    assert.equal((await up({ title: "premium" })).op, "same");
    assert.equal((await allLabels()).length, 1);

    // A rename onto a title another label holds: Chatwoot refuses it, and the error names the holder.
    const other = await stack.api<LabelJson>("POST", "labels", { label: { title: "churn-risk" } });
    const clash = await stack.engine.up(labelAndContact({ title: "churn-risk" }).program);
    assert.match(
      clash.errors[0]?.message ?? "",
      new RegExp(`\\[title\\] "churn-risk" is already the title of label ${other.id} in account`),
    );
    assert.equal((await fetchLabel(start.label.labelId)).title, "premium");
  });

  it("notices drift on refresh and undoes it; a label deleted outside the program is dropped and recreated", async () => {
    const { label } = await created();
    await stack.api("PATCH", `labels/${String(label.labelId)}`, { color: "#000000", show_on_sidebar: false });
    const drift = await stack.engine.refresh();
    assert.equal(drift.steps.find((s) => s.urn.endsWith("::vip"))?.refreshResult, "update");
    const refreshed = stack.engine.state.find((r) => r.urn.endsWith("::vip"))!.outputs;
    assert.equal(refreshed.color, "#000000");
    assert.equal(refreshed.showOnSidebar, false);
    assert.equal((await up(fullInputs())).op, "update");
    const restored = await fetchLabel(label.labelId);
    assert.equal(restored.color, "#FF8800");
    assert.equal(restored.show_on_sidebar, true);

    await stack.api("DELETE", `labels/${String(label.labelId)}`);
    const gone = await stack.engine.refresh();
    assert.equal(gone.steps.find((s) => s.urn.endsWith("::vip"))?.refreshResult, "delete");
    assert.equal(
      stack.engine.state.some((r) => r.urn.endsWith("::vip")),
      false,
    );
    const recreated = await up(fullInputs());
    assert.equal(recreated.op, "create");
    assert.notEqual(recreated.label.labelId, label.labelId);
    assert.equal((await allLabels()).length, 1);
  });

  it("destroys the label, and a destroy of a label already gone succeeds", async () => {
    const { label } = await created();
    const destroyed = await stack.engine.up(async () => undefined);
    assert.deepEqual(destroyed.errors, []);
    assert.deepEqual(destroyed.summary, { delete: 2 });
    assert.deepEqual(await allLabels(), []);

    const again = await stack.engine.up(
      async (d) => void (await d.register(declare("Label", "vip", fullInputs()))),
    );
    assert.deepEqual(again.errors, []);
    const [recreated] = await allLabels();
    assert.ok(recreated !== undefined && recreated.id !== label.labelId);
    await stack.api("DELETE", `labels/${recreated.id}`);
    const alreadyGone = await stack.engine.up(async () => undefined);
    assert.deepEqual(alreadyGone.errors, []);
    assert.deepEqual(alreadyGone.summary, { delete: 1 });
  });

  it("replaces on a change of account", async () => {
    const { label } = await created();
    const second = stack.emulator.createAccount({ name: "Second", adminToken: ADMIN_TOKEN });
    const moved = await up({ ...fullInputs(), accountId: second.accountId });
    assert.equal(moved.op, "replace");
    assert.deepEqual(moved.result.steps.find((s) => s.op === "replace")?.replaceKeys, ["accountId"]);
    assert.notEqual(moved.label.labelId, label.labelId);
    const inSecond = await stack.api<{ payload: LabelJson[] }>(
      "GET",
      `/api/v1/accounts/${second.accountId}/labels`,
    );
    assert.deepEqual(
      inSecond.payload.map((l) => l.title),
      ["vip-customer"],
    );
    assert.deepEqual(await allLabels(), [], "the label in the first account must be deleted");
  });

  it("refuses a title another label holds (whatever its case) unless adopt is set, then takes it over", async () => {
    const existing = await stack.api<LabelJson>("POST", "labels", {
      label: { title: "vip-customer", color: "#abcdef" },
    });
    const register =
      (inputs: PropertyMap): Program =>
      async (d) =>
        void (await d.register(declare("Label", "vip", inputs)));
    const clash = await stack.engine.up(register(fullInputs()));
    assert.equal(clash.errors.length, 1);
    assert.match(
      clash.errors[0]!.message,
      new RegExp(`a label titled "vip-customer" already exists .*label ${existing.id}.*adopt: true`),
    );
    assert.equal(stack.engine.state.length, 0, "nothing may be recorded");
    // Taken over but not brought to the inputs: recorded as ours, and the next up finishes it.
    stack.emulator.addFaultRule({ method: "PATCH", path: "**/labels/*", fault: "500", times: 50 });
    const half = await stack.engine.up(register({ ...fullInputs(), adopt: true }));
    assert.match(
      half.errors[0]?.message ?? "",
      new RegExp(
        `label ${existing.id} \\("vip-customer"\\) exists in Chatwoot, but finishing it failed: .*500`,
      ),
    );
    assert.ok(stack.engine.state[0]?.initErrors?.length, "the engine must record the partial creation");
    stack.emulator.clearFaults();
    const adopted = await stack.engine.up(register({ ...fullInputs(), adopt: true }));
    assert.deepEqual(adopted.errors, []);
    assert.deepEqual(adopted.summary, { update: 1 });
    const outputs = stack.engine.state[0]!.outputs;
    assert.equal(outputs.labelId, existing.id);
    assert.equal(outputs.adopted, true);
    assert.equal((await fetchLabel(existing.id)).color, "#FF8800");
    assert.equal((await allLabels()).length, 1);
    // adopt only matters to create.
    assert.deepEqual((await stack.engine.up(register(fullInputs()))).summary, { same: 1 });
  });

  it("rejects bad input before any request, naming each field and its rule", async () => {
    const bad = await stack.engine.up(
      async (d) =>
        void (await d.register(
          declare("Label", "vip", {
            title: "needs attention",
            color: "orange",
            description: "x".repeat(20_001),
            showOnSidebar: "yes",
            icon: "star",
          }),
        )),
    );
    // The engine reports each failure on its own, with the property it names.
    const messages = bad.errors.map((error) => error.message.slice(0, 300));
    assert.equal(messages.length, 5, messages.join("\n"));
    for (const reason of [
      /\[title\] must be a Chatwoot label title: letters, digits, - and _ only/,
      /\[color\] must be a hex colour such as #1f93ff/,
      /\[description\] must be at most 20000 characters/,
      /\[showOnSidebar\] must be true or false/,
      /\[icon\] is not a property of Label/,
    ]) {
      assert.ok(
        bad.errors.some((error) => reason.test(error.message)),
        `no error says ${reason}: ${messages.join("\n")}`,
      );
    }
    const untitled = await stack.engine.up(
      async (d) => void (await d.register(declare("Label", "vip", { color: "#fff" }))),
    );
    assert.match(untitled.errors[0]?.message ?? "", /\[title\] is required/);
    assert.deepEqual(stack.requests, []);
  });

  it("tells an agent's token that only administrators manage labels, and creates nothing", async () => {
    const asAgent = await stack.engine.up(
      async (d) =>
        void (await d.register(
          declare(
            "Label",
            "vip",
            {
              ...fullInputs(),
              connection: secret({
                url: stack.emulator.url,
                apiAccessToken: AGENT_TOKEN,
                accountId: stack.emulator.accountId,
              }),
            },
            { additionalSecretOutputs: ["connection"] },
          ),
        )),
    );
    assert.equal(asAgent.errors.length, 1);
    assert.match(
      asAgent.errors[0]!.message,
      /only administrators show, create, change or delete labels .*401/,
    );
    assert.ok(!JSON.stringify(asAgent.errors).includes(AGENT_TOKEN));
    assert.deepEqual(await allLabels(), []);
  });

  const lostAnswers: Array<[string, Parameters<ChatwootStack["emulator"]["addFaultRule"]>[0]]> = [
    ["committed, then a 500", { method: "POST", path: "/labels", fault: "commit_then_500", times: 1 }],
    // Lands just before the repeated POST, which Chatwoot then refuses ("Title has already been taken").
    [
      "applied late, after two lookups",
      { method: "POST", path: "/labels", fault: "commit_late", times: 1, applyAfter: 3 },
    ],
  ];
  for (const [what, rule] of lostAnswers) {
    it(`a create whose answer is lost (${what}) makes one label`, async () => {
      stack.emulator.addFaultRule(rule);
      const { op, label } = await up(fullInputs());
      assert.equal(op, "create");
      assert.equal(fired(), 1, "the fault must have fired");
      if (rule.fault === "commit_late") {
        const posts = stack.requests
          .filter((r) => r.method === "POST" && /\/accounts\/\d+\/labels$/.test(r.path))
          .map((r) => r.status);
        assert.deepEqual(posts, ["dropped", "422"], "the repeated POST must meet the late write");
      }
      const labels = await allLabels();
      assert.deepEqual(
        labels.map((l) => l.id),
        [label.labelId],
      );
    });
  }

  it("has a test for every documented field (README's Label table)", () => {
    const tested = [
      "accountId",
      "title",
      "description",
      "color",
      "showOnSidebar",
      "adopt",
      "labelId",
      "adopted",
    ];
    assert.deepEqual(
      Object.keys(labelFields).filter((field) => !tested.includes(field)),
      [],
    );
  });
});
