/**
 * A delete-before-replace deletes the dependents its replacement would orphan first
 * (`pkg/resource/deploy/step_generator.go calculateDependentReplacements`): each dependent is diffed
 * with its inputs from the replaced resource unknown — in a real update too — and only those whose
 * provider answers "replace" are deleted, dependents of dependents first; the program's registrations
 * then re-create them.
 */
import { strict as assert } from "assert";
import type { DeploymentHandle } from "../../harness/engine";
import { unknown } from "../../harness/wire";
import { recordArgs, startToyWorld, stepOps, urnOf, type ToyWorld } from "./support/fixtures";

describe("Engine: delete-before-replace deletes dependents first", function () {
  let world: ToyWorld;

  before(async function () {
    world = await startToyWorld();
  });

  after(async function () {
    await world?.close();
  });

  beforeEach(function () {
    world.engine.resetState();
    world.server.clearLog();
  });

  const ops = stepOps;

  /**
   * `root` is replaced delete-before-create when its name changes. `named` takes its name from root's
   * (the toy provider replaces on a name change) and `grand` from named's; `valued` takes only its
   * value from root (an in-place update); `ordered` merely `dependsOn` root.
   */
  const program =
    (rootName: string, options: { protectNamed?: boolean } = {}) =>
    async (deployment: DeploymentHandle): Promise<void> => {
      const { providerText } = world;
      const root = await deployment.register(
        recordArgs(providerText, "root", { name: rootName }, { deleteBeforeReplace: true }),
      );
      const named = await deployment.register(
        recordArgs(
          providerText,
          "named",
          { name: `${String(root.outputs.name)}-named` },
          {
            dependsOn: [root.urn],
            propertyDependencies: { name: [root.urn] },
            ...(options.protectNamed ? { protect: true } : {}),
          },
        ),
      );
      await deployment.register(
        recordArgs(
          providerText,
          "grand",
          { name: `${String(named.outputs.name)}-grand` },
          { dependsOn: [named.urn], propertyDependencies: { name: [named.urn] } },
        ),
      );
      await deployment.register(
        recordArgs(
          providerText,
          "valued",
          { name: "valued", value: root.outputs.name as string },
          { dependsOn: [root.urn], propertyDependencies: { value: [root.urn] } },
        ),
      );
      await deployment.register(
        recordArgs(providerText, "ordered", { name: "ordered" }, { dependsOn: [root.urn] }),
      );
    };

  const idOf = (name: string): string => world.engine.resource(urnOf(name))?.id as string;

  it("deletes the dependents that would be replaced, deepest first, then replaces and re-creates them", async function () {
    const { engine, server } = world;
    await engine.up(program("one"));
    const before = Object.fromEntries(
      ["root", "named", "grand", "valued", "ordered"].map((name) => [name, idOf(name)]),
    );
    server.clearLog();

    const result = await engine.up(program("two"));
    assert.deepEqual(result.errors, []);
    assert.deepEqual(ops(result), [
      "delete-replaced grand",
      "delete-replaced named",
      "delete-replaced root",
      "replace root",
      "create-replacement root",
      "replace named",
      "create-replacement named",
      "replace grand",
      "create-replacement grand",
      "update valued",
      "same ordered",
    ]);
    assert.deepEqual(result.steps[1]?.replaceKeys, ["name"], "named's provider said its name forces it");
    assert.deepEqual(server.writes(), [
      `DELETE /records/${before.grand}`,
      `DELETE /records/${before.named}`,
      `DELETE /records/${before.root}`,
      "POST /records",
      "POST /records",
      "POST /records",
      `PUT /records/${before.valued}`,
    ]);
    assert.deepEqual(
      engine.state.map((resource) => [resource.inputs.name, resource.pendingReplacement]),
      [
        ["two", undefined],
        ["two-named", undefined],
        ["two-named-grand", undefined],
        ["valued", undefined],
        ["ordered", undefined],
      ],
    );

    const again = await engine.up(program("two"));
    assert.deepEqual(again.errors, []);
    assert.deepEqual(
      ops(again),
      ["root", "named", "grand", "valued", "ordered"].map((name) => `same ${name}`),
    );
  });

  it("diffs each dependent with its inputs from the replaced resource unknown, in a real update", async function () {
    const { engine } = world;
    await engine.up(program("one"));
    const [named, grand, valued, ordered] = ["named", "grand", "valued", "ordered"].map(idOf);

    await engine.up(program("two"));
    const log = engine.hostLog();
    assert.match(log, new RegExp(`toy:diff id=${named} name=${unknown} `));
    assert.match(
      log,
      new RegExp(`toy:diff id=${grand} name=${unknown} `),
      "named is condemned, so grand's name",
    );
    assert.match(log, new RegExp(`toy:diff id=${valued} name=valued value=${unknown}`));
    assert.doesNotMatch(
      log,
      new RegExp(`toy:diff id=${ordered} name=${unknown}`),
      "a plain dependsOn edge changes no input",
    );
  });

  it("leaves a dependent alone when its diff with the unknown input is not a replacement", async function () {
    const { engine, server } = world;
    await engine.up(program("one"));
    const valued = idOf("valued");
    server.clearLog();

    const result = await engine.up(program("two"));
    assert.ok(!server.writes().includes(`DELETE /records/${valued}`), server.writes().join("\n"));
    assert.equal(idOf("valued"), valued);
    assert.equal(server.records.get(valued)?.value, "two", "updated in place with root's new name");
    assert.ok(
      !ops(result).some((op) => op.endsWith(" valued") && op !== "update valued"),
      ops(result).join(),
    );
  });

  it("does the same in a preview, without deleting anything", async function () {
    const { engine, server } = world;
    await engine.up(program("one"));
    const stateBefore = engine.stateJson({ showSecrets: true });
    server.clearLog();

    const result = await engine.preview(program("two"));
    assert.deepEqual(result.errors, []);
    assert.deepEqual(ops(result).slice(0, 4), [
      "delete-replaced grand",
      "delete-replaced named",
      "delete-replaced root",
      "replace root",
    ]);
    assert.deepEqual(server.writes(), []);
    assert.equal(engine.stateJson({ showSecrets: true }), stateBefore);
  });

  it("refuses to replace a protected dependent, and deletes nothing", async function () {
    const { engine, server } = world;
    await engine.up(program("one", { protectNamed: true }));
    server.clearLog();

    const result = await engine.up(program("two", { protectNamed: true }));
    assert.equal(result.succeeded, false);
    assert.match(
      result.errors[0]?.message ?? "",
      new RegExp(`unable to replace resource "${urnOf("named")}" as part of replacing "${urnOf("root")}"`),
    );
    assert.deepEqual(server.writes(), []);
  });
});
