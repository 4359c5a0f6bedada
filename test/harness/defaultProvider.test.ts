/**
 * The engine rules around the default provider and the checkpoint, pinned against the engine's source
 * (see harness/README.md "Engine rules reproduced"): the stored provider config, a fresh host per
 * command, `up --refresh` stopping on a failed read, and the `pulumi stack export` document.
 */
import { strict as assert } from "assert";
import { createHash } from "crypto";
import { Engine } from "../../harness/engine";
import { secret } from "../../harness/wire";
import {
  apiToken,
  projectDir,
  recordsProgram,
  startToyWorld,
  urnOf,
  type ToyWorld,
} from "./support/fixtures";

const providerUrn = "urn:pulumi:dev::p::pulumi:providers:pulumi-nodejs::default";
const rotatedToken = "tok-rotated-5d21b8";

describe("Engine: the default provider, stored config and the checkpoint", function () {
  this.timeout(120_000);
  let world: ToyWorld;

  before(async () => {
    world = await startToyWorld();
  });
  after(async () => world?.close());

  beforeEach(() => world.fresh());

  it("records the default provider with the whole stack config, secrets kept, and every resource refers to it", async () => {
    const { engine, server, providerText } = world;
    // A key of another namespace: a dynamic provider gets the entire config (`GetPackageConfig`).
    engine.setConfig({ "toy:url": server.url, "toy:token": apiToken, "other:region": "eu" }, ["toy:token"]);
    const result = await engine.up(recordsProgram(providerText, { alpha: { name: "alpha" } }));
    assert.deepEqual(result.errors, []);

    const provider = engine.defaultProvider;
    assert.equal(provider?.urn, providerUrn);
    const expected = { "toy:url": server.url, "toy:token": secret(apiToken), "other:region": "eu" };
    assert.deepEqual(provider?.inputs, expected);
    assert.deepEqual(provider?.outputs, expected);
    assert.equal(engine.state[0]?.provider, `${providerUrn}::${provider?.id}`);
    // Its steps are internal: not in the steps, not in the summary.
    assert.deepEqual(result.summary, { create: 1 });
    assert.doesNotMatch(engine.stateJson(), new RegExp(apiToken), "encrypted like any secret config");
    assert.match(engine.stateJson({ showSecrets: true }), new RegExp(apiToken));

    // A config change is an in-place update of the provider: same id, new inputs; the resource is untouched.
    engine.setConfig({ "toy:url": server.url, "toy:token": apiToken }, []);
    const again = await engine.up(recordsProgram(providerText, { alpha: { name: "alpha" } }));
    assert.deepEqual(again.summary, { same: 1 });
    assert.equal(engine.defaultProvider?.id, provider?.id);
    assert.deepEqual(engine.defaultProvider?.inputs, { "toy:url": server.url, "toy:token": apiToken });
    assert.match(engine.stateJson(), new RegExp(apiToken), "set without --secret: plain text in the state");
  });

  it("refresh and destroy use the config stored in the state until an up records the rotated one", async () => {
    const { engine, server, providerText } = world;
    const program = recordsProgram(providerText, { beta: { name: "beta" } });
    await engine.up(program);
    // The token is rotated: Chatwoot-like, the old one is revoked, and the stack config has the new one.
    server.acceptedToken = rotatedToken;
    engine.setConfig({ "toy:url": server.url, "toy:token": rotatedToken }, ["toy:token"]);
    server.clearLog();

    const refresh = await engine.refresh();
    assert.equal(refresh.succeeded, false);
    assert.match(refresh.errors[0]?.message ?? "", /HTTP 401/);
    const destroy = await engine.destroy();
    assert.equal(destroy.succeeded, false);
    assert.deepEqual(world.tokensSent(), [`Bearer ${apiToken}`], "both ran with the stored token");
    assert.equal(engine.state.length, 1, "nothing was removed from the state");

    // `up` runs the program: the provider gets the current config (a new host: nothing cached).
    server.clearLog();
    const up = await engine.up(program);
    assert.deepEqual(up.errors, []);
    assert.deepEqual(engine.defaultProvider?.inputs["toy:token"], secret(rotatedToken));
    const after = await engine.destroy();
    assert.deepEqual(after.errors, []);
    assert.deepEqual(world.tokensSent(), [`Bearer ${rotatedToken}`]);
    assert.deepEqual(engine.state, []);
    assert.equal(engine.defaultProvider, undefined, "the provider goes with the last resource");
  });

  it("up --refresh: a failed read stops the update before the program runs, and nothing is written", async () => {
    const { engine, server, providerText } = world;
    await engine.up(recordsProgram(providerText, { gamma: { name: "gamma", value: "one" } }));
    const before = engine.state;
    server.failReads = true;
    server.clearLog();

    let programRan = false;
    const result = await engine.up(
      async (deployment) => {
        programRan = true;
        await recordsProgram(providerText, {
          gamma: { name: "gamma", value: "two" },
          delta: { name: "delta" },
        })(deployment);
      },
      { refresh: true },
    );
    assert.equal(programRan, false);
    assert.equal(result.succeeded, false);
    assert.equal(result.errors[0]?.urn, urnOf("gamma"));
    assert.deepEqual(server.writes(), []);
    assert.deepEqual(engine.state, before);
  });

  it("exports the state as `pulumi stack export` does, and an engine started from the document sees no change", async () => {
    const { engine, server, providerText } = world;
    const program = recordsProgram(providerText, { epsilon: { name: "epsilon", value: secret("s3") } });
    await engine.up(program);

    const encrypted = engine.exportState();
    assert.equal(encrypted.version, 3);
    const { manifest, resources = [] } = encrypted.deployment;
    assert.equal(manifest.magic, createHash("sha256").update(manifest.version).digest("hex"));
    assert.deepEqual(
      resources.map((r) => [r.type, r.provider]),
      [
        ["pulumi:providers:pulumi-nodejs", undefined],
        ["pulumi-nodejs:dynamic/toy:Record", `${providerUrn}::${resources[0]?.id}`],
      ],
    );
    assert.doesNotMatch(JSON.stringify(encrypted), new RegExp(`${apiToken}|s3"`));
    const plain = engine.exportState({ showSecrets: true });
    assert.deepEqual(plain.deployment.resources?.[0]?.inputs?.["toy:token"], {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      plaintext: JSON.stringify(apiToken),
    });

    for (const document of [encrypted, JSON.parse(JSON.stringify(plain))]) {
      const restored = await Engine.start({
        projectDir,
        config: engine.config,
        secretConfigKeys: engine.secretConfigKeys,
        initialState: document,
      });
      try {
        assert.deepEqual(restored.defaultProvider, engine.defaultProvider);
        assert.deepEqual(restored.state, engine.state);
        server.clearLog();
        const result = await restored.up(program);
        assert.deepEqual(result.summary, { same: 1 });
        assert.deepEqual(server.writes(), []);
      } finally {
        await restored.close();
      }
    }
  });
});
