/**
 * Pending operations, as the engine's snapshot manager keeps them (`pkg/backend/snapshot.go`): each
 * create, update and delete is pending from `BeginMutation` until its step ends, successfully or not, so a
 * checkpoint holds one only when the CLI died mid-step (`UpOptions.interrupt` kills the command right after
 * the provider call returned). The next snapshot keeps the previous pending CREATE operations and drops the
 * others; an update starting from them warns (`deployment_executor.go printPendingOperationsWarning`).
 */
import { strict as assert } from "assert";
import type { DeploymentDocument } from "../../harness/checkpoint";
import { pendingOperationsWarning } from "../../harness/engineRules";
import { RegistrationError } from "../../harness/operation";
import {
  recordArgs,
  recordsProgram,
  recordType,
  startToyWorld,
  stepOps,
  urnOf,
  type ToyWorld,
} from "./support/fixtures";

describe("Engine: pending operations of an interrupted command", function () {
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

  const pending = (document: DeploymentDocument): string[] =>
    (document.deployment.pending_operations ?? []).map((op) => `${op.type} ${op.resource.urn}`);
  const stored = (document: DeploymentDocument): string[] =>
    (document.deployment.resources ?? []).map((resource) => resource.urn);
  const ops = stepOps;
  const named = (name: string): number =>
    [...world.server.records.values()].filter((record) => record.name === name).length;

  it("an up killed right after a Create returned keeps the pending create and not the resource", async function () {
    const { engine, server, providerText } = world;
    let lateRegistration: unknown;
    const result = await engine.up(
      async (deployment) => {
        await deployment.register(recordArgs(providerText, "ic-first", { name: "ic-first" }));
        await deployment.register(recordArgs(providerText, "ic-second", { name: "ic-second" })).catch(() => {
          // The CLI is dead: a program that keeps going gets no further.
          return deployment
            .register(recordArgs(providerText, "ic-third", { name: "ic-third" }))
            .catch((error: unknown) => (lateRegistration = error));
        });
      },
      { interrupt: urnOf("ic-second") },
    );

    assert.equal(result.interrupted, true);
    assert.equal(result.succeeded, false);
    assert.deepEqual(ops(result), ["create ic-first"], "the interrupted create was never reported");
    assert.ok(lateRegistration instanceof RegistrationError && lateRegistration.kind === "cancelled");
    assert.equal(named("ic-second"), 1, "the provider did create it");
    assert.equal(named("ic-third"), 0);

    const document = engine.exportState();
    assert.deepEqual(pending(document), [`creating ${urnOf("ic-second")}`]);
    const [operation] = document.deployment.pending_operations ?? [];
    // The engine's new state as `BeginMutation` wrote it: checked inputs, no id, no outputs yet.
    assert.equal(operation?.resource.type, recordType);
    assert.equal(operation?.resource.inputs?.name, "ic-second");
    assert.equal(operation?.resource.id, undefined);
    assert.equal(operation?.resource.outputs, undefined);
    const provider = engine.defaultProvider;
    assert.equal(operation?.resource.provider, `${provider?.urn}::${provider?.id}`);
    assert.ok(stored(document).includes(urnOf("ic-first")));
    assert.ok(!stored(document).includes(urnOf("ic-second")));
    assert.equal(engine.resource(urnOf("ic-second")), undefined);
    assert.deepEqual(
      server.writes().filter((write) => write === "POST /records"),
      ["POST /records", "POST /records"],
    );
  });

  it("the next up warns with the engine's text, creates the resource again, and keeps the pending create", async function () {
    const { engine, providerText } = world;
    const program = recordsProgram(providerText, { "nx-a": { name: "nx-a" }, "nx-b": { name: "nx-b" } });
    await engine.up(program, { interrupt: urnOf("nx-b") });
    const interrupted = engine.exportState();

    const preview = await engine.preview(program);
    assert.deepEqual(preview.warnings, [], "a preview does not warn");

    const next = await engine.up(program);
    assert.deepEqual(next.errors, []);
    assert.equal(next.interrupted, false);
    assert.deepEqual(next.warnings, [
      "Attempting to deploy or update resources with 1 pending operations from previous deployment.\n" +
        `  * ${urnOf("nx-b")}, interrupted while creating\n` +
        "These resources are in an unknown state because the Pulumi CLI was interrupted while waiting for " +
        "changes to these resources to complete. You should confirm whether or not the operations listed " +
        "completed successfully by checking the state of the appropriate provider. For example, if you are " +
        "using AWS, you can confirm using the AWS Console.\n\nOnce you have confirmed the status of the " +
        "interrupted operations, you can repair your stack using `pulumi refresh` which will refresh the " +
        "state from the provider you are using and clear the pending operations if there are any.\n\n" +
        "Note that `pulumi refresh` will need to be run interactively to clear pending CREATE operations.",
    ]);
    // The engine does not know the first create happened: a real user gets a second record.
    assert.deepEqual(ops(next), ["same nx-a", "create nx-b"]);
    assert.equal(named("nx-b"), 2);

    const after = engine.exportState();
    assert.deepEqual(after.deployment.pending_operations, interrupted.deployment.pending_operations);
    assert.ok(stored(after).includes(urnOf("nx-b")));
    // It keeps warning: only the user can clear a pending create.
    assert.equal((await engine.up(program)).warnings.length, 1);
    assert.deepEqual(
      (await engine.up(program, { refresh: true })).warnings,
      [],
      "up --refresh does not warn",
    );
  });

  it("an interrupted update leaves `updating` with the old state stored; the next up drops it", async function () {
    const { engine, server, providerText } = world;
    await engine.up(recordsProgram(providerText, { "iu-a": { name: "iu-a", value: "1" } }));
    const result = await engine.up(recordsProgram(providerText, { "iu-a": { name: "iu-a", value: "2" } }), {
      interrupt: urnOf("iu-a"),
    });

    assert.equal(result.interrupted, true);
    assert.equal(server.byName("iu-a")?.value, "2", "the provider did update it");
    const document = engine.exportState();
    assert.deepEqual(pending(document), [`updating ${urnOf("iu-a")}`]);
    assert.equal(document.deployment.pending_operations?.[0]?.resource.inputs?.value, "2");
    assert.equal(engine.resource(urnOf("iu-a"))?.outputs.value, "1", "the state still holds the old outputs");

    const next = await engine.up(recordsProgram(providerText, { "iu-a": { name: "iu-a", value: "2" } }));
    assert.deepEqual(next.warnings, [
      pendingOperationsWarning([{ resource: { urn: urnOf("iu-a") }, type: "updating" }]),
    ]);
    assert.deepEqual(ops(next), ["update iu-a"]);
    assert.equal(engine.exportState().deployment.pending_operations, undefined);
  });

  it("an interrupted delete leaves `deleting` and the resource; the next up deletes it again", async function () {
    const { engine, providerText } = world;
    await engine.up(recordsProgram(providerText, { "id-a": { name: "id-a" }, "id-b": { name: "id-b" } }));
    const result = await engine.up(recordsProgram(providerText, { "id-a": { name: "id-a" } }), {
      interrupt: urnOf("id-b"),
    });

    assert.equal(result.interrupted, true);
    assert.equal(named("id-b"), 0, "the provider did delete it");
    assert.deepEqual(pending(engine.exportState()), [`deleting ${urnOf("id-b")}`]);
    assert.ok(engine.resource(urnOf("id-b")));

    const next = await engine.up(recordsProgram(providerText, { "id-a": { name: "id-a" } }));
    assert.deepEqual(next.errors, []);
    assert.equal(next.warnings.length, 1);
    assert.deepEqual(ops(next), ["same id-a", "delete id-b"]);
    assert.equal(engine.exportState().deployment.pending_operations, undefined);
  });

  it("a step that fails is no longer pending, and an uninterrupted up leaves none", async function () {
    const { engine, server, providerText } = world;
    await engine.up(recordsProgram(providerText, { "ok-a": { name: "ok-a" } }));
    assert.equal(engine.exportState().deployment.pending_operations, undefined);

    server.acceptedToken = "another-token";
    try {
      const failed = await engine.up(
        recordsProgram(providerText, { "ok-a": { name: "ok-a" }, "ok-b": { name: "ok-b" } }),
      );
      assert.equal(failed.succeeded, false);
      assert.equal(failed.interrupted, false);
    } finally {
      server.acceptedToken = undefined;
    }
    assert.equal(engine.exportState().deployment.pending_operations, undefined);
  });

  it("`pulumi refresh` keeps pending creates and drops the rest; --clear-pending-creates drops them first", async function () {
    const { engine, providerText } = world;
    await engine.up(recordsProgram(providerText, { "rf-a": { name: "rf-a", value: "1" } }));
    await engine.up(recordsProgram(providerText, { "rf-a": { name: "rf-a", value: "2" } }), {
      interrupt: urnOf("rf-a"),
    });
    const withUpdate = engine.exportState({ showSecrets: true });
    await engine.up(
      recordsProgram(providerText, { "rf-a": { name: "rf-a", value: "2" }, "rf-b": { name: "rf-b" } }),
      { interrupt: urnOf("rf-b") },
    );
    const withCreate = engine.exportState({ showSecrets: true });
    // Both kinds at once, as a hand-edited or older checkpoint may hold them.
    const both: DeploymentDocument = {
      ...withUpdate,
      deployment: {
        ...withUpdate.deployment,
        pending_operations: [
          ...(withCreate.deployment.pending_operations ?? []),
          ...(withUpdate.deployment.pending_operations ?? []),
        ],
      },
    };

    engine.importState(both);
    const refreshed = await engine.refresh();
    assert.deepEqual(refreshed.warnings, [], "a refresh does not warn");
    assert.deepEqual(pending(engine.exportState()), [`creating ${urnOf("rf-b")}`]);

    engine.importState(both);
    await engine.refresh({ preview: true });
    assert.deepEqual(pending(engine.exportState()), pending(both), "a preview stores nothing");

    await engine.refresh({ preview: true, clearPendingCreates: true });
    assert.deepEqual(
      pending(engine.exportState()),
      [`updating ${urnOf("rf-a")}`],
      "the flag edits the state before the refresh runs, even in a preview",
    );
    engine.importState(both);
    await engine.refresh({ clearPendingCreates: true });
    assert.equal(engine.exportState().deployment.pending_operations, undefined);
  });

  it("a pending operation round-trips through `pulumi stack export` and `import`", async function () {
    const { engine, providerText } = world;
    await engine.up(recordsProgram(providerText, { "rt-a": { name: "rt-a" } }), { interrupt: urnOf("rt-a") });
    const exported = engine.exportState({ showSecrets: true });
    assert.deepEqual(pending(exported), [`creating ${urnOf("rt-a")}`]);

    engine.resetState();
    engine.importState(JSON.parse(JSON.stringify(exported)) as DeploymentDocument);
    const again = engine.exportState({ showSecrets: true });
    assert.deepEqual(again.deployment.pending_operations, exported.deployment.pending_operations);
    assert.deepEqual(again.deployment.resources, exported.deployment.resources);
  });
});
