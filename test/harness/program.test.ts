/**
 * An unmodified TypeScript program, run by `@pulumi/pulumi/cmd/run` against the fake resource monitor,
 * with its dynamic resources going through the engine rules to the real host: preview, up, up again,
 * then an up without one resource.
 */
import { strict as assert } from "assert";
import { Engine } from "../../harness/engine";
import { assertProgramSucceeded, runProgram, type ProgramRun } from "../../harness/program";
import { isSecret, secret, unknown } from "../../harness/wire";
import { apiToken } from "./support/fixtures";
import { RecordsServer } from "./support/recordsServer";
import { writeToyProgram, type ToyProgram } from "./support/toyProgram";

describe("runProgram (a real TypeScript program through cmd/run and a fake resource monitor)", function () {
  this.timeout(60_000);
  let server: RecordsServer;
  let program: ToyProgram;
  let engine: Engine;

  before(async function () {
    server = await RecordsServer.start();
    program = writeToyProgram();
    engine = await Engine.start({
      projectDir: program.dir,
      project: "toyprog",
      stack: "dev",
      config: { "toy:url": server.url, "toy:token": apiToken, "toy:greeting": "hello" },
      secretConfigKeys: ["toy:token", "toy:greeting"],
    });
  });

  after(async function () {
    await engine?.close();
    await server?.close();
    program?.remove();
  });

  const ops = (run: ProgramRun): string[] =>
    run.steps.map((step) => `${step.op} ${step.urn.split("::").pop() as string}`);
  // Type-checking the program costs seconds per run; the runner's own switch turns it off.
  const run = (options: { preview?: boolean; config?: Record<string, string> } = {}): Promise<ProgramRun> =>
    runProgram({
      engine,
      programDir: program.dir,
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
      ...options,
    });

  it("previews: every resource is a create, exports are unknown, nothing reaches the API", async function () {
    const preview = await run({ preview: true });
    assertProgramSucceeded(preview);
    assert.deepEqual(ops(preview), ["create toyprog-dev", "create first", "create second"]);
    assert.equal(preview.stackOutputs.firstId, unknown);
    assert.deepEqual(server.requests, []);
    assert.deepEqual(engine.state, []);
    assert.ok(preview.logs.some((entry) => entry.message.includes("toy program registered its records")));
  });

  it("up creates both records, passes the secret unwrapped, and surfaces the exports", async function () {
    const up = await run();
    assertProgramSucceeded(up);
    assert.deepEqual(ops(up), ["create toyprog-dev", "create first", "create second"]);
    const first = server.byName("first");
    assert.equal(first?.value, "hello", "the secret config value reached the API unwrapped");
    assert.equal(server.byName("second")?.value, `after-${first?.id}`);
    assert.equal(up.stackOutputs.firstId, first?.id);
    assert.deepEqual(up.stackOutputs.firstValue, secret("hello"), "a secret output is exported as a secret");
    assert.equal(up.stackOutputs.secondValue, `after-${first?.id}`);

    const [stack, firstState, secondState] = engine.state;
    assert.equal(stack?.type, "pulumi:pulumi:Stack");
    assert.deepEqual(stack?.outputs, up.stackOutputs);
    assert.ok(isSecret(firstState?.inputs.value) && isSecret(firstState?.outputs.value));
    assert.ok(
      secondState?.dependencies.includes(firstState?.urn as string),
      "the output reference is a dependency",
    );
    assert.doesNotMatch(engine.stateJson(), /hello|tok-/, "no secret in the (encrypted) state");
  });

  it("a second up changes nothing", async function () {
    server.clearLog();
    const again = await run();
    assertProgramSucceeded(again);
    assert.deepEqual(ops(again), ["same toyprog-dev", "same first", "same second"]);
    assert.deepEqual(server.writes(), []);
  });

  it("an up without the second record deletes it after the program ends", async function () {
    server.clearLog();
    const secondId = server.byName("second")?.id;
    const shrunk = await run({ config: { ...engine.config, "toy:withSecond": "false" } });
    assertProgramSucceeded(shrunk);
    assert.deepEqual(ops(shrunk), ["same toyprog-dev", "same first", "delete second"]);
    assert.deepEqual(server.writes(), [`DELETE /records/${secondId}`]);
    assert.equal(shrunk.stackOutputs.secondValue, undefined);
    assert.deepEqual(
      engine.state.map((resource) => resource.urn.split("::").pop()),
      ["toyprog-dev", "first"],
    );
  });

  it("surfaces a failing program's exit code and error", async function () {
    const failing = await run({ config: { ...engine.config, "toy:explode": "on purpose" } });
    assert.notEqual(failing.exitCode, 0);
    assert.equal(failing.succeeded, false);
    assert.match(failing.errors.map((error) => error.message).join("\n"), /refused to run: on purpose/);
    assert.throws(() => assertProgramSucceeded(failing), /exit code: \d+[\s\S]*refused to run: on purpose/);
    assert.deepEqual(
      engine.state.map((resource) => resource.urn.split("::").pop()),
      ["toyprog-dev", "first"],
      "a failed program deletes nothing",
    );
  });

  it("destroy deletes the program's records, then its stack", async function () {
    server.clearLog();
    const firstId = server.byName("first")?.id;
    const result = await engine.destroy();
    assert.deepEqual(result.errors, []);
    assert.deepEqual(
      result.steps.map((step) => `${step.op} ${step.urn.split("::").pop() as string}`),
      ["delete first", "delete toyprog-dev"],
    );
    assert.deepEqual(server.writes(), [`DELETE /records/${firstId}`]);
    assert.deepEqual(engine.state, []);
  });
});
