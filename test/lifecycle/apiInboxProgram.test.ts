import { strict as assert } from "node:assert";
import { assertProgramSucceeded, runProgram } from "../../harness/program";
import { isSecret, unwrapSecret } from "../../harness/wire";
import { writeLinkedProject } from "../support/programs";
import { ChatwootStack } from "../support/stack";

/** A user's program: the class itself must ask the engine to keep the keys secret. */
const PROGRAM = `import * as chatwoot from "pulumi-chatwoot";

const inbox = new chatwoot.ApiInbox("support", { name: "Lumen Support", webhookUrl: "http://127.0.0.1:9/cb" });
export const hmacToken = inbox.hmacToken;
export const secret = inbox.secret;
export const inboxIdentifier = inbox.inboxIdentifier;
`;

describe("ApiInbox in a program: hmacToken and secret are Pulumi secrets", function () {
  this.timeout(120_000);
  let stack: ChatwootStack;
  let project: { dir: string; remove(): void };

  before(async () => {
    stack = await ChatwootStack.start();
    project = writeLinkedProject("api-inbox", PROGRAM);
  });
  after(async () => {
    await stack?.close();
    project?.remove();
  });

  it("marks the keys secret in the outputs and encrypts them in the state", async () => {
    const run = await runProgram({
      engine: stack.engine,
      programDir: project.dir,
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    assertProgramSucceeded(run);
    const [resource] = stack.engine.state.filter((r) => r.type.endsWith(":ApiInbox"));
    assert.ok(resource, "the inbox must be in the state");
    assert.deepEqual(resource.additionalSecretOutputs, ["hmacToken", "secret"]);
    for (const key of ["hmacToken", "secret"]) {
      assert.ok(isSecret(resource.outputs[key]), `${key} must be a secret output`);
      assert.ok(isSecret(run.stackOutputs[key]), `the exported ${key} must stay secret`);
      const value = String(unwrapSecret(resource.outputs[key]!));
      assert.ok(value.length >= 20, `${key} must hold Chatwoot's key`);
      assert.ok(!stack.engine.stateJson().includes(value), `${key} is in the state in clear text`);
    }
    assert.ok(!isSecret(run.stackOutputs.inboxIdentifier), "the public identifier needs no secrecy");
  });
});
