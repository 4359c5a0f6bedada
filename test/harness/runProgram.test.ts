/**
 * `pulumi refresh --run-program` and `pulumi destroy --run-program` (`pkg/engine/refresh.go RefreshV2`,
 * `destroy.go DestroyV2`; see harness/programModes.ts): the program registers the default provider from
 * the CURRENT stack config, which then serves the reads or the deletes, where a plain refresh or destroy
 * uses the config stored in the state. The toy server accepts only the rotated token and logs the one
 * each request carried.
 */
import { strict as assert } from "assert";
import { secret } from "../../harness/wire";
import {
  apiToken,
  recordArgs,
  recordsProgram,
  startToyWorld,
  urnOf,
  type ToyWorld,
} from "./support/fixtures";

const rotatedToken = "tok-rotated-0c94e7";

describe("Engine: refresh and destroy that run the program (--run-program)", function () {
  this.timeout(120_000);
  let world: ToyWorld;

  before(async () => {
    world = await startToyWorld();
  });
  after(async () => world?.close());

  beforeEach(() => world.fresh());

  /** The token is revoked and the stack config has the new one; the state still has the old one. */
  function rotate(): void {
    world.server.acceptedToken = rotatedToken;
    world.engine.setConfig({ "toy:url": world.server.url, "toy:token": rotatedToken }, ["toy:token"]);
    world.server.clearLog();
  }

  it("refresh reads with the current config, records it, gives the program the read state, and writes nothing", async () => {
    const { engine, server, providerText } = world;
    await engine.up(
      recordsProgram(providerText, { beta: { name: "beta", value: "one" }, zeta: { name: "zeta" } }),
    );
    server.byName("beta")!.value = "drifted";
    rotate();

    const stored = await engine.refresh();
    assert.equal(stored.succeeded, false, "a plain refresh still uses the stored, revoked token");
    assert.deepEqual(world.tokensSent(), [`Bearer ${apiToken}`]);

    server.clearLog();
    let seen: unknown;
    const result = await engine.refresh({
      program: async (d) => {
        // Changed inputs and a new resource: a refresh neither updates nor creates. `zeta` is not
        // registered: it is refreshed after the program, not deleted.
        seen = (await d.register(recordArgs(providerText, "beta", { name: "beta", value: "changed" })))
          .outputs.value;
        await d.register(recordArgs(providerText, "newcomer", { name: "newcomer" }));
      },
    });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(world.tokensSent(), [`Bearer ${rotatedToken}`]);
    assert.deepEqual(server.writes(), []);
    assert.equal(seen, "drifted", "the program gets the state the refresh read");
    assert.deepEqual(
      result.steps.map((step) => [step.op, step.urn, step.refreshResult]),
      [
        ["refresh", urnOf("beta"), "update"],
        ["same", urnOf("newcomer"), undefined],
        ["refresh", urnOf("zeta"), "same"],
      ],
    );
    assert.deepEqual(
      engine.state.map((resource) => [resource.urn, resource.outputs.value]),
      [
        [urnOf("beta"), "drifted"],
        [urnOf("zeta"), null],
      ],
    );
    assert.deepEqual(engine.defaultProvider?.inputs["toy:token"], secret(rotatedToken), "and stores it");
  });

  it("destroy deletes everything with the current config, creates nothing, and drops the provider", async () => {
    const { engine, server, providerText } = world;
    await engine.up(recordsProgram(providerText, { gamma: { name: "gamma" }, delta: { name: "delta" } }));
    rotate();

    const stored = await engine.destroy();
    assert.equal(stored.succeeded, false, "a plain destroy still uses the stored, revoked token");
    const alive = () => ["gamma", "delta", "newcomer"].filter((name) => server.byName(name));
    assert.deepEqual(alive(), ["gamma", "delta"]);

    server.clearLog();
    // `delta` is not registered: it is deleted all the same; `newcomer` is not created.
    const result = await engine.destroy({
      program: recordsProgram(providerText, { gamma: { name: "gamma" }, newcomer: { name: "newcomer" } }),
    });
    assert.deepEqual(result.errors, []);
    assert.deepEqual(world.tokensSent(), [`Bearer ${rotatedToken}`]);
    assert.ok(
      server.writes().every((write) => write.startsWith("DELETE ")),
      server.writes().join(),
    );
    assert.deepEqual(alive(), []);
    assert.deepEqual(result.summary, { same: 2, delete: 2 });
    assert.deepEqual(engine.state, []);
    assert.equal(engine.defaultProvider, undefined);
  });

  it("a program that registers no resource registers no provider: the stored config serves", async () => {
    const { engine, providerText } = world;
    await engine.up(recordsProgram(providerText, { epsilon: { name: "epsilon" } }));
    rotate();
    const result = await engine.refresh({ program: async () => undefined });
    assert.equal(result.succeeded, false);
    assert.deepEqual(world.tokensSent(), [`Bearer ${apiToken}`]);
  });
});
