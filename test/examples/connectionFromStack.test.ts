import { strict as assert } from "node:assert";
import { describeRun } from "../../harness/program";
import { isSecret } from "../../harness/wire";
import { ADMIN_TOKEN } from "../support/stack";
import { exampleDir, ExampleStack } from "./support/exampleProjects";

const EXAMPLE = exampleDir("connection-from-stack");
/** This stack's own token: useless, so only the platform's connection can work. */
const STACK_TOKEN = "this-stacks-own-token-unused";

/**
 * examples/connection-from-stack, run in place: the connection comes from another resource's outputs
 * (the stand-in for the platform stack), the token stays secret, a rotation is recorded by `up`, and
 * `destroy` uses what was recorded.
 */
describe("examples/connection-from-stack: the connection from another stack's outputs", function () {
  this.timeout(240_000);
  let stack: ExampleStack;

  before(async () => {
    stack = await ExampleStack.start(EXAMPLE, (emulator) => ({
      "chatwoot:apiAccessToken": STACK_TOKEN,
      "platform:url": emulator.url,
      "platform:accountId": String(emulator.accountId),
      "platform:apiAccessToken": ADMIN_TOKEN,
    }));
    // `chatwoot:apiAccessToken` set without --secret, the platform's token as a secret.
    stack.engine.setConfig(stack.engine.config, ["platform:apiAccessToken"]);
  });
  after(async () => stack?.close());

  it("creates through the platform's outputs, keeps the token secret, and warns about a plain stack token", async () => {
    const up = await stack.run(EXAMPLE);
    assert.equal(up.exitCode, 0, describeRun(up));
    assert.equal(stack.counts().contacts, 3);
    const warnings = up.logs.filter((entry) => entry.severity === "warning").map((entry) => entry.message);
    assert.ok(
      warnings.some((message) => /chatwoot:apiAccessToken is set without --secret/.test(message)),
      describeRun(up),
    );
    const contacts = stack.engine.state.filter((resource) => resource.custom);
    assert.equal(contacts.length, 3);
    for (const contact of contacts) {
      assert.ok(isSecret(contact.inputs.connection) && isSecret(contact.outputs.connection), contact.urn);
    }
    assert.ok(!stack.engine.stateJson().includes(ADMIN_TOKEN));

    // As a secret the stack's own token draws no warning, and nothing changes.
    stack.engine.setConfig(stack.engine.config, ["platform:apiAccessToken", "chatwoot:apiAccessToken"]);
    const again = await stack.run(EXAMPLE);
    assert.equal(again.exitCode, 0, describeRun(again));
    assert.ok(!again.logs.some((entry) => entry.severity === "warning"), describeRun(again));
    assert.equal(again.summary.create ?? 0, 0);
    assert.equal(again.summary.update ?? 0, 0);
  });

  it("after the platform rotates its token, up records it and destroy uses it", async () => {
    const profile = await fetch(`${stack.emulator.url}/api/v1/profile/reset_access_token`, {
      method: "POST",
      headers: { api_access_token: ADMIN_TOKEN },
    });
    const rotated = ((await profile.json()) as { access_token: string }).access_token;
    stack.engine.setConfig({ ...stack.engine.config, "platform:apiAccessToken": rotated }, [
      "platform:apiAccessToken",
      "chatwoot:apiAccessToken",
    ]);
    const up = await stack.run(EXAMPLE);
    assert.equal(up.exitCode, 0, describeRun(up));
    assert.equal(up.summary.update, 3, describeRun(up));
    assert.equal(up.summary.replace ?? 0, 0);

    const destroy = await stack.engine.destroy();
    assert.deepEqual(destroy.errors, []);
    assert.equal(stack.counts().contacts, 0);
    assert.ok(!stack.engine.hostLog().includes(rotated));
  });
});
