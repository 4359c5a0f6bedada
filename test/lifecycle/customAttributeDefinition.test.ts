import { strict as assert } from "node:assert";
import type { PropertyMap } from "../../harness/wire";
import { customAttributeDefinitionFields } from "../../provider/resources/customAttributeDefinition/spec";
import { releaseProfile } from "../../emulator/releases";
import { ChatwootStack, declare, lifecycleRelease } from "../support/stack";

/**
 * CustomAttributeDefinition through Pulumi's real dynamic-provider host, driven with the engine's
 * rules, against the emulator's definition routes (chatwoot
 * app/controllers/api/v1/accounts/custom_attribute_definitions_controller.rb). Each test combines
 * several engine runs, since every run starts a provider host.
 */
describe("CustomAttributeDefinition lifecycle", function () {
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
    attributeModel: "contact",
    attributeKey: "plan",
    displayName: "Plan",
    displayType: "list",
    listValues: ["free", "pro"],
    description: "Billing plan",
  });
  const register = (inputs: PropertyMap) => declare("CustomAttributeDefinition", "plan", inputs);

  async function up(inputs: PropertyMap) {
    let outputs: PropertyMap = {};
    const result = await stack.engine.up(async (deployment) => {
      outputs = (await deployment.register(register(inputs))).outputs;
    });
    assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
    const ops = result.steps.filter((step) => step.urn.endsWith("::plan")).map((step) => step.op);
    return { op: ops.includes("replace") ? "replace" : ops[0], outputs, result };
  }

  interface DefinitionJson {
    id: number;
    attribute_key: string;
    attribute_model: string;
    attribute_display_name: string;
    attribute_display_type: string;
    attribute_description: string | null;
    attribute_values: unknown[];
    regex_pattern: string | null;
    regex_cue: string | null;
  }
  const definitions = () => stack.api<DefinitionJson[]>("GET", "custom_attribute_definitions");
  const fetchDefinition = async (id: unknown) => (await definitions()).find((d) => d.id === id);
  const writes = () => stack.requests.filter((r) => r.method !== "GET").length;
  /** The definition as the first `up` creates it: made once, then put back for each test that starts there. */
  const created = () => stack.startFrom("definition created", () => up(fullInputs()));

  it("creates, changes nothing on a second up, updates in place and replaces on a key change", async () => {
    const { op, outputs } = await created();
    assert.equal(op, "create");
    const live = await fetchDefinition(outputs.definitionId);
    assert.deepEqual(
      live && [
        live.attribute_key,
        live.attribute_model,
        live.attribute_display_name,
        live.attribute_display_type,
      ],
      ["plan", "contact_attribute", "Plan", "list"],
    );
    assert.deepEqual(live?.attribute_values, ["free", "pro"]);
    assert.equal(live?.attribute_description, "Billing plan");
    assert.deepEqual(
      [outputs.attributeModel, outputs.attributeKey, outputs.listValues, outputs.adopted],
      ["contact", "plan", ["free", "pro"], false],
    );

    assert.equal((await up(fullInputs())).op, "same");
    assert.equal(writes(), 0, "a no-op run wrote to Chatwoot");

    // The description left out is cleared.
    const { description: _cleared, ...kept } = fullInputs();
    const changed: PropertyMap = {
      ...kept,
      displayName: "Billing plan",
      listValues: ["free", "pro", "enterprise"],
    };
    const preview = await stack.engine.preview(async (d) => void (await d.register(register(changed))));
    assert.deepEqual(preview.summary, { update: 1 }, "the preview must announce an update");
    // A PATCH is idempotent: a 503 before it is applied is retried.
    stack.emulator.addFaultRule({
      method: "PATCH",
      path: "**/custom_attribute_definitions/*",
      fault: "503",
      times: 1,
    });
    const updated = await up(changed);
    assert.equal(updated.op, "update");
    assert.equal(fired(), 1);
    assert.equal(updated.outputs.definitionId, outputs.definitionId, "an update must keep the definition");
    const after = await fetchDefinition(outputs.definitionId);
    assert.deepEqual(
      after && [after.attribute_display_name, after.attribute_values, after.attribute_description],
      ["Billing plan", ["free", "pro", "enterprise"], null],
    );

    // A new key replaces; the new definition is a text one with a pattern, stored as the dashboard stores it.
    const { listValues: _list, ...rest } = changed;
    const rekeyed = {
      ...rest,
      attributeKey: "tier",
      displayType: "text",
      regexPattern: "^[a-z]+/\\d$",
      regexCue: "e.g. pro/2",
    };
    const replacePreview = await stack.engine.preview(
      async (d) => void (await d.register(register(rekeyed))),
    );
    assert.equal(replacePreview.summary.replace, 1, "the preview must announce the replacement");
    const replaced = await up(rekeyed);
    assert.equal(replaced.op, "replace");
    assert.deepEqual(replaced.result.steps.find((s) => s.op === "replace")?.replaceKeys, ["attributeKey"]);
    assert.deepEqual(
      (await definitions()).map((d) => [d.id === replaced.outputs.definitionId, d.attribute_key]),
      [[true, "tier"]],
      "the old definition must be gone and the new one there",
    );
    const tier = await fetchDefinition(replaced.outputs.definitionId);
    assert.deepEqual(tier && [tier.regex_pattern, tier.regex_cue], ["/^[a-z]+\\/\\d$/", "e.g. pro/2"]);
    assert.equal(replaced.outputs.regexPattern, "^[a-z]+\\/\\d$");
    assert.equal((await up(rekeyed)).op, "same", "the stored pattern must read back as the input");
  });

  it("notices drift and an out-of-band delete on refresh; the next up undoes them; destroy deletes", async () => {
    const { outputs } = await created();
    await stack.api("PATCH", `custom_attribute_definitions/${String(outputs.definitionId)}`, {
      attribute_display_name: "Renamed by hand",
      attribute_values: ["free"],
    });
    const drift = await stack.engine.refresh();
    assert.deepEqual(
      drift.steps.map((step) => step.refreshResult),
      ["update"],
    );
    assert.equal(stack.engine.state[0]!.outputs.displayName, "Renamed by hand");
    assert.equal((await up(fullInputs())).op, "update");
    const restored = await fetchDefinition(outputs.definitionId);
    assert.deepEqual(restored && [restored.attribute_display_name, restored.attribute_values], [
      "Plan",
      ["free", "pro"],
    ]);

    await stack.api("DELETE", `custom_attribute_definitions/${String(outputs.definitionId)}`);
    const gone = await stack.engine.refresh();
    assert.deepEqual(
      gone.steps.map((step) => step.refreshResult),
      ["delete"],
    );
    assert.deepEqual(stack.engine.state, []);
    const recreated = await up(fullInputs());
    assert.equal(recreated.op, "create");
    assert.notEqual(recreated.outputs.definitionId, outputs.definitionId);

    const destroyed = await stack.engine.up(async () => undefined);
    assert.deepEqual(destroyed.errors, []);
    assert.deepEqual(destroyed.summary, { delete: 1 });
    assert.deepEqual(await definitions(), []);
  });

  it("refuses a definition of the same key and model unless adopt is set, then takes it over", async () => {
    const existing = await stack.api<DefinitionJson>("POST", "custom_attribute_definitions", {
      custom_attribute_definition: {
        attribute_key: "plan",
        attribute_model: "contact_attribute",
        attribute_display_name: "Old plan",
      },
    });
    // The same key for conversations is another definition.
    await stack.api("POST", "custom_attribute_definitions", {
      custom_attribute_definition: { attribute_key: "plan", attribute_display_name: "Order plan" },
    });
    const clash = await stack.engine.up(async (d) => void (await d.register(register(fullInputs()))));
    assert.equal(clash.errors.length, 1);
    assert.match(
      clash.errors[0]!.message,
      new RegExp(`contact attribute "plan" is already defined .*definition ${existing.id} .*adopt: true`),
    );
    assert.deepEqual(stack.engine.state, []);
    const adopted = await up({ ...fullInputs(), adopt: true });
    assert.equal(adopted.op, "create");
    assert.equal(adopted.outputs.definitionId, existing.id);
    assert.equal(adopted.outputs.adopted, true);
    const live = await fetchDefinition(existing.id);
    assert.deepEqual(live && [live.attribute_display_name, live.attribute_display_type], ["Plan", "list"]);
    assert.equal((await definitions()).length, 2);
  });

  it("rejects bad input before any request, naming the field and the rule", async () => {
    const result = await stack.engine.up(
      async (d) => void (await d.register(register({ ...fullInputs(), attributeKey: "email" }))),
    );
    assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
    assert.match(result.errors[0]!.message, /\[attributeKey\] "email" is a standard contact attribute/);
    assert.deepEqual(stack.requests, []);
  });

  it("explains that an agent may not write definitions from Chatwoot 4.14, and writes them before", async () => {
    const agent = await ChatwootStack.start({ as: "agent" });
    try {
      const result = await agent.engine.up(async (d) => void (await d.register(register(fullInputs()))));
      if (releaseProfile(lifecycleRelease()).customAttributeWritesAdminOnly) {
        assert.equal(result.errors.length, 1);
        assert.match(
          result.errors[0]!.message,
          /only administrators create, update and delete custom attribute definitions.*401/,
        );
        assert.deepEqual(agent.engine.state, []);
      } else {
        assert.deepEqual(result.errors, []);
        assert.equal(agent.engine.state.length, 1);
      }
    } finally {
      await agent.close();
    }
  });

  for (const fault of ["commit_then_500", "commit_then_drop"] as const) {
    it(`a create whose answer is lost (${fault}) is looked up by key, not repeated: one definition`, async () => {
      stack.emulator.addFaultRule({ method: "POST", path: "/custom_attribute_definitions", fault, times: 1 });
      const { op, outputs } = await up(fullInputs());
      assert.equal(op, "create");
      assert.equal(fired(), 1, "the fault must have fired");
      assert.deepEqual(
        (await definitions()).map((d) => d.id),
        [outputs.definitionId],
      );
      assert.equal(stack.requests.filter((r) => r.method === "POST").length, 1);
    });
  }

  it("has a test for every documented field (README's CustomAttributeDefinition table)", () => {
    // accountId is applied and replaced by the code every resource shares (applyDefaultAccount,
    // diffFields), which the ApiInbox and Contact lifecycle tests drive.
    const tested = new Set([
      ...Object.keys(fullInputs()),
      "accountId",
      "regexPattern",
      "regexCue",
      "adopt",
      "definitionId",
      "adopted",
    ]);
    assert.deepEqual(
      Object.keys(customAttributeDefinitionFields).filter((field) => !tested.has(field)),
      [],
    );
  });
});
