/**
 * The engine emulation drives the real dynamic-provider host through a toy provider's lifecycle. Each
 * test starts from an empty stack (`resetState`), each operation on fresh hosts, and checks both the engine's view
 * (steps, state) and what reached the records API.
 */
import { strict as assert } from "assert";
import type { Registered } from "../../harness/engine";
import { RegistrationError } from "../../harness/operation";
import { isSecret, secret, unknown } from "../../harness/wire";
import {
  recordArgs,
  recordsProgram,
  startToyWorld,
  urnOf,
  apiToken,
  type ToyWorld,
  stepOps,
} from "./support/fixtures";
import { recordProviderWithoutDiff, serializeProvider } from "./support/toyProvider";

describe("Engine (engine rules over the real dynamic-provider host)", function () {
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

  it("previews a create with an unknown input: Check sees the sentinel, Create is never sent", async function () {
    const { engine, server, providerText } = world;
    let registered: Registered | undefined;
    const result = await engine.preview(async (deployment) => {
      registered = await deployment.register(
        recordArgs(providerText, "alpha", { name: unknown, value: "v" }),
      );
    });

    assert.deepEqual(result.errors, []);
    assert.deepEqual(ops(result), ["create alpha"]);
    assert.equal(registered?.id, undefined);
    assert.equal(registered?.outputs.recordId, unknown, "an output the provider has not reported is unknown");
    assert.match(engine.hostLog(), new RegExp(`toy:check name=${unknown}`));
    assert.deepEqual(server.requests, [], "no API call in a preview");
    assert.deepEqual(engine.state, []);
  });

  it("creates, then a second up with the same inputs is a no-op", async function () {
    const { engine, server, providerText } = world;
    const program = recordsProgram(providerText, { beta: { name: "beta", value: "one" } });

    const first = await engine.up(program);
    assert.deepEqual(first.errors, []);
    assert.deepEqual(ops(first), ["create beta"]);
    const [state] = engine.state;
    assert.equal(state?.urn, urnOf("beta"));
    assert.equal(server.records.get(state?.id ?? "")?.value, "one");
    assert.equal(state?.outputs.recordId, state?.id);
    assert.equal(state?.outputs.__provider, providerText, "the host puts __provider into the outputs");

    server.clearLog();
    const second = await engine.up(program);
    assert.deepEqual(ops(second), ["same beta"]);
    assert.deepEqual(server.writes(), []);
    assert.equal(engine.state[0]?.id, state?.id);
  });

  it("updates in place when a value changes (Diff gets old outputs, Update sends the new value)", async function () {
    const { engine, server, providerText } = world;
    await engine.up(recordsProgram(providerText, { gamma: { name: "gamma", value: "one" } }));
    const id = engine.state[0]?.id as string;
    server.clearLog();

    const result = await engine.up(recordsProgram(providerText, { gamma: { name: "gamma", value: "two" } }));
    assert.deepEqual(ops(result), ["update gamma"]);
    assert.deepEqual(server.writes(), [`PUT /records/${id}`]);
    assert.equal(engine.state[0]?.id, id);
    assert.equal(engine.state[0]?.outputs.value, "two");
    assert.equal(server.records.get(id)?.value, "two");
  });

  it("sends Check the old INPUTS and Diff the old OUTPUTS", async function () {
    const { engine, server, providerText } = world;
    await engine.up(recordsProgram(providerText, { olds: { name: "olds", value: "one" } }));
    // Make the stored inputs and outputs disagree, as after a provider normalised a value.
    const [stored] = engine.state;
    engine.resetState([
      {
        ...stored!,
        inputs: { ...stored!.inputs, name: "olds-in" },
        outputs: { ...stored!.outputs, value: "normalised" },
      },
    ]);
    server.clearLog();

    const result = await engine.up(recordsProgram(providerText, { olds: { name: "olds", value: "one" } }));
    assert.match(engine.hostLog(), /toy:check name=olds old=olds-in/);
    // The toy diff compares outputs with the new inputs: value "normalised" → "one" is an update.
    assert.deepEqual(ops(result), ["update olds"]);
  });

  it("previews an update without calling Update and without changing the state", async function () {
    const { engine, server, providerText } = world;
    await engine.up(recordsProgram(providerText, { delta: { name: "delta", value: "one" } }));
    const before = engine.stateJson({ showSecrets: true });
    server.clearLog();

    const result = await engine.preview(
      recordsProgram(providerText, { delta: { name: "delta", value: "two" } }),
    );
    assert.deepEqual(ops(result), ["update delta"]);
    assert.deepEqual(server.writes(), []);
    assert.equal(engine.stateJson({ showSecrets: true }), before);
  });

  it("replaces create-before-delete: the new record exists before the old one is deleted", async function () {
    const { engine, server, providerText } = world;
    await engine.up(recordsProgram(providerText, { eps: { name: "eps-one" } }));
    const oldId = engine.state[0]?.id as string;
    server.clearLog();

    const result = await engine.up(recordsProgram(providerText, { eps: { name: "eps-two" } }));
    assert.deepEqual(result.errors, []);
    assert.deepEqual(ops(result), ["create-replacement eps", "replace eps", "delete-replaced eps"]);
    assert.deepEqual(result.steps[1]?.replaceKeys, ["name"]);
    const newId = engine.state[0]?.id as string;
    assert.notEqual(newId, oldId);
    assert.deepEqual(server.writes(), ["POST /records", `DELETE /records/${oldId}`]);
    assert.equal(engine.state.length, 1);
  });

  it("replaces delete-before-create when deleteBeforeReplace is set", async function () {
    const { engine, server, providerText } = world;
    const program = (name: string) => async (deployment: Parameters<Parameters<typeof engine.up>[0]>[0]) => {
      await deployment.register(recordArgs(providerText, "zeta", { name }, { deleteBeforeReplace: true }));
    };
    await engine.up(program("zeta-one"));
    const oldId = engine.state[0]?.id as string;
    server.clearLog();

    const result = await engine.up(program("zeta-two"));
    assert.deepEqual(result.errors, []);
    assert.deepEqual(ops(result), ["delete-replaced zeta", "replace zeta", "create-replacement zeta"]);
    assert.deepEqual(server.writes(), [`DELETE /records/${oldId}`, "POST /records"]);
    assert.equal(engine.state.length, 1);
    assert.equal(engine.state[0]?.pendingReplacement, undefined);
  });

  it("deletes resources the program no longer registers, dependents first", async function () {
    const { engine, server, providerText } = world;
    await engine.up(async (deployment) => {
      const parent = await deployment.register(recordArgs(providerText, "eta", { name: "eta" }));
      await deployment.register(
        recordArgs(providerText, "eta-child", { name: "eta-child" }, { dependsOn: [parent.urn] }),
      );
    });
    const [parentId, childId] = engine.state.map((resource) => resource.id);
    server.clearLog();

    const result = await engine.up(async () => undefined);
    assert.deepEqual(ops(result), ["delete eta-child", "delete eta"]);
    assert.deepEqual(server.writes(), [`DELETE /records/${childId}`, `DELETE /records/${parentId}`]);
    assert.deepEqual(engine.state, []);
  });

  it("refresh picks up drift and drops a resource deleted out of band; the next up restores both", async function () {
    const { engine, server, providerText } = world;
    const program = recordsProgram(providerText, {
      theta: { name: "theta", value: "one" },
      iota: { name: "iota" },
    });
    await engine.up(program);
    const [theta, iota] = engine.state;
    (server.records.get(theta?.id as string) as { value: string | null }).value = "drifted";
    server.records.delete(iota?.id as string);

    const refreshed = await engine.refresh();
    assert.deepEqual(refreshed.errors, []);
    const results = Object.fromEntries(refreshed.steps.map((step) => [step.urn, step.refreshResult]));
    assert.deepEqual(results, { [urnOf("theta")]: "update", [urnOf("iota")]: "delete" });
    assert.deepEqual(
      engine.state.map((resource) => resource.urn),
      [urnOf("theta")],
    );
    assert.equal(engine.state[0]?.outputs.value, "drifted");
    assert.equal(
      engine.state[0]?.inputs.value,
      "drifted",
      "inputs returned by read replace the stored inputs",
    );

    const restored = await engine.up(program);
    assert.deepEqual(ops(restored).sort(), ["create iota", "update theta"]);
    assert.equal(server.byName("theta")?.value, "one");
  });

  it("up --refresh reads before running the program", async function () {
    const { engine, server, providerText } = world;
    const program = recordsProgram(providerText, { kappa: { name: "kappa", value: "one" } });
    await engine.up(program);
    server.records.delete(engine.state[0]?.id as string);

    const result = await engine.up(program, { refresh: true });
    assert.deepEqual(ops(result), ["refresh kappa", "create kappa"]);
    assert.equal(result.steps[0]?.refreshResult, "delete");
    assert.equal(server.byName("kappa")?.value, "one");
  });

  it("strips a secret input before the provider sees it and re-marks the same-named output secret", async function () {
    const { engine, server, providerText } = world;
    await engine.up(recordsProgram(providerText, { lambda: { name: "lambda", value: secret("hunter2") } }));

    const post = server.requests.find((request) => request.method === "POST");
    assert.deepEqual(post?.body, { name: "lambda", value: "hunter2" });
    const [state] = engine.state;
    assert.ok(isSecret(state?.inputs.value), "the stored input stays secret");
    assert.deepEqual(state?.outputs.value, secret("hunter2"), "the output is re-marked secret");
    assert.ok(!isSecret(state?.outputs.name), "other outputs stay plain");
    assert.doesNotMatch(engine.stateJson(), /hunter2/, "an encrypted state does not show the secret");
    assert.match(engine.stateJson({ showSecrets: true }), /hunter2/);
  });

  it("configures the host with the namespaced stack config, the secret token unwrapped, encrypted in state", async function () {
    const { engine, server, providerText } = world;
    await engine.up(recordsProgram(providerText, { mu: { name: "mu" } }));
    assert.ok(server.requests.length > 0);
    for (const request of server.requests) assert.equal(request.authorization, `Bearer ${apiToken}`);
    // The default provider's inputs hold the config, the token as a secret: only an encrypted state hides it.
    assert.doesNotMatch(engine.stateJson(), new RegExp(apiToken));
    assert.deepEqual(engine.defaultProvider?.inputs["toy:token"], secret(apiToken));
  });

  it("reports a check failure with the property and the reason, and creates nothing", async function () {
    const { engine, server, providerText } = world;
    let rejection: unknown;
    const result = await engine.up(async (deployment) => {
      await deployment
        .register(recordArgs(providerText, "nu", { name: "Not Valid" }))
        .catch((error) => (rejection = error));
    });

    assert.equal(result.succeeded, false);
    assert.equal(result.errors.length, 1);
    assert.equal(result.errors[0]?.urn, urnOf("nu"));
    assert.equal(
      result.errors[0]?.message,
      `${"pulumi-nodejs:dynamic/toy:Record"} resource 'nu': property name value {Not Valid} has a problem: ` +
        "[name] must be lowercase letters, digits and dashes",
    );
    assert.ok(rejection instanceof RegistrationError && rejection.kind === "failed");
    assert.deepEqual(server.writes(), []);
    assert.deepEqual(engine.state, []);
  });

  it("keeps a partially created resource with its init errors, and the next up updates it", async function () {
    const { engine, server, providerText } = world;
    const program = recordsProgram(providerText, { xi: { name: "unhealthy-xi" } });

    const first = await engine.up(program);
    assert.equal(first.succeeded, false);
    assert.match(first.errors[0]?.message ?? "", /1 error occurred:\n\t\* record \d+ did not become healthy/);
    const [partial] = engine.state;
    assert.ok(partial?.id, "the partially created resource is in state with its id");
    assert.deepEqual(partial?.initErrors, [`record ${partial?.id} did not become healthy`]);
    assert.equal(partial?.outputs.healthy, false);
    server.clearLog();

    const second = await engine.up(program);
    assert.deepEqual(second.errors, []);
    assert.deepEqual(
      ops(second),
      ["update xi"],
      "init errors force an update although Diff reports no change",
    );
    assert.deepEqual(server.writes(), [`PUT /records/${partial?.id}`]);
    assert.equal(engine.state[0]?.initErrors, undefined);
    assert.equal(engine.state[0]?.outputs.healthy, true);
  });

  it("destroys every resource in reverse dependency order", async function () {
    const { engine, server, providerText } = world;
    await engine.up(async (deployment) => {
      const a = await deployment.register(recordArgs(providerText, "omi-a", { name: "omi-a" }));
      const b = await deployment.register(
        recordArgs(providerText, "omi-b", { name: "omi-b" }, { dependsOn: [a.urn] }),
      );
      await deployment.register(recordArgs(providerText, "omi-c", { name: "omi-c" }, { dependsOn: [b.urn] }));
    });
    const ids = engine.state.map((resource) => resource.id);
    server.clearLog();

    const result = await engine.destroy();
    assert.deepEqual(ops(result), ["delete omi-c", "delete omi-b", "delete omi-a"]);
    assert.deepEqual(
      server.writes(),
      [...ids].reverse().map((id) => `DELETE /records/${id}`),
    );
    assert.deepEqual(engine.state, []);
  });

  it("falls back to comparing inputs when the provider has no diff (DIFF_UNKNOWN), __provider included", async function () {
    const { engine, providerText } = world;
    const withoutDiff = await serializeProvider(recordProviderWithoutDiff);
    await engine.up(recordsProgram(providerText, { pi: { name: "pi", value: "one" } }));

    const recoded = await engine.up(recordsProgram(withoutDiff, { pi: { name: "pi", value: "one" } }));
    assert.deepEqual(ops(recoded), ["update pi"], "new provider code alone changes the __provider input");
    assert.deepEqual(recoded.steps[0]?.diffs, ["__provider"]);

    const same = await engine.up(recordsProgram(withoutDiff, { pi: { name: "pi", value: "one" } }));
    assert.deepEqual(ops(same), ["same pi"]);
    const changed = await engine.up(recordsProgram(withoutDiff, { pi: { name: "pi", value: "two" } }));
    assert.deepEqual(ops(changed), ["update pi"]);
    assert.deepEqual(changed.steps[0]?.diffs, ["value"]);

    // Back to code with a diff(): it compares old outputs with the inputs, finds nothing, and the same
    // step keeps the OLD __provider in the outputs (`cmd/dynamic-provider/index.ts` builds the provider from the new inputs only when it calls it).
    const back = await engine.up(recordsProgram(providerText, { pi: { name: "pi", value: "two" } }));
    assert.deepEqual(ops(back), ["same pi"]);
    assert.equal(engine.state[0]?.inputs.__provider, providerText);
    assert.equal(engine.state[0]?.outputs.__provider, withoutDiff);
  });

  it("runs independent steps concurrently, while a dependent waits for its dependency", async function () {
    const { engine, server, providerText } = world;
    const release = server.hold();
    const update = engine.up(async (deployment) => {
      const parentUrn = deployment.urnFor("pulumi-nodejs:dynamic/toy:Record", "par-a");
      await Promise.all([
        deployment.register(recordArgs(providerText, "par-a", { name: "par-a" })),
        deployment.register(recordArgs(providerText, "par-b", { name: "par-b" })),
        deployment.register(recordArgs(providerText, "par-c", { name: "par-c" }, { dependsOn: [parentUrn] })),
      ]);
    });
    try {
      await server.waitForRequests(2);
      const inFlight = server.requests.map((request) => (request.body as { name: string }).name).sort();
      assert.deepEqual(
        inFlight,
        ["par-a", "par-b"],
        "both independent creates are in flight at once; par-c waits",
      );
    } finally {
      release();
    }
    const result = await update;
    assert.deepEqual(result.errors, []);
    assert.equal((server.requests[2]?.body as { name: string }).name, "par-c");
  });

  it("fails fast: after an error, a later registration is cancelled and nothing is deleted", async function () {
    const { engine, server, providerText } = world;
    await engine.up(recordsProgram(providerText, { rho: { name: "rho" } }));
    server.clearLog();

    const outcomes: string[] = [];
    const result = await engine.up(async (deployment) => {
      const settled = await Promise.allSettled([
        deployment.register(recordArgs(providerText, "sigma", { name: "Bad" })),
        deployment.register(recordArgs(providerText, "tau", { name: "tau" })),
      ]);
      for (const outcome of settled) {
        outcomes.push(outcome.status === "rejected" ? (outcome.reason as RegistrationError).kind : "ok");
      }
    });
    assert.deepEqual(outcomes, ["failed", "cancelled"]);
    assert.equal(result.errors.length, 1);
    assert.deepEqual(server.writes(), [], "rho is not deleted and tau is not created");
    assert.deepEqual(
      engine.state.map((resource) => resource.urn),
      [urnOf("rho")],
    );
  });

  it("with continueOnError, independent registrations proceed and only dependents are skipped", async function () {
    const { engine, server, providerText } = world;
    const outcomes: Record<string, string> = {};
    const result = await engine.up(
      async (deployment) => {
        const bad = deployment.register(recordArgs(providerText, "upsilon", { name: "unhealthy-upsilon" }));
        const good = deployment.register(recordArgs(providerText, "phi", { name: "phi" }));
        const dependent = deployment.register(
          recordArgs(
            providerText,
            "chi",
            { name: "chi" },
            { dependsOn: [deployment.urnFor("pulumi-nodejs:dynamic/toy:Record", "upsilon")] },
          ),
        );
        for (const [name, promise] of Object.entries({ upsilon: bad, phi: good, chi: dependent })) {
          outcomes[name] = await promise.then(
            () => "ok",
            (error: RegistrationError) => error.kind,
          );
        }
      },
      { continueOnError: true },
    );
    assert.deepEqual(outcomes, { upsilon: "failed", phi: "ok", chi: "skipped" });
    assert.equal(result.errors.length, 1);
    assert.ok(server.byName("phi"));
    assert.equal(server.byName("chi"), undefined);
  });

  it("a check failure stops the deployment even with continueOnError (step generation bails)", async function () {
    const { engine, server, providerText } = world;
    const outcomes: string[] = [];
    const result = await engine.up(
      async (deployment) => {
        const settled = await Promise.allSettled([
          deployment.register(recordArgs(providerText, "psi", { name: "Bad" })),
          deployment.register(recordArgs(providerText, "omega", { name: "omega" })),
        ]);
        for (const outcome of settled) {
          outcomes.push(outcome.status === "rejected" ? (outcome.reason as RegistrationError).kind : "ok");
        }
      },
      { continueOnError: true },
    );
    assert.deepEqual(outcomes, ["failed", "cancelled"]);
    assert.equal(result.errors.length, 1);
    assert.deepEqual(server.writes(), []);
  });
});
