import { strict as assert } from "node:assert";
import { assertProgramSucceeded, runProgram } from "../../harness/program";
import { isSecret, unwrapSecret } from "../../harness/wire";
import { writeLinkedProject } from "../support/programs";
import { ADMIN_TOKEN, ChatwootStack } from "../support/stack";

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

/** The Chatwoot to use comes from another stack's outputs, here stood in for by this project's config. */
const CONNECTED_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as chatwoot from "pulumi-chatwoot";

const platform = new pulumi.Config("platform");
const inbox = new chatwoot.ApiInbox("support", {
  name: "Lumen Support",
  connection: { url: platform.require("url"), apiAccessToken: platform.requireSecret("token") },
});
export const inboxId = inbox.inboxId;
`;

describe("ApiInbox in a program: a connection from other resources", function () {
  this.timeout(120_000);
  let stack: ChatwootStack;
  let project: { dir: string; remove(): void };

  before(async () => {
    stack = await ChatwootStack.start();
    project = writeLinkedProject("api-inbox-connection", CONNECTED_PROGRAM);
  });
  after(async () => {
    await stack?.close();
    project?.remove();
  });

  it("creates through the connection, not the stack's token, and keeps the token out of the state", async () => {
    const config = {
      ...stack.engine.config,
      // Useless on purpose: only the connection's token can work.
      "chatwoot:apiAccessToken": "revoked-token",
      "platform:url": stack.emulator.url,
      "platform:token": ADMIN_TOKEN,
    };
    stack.engine.setConfig(config, ["chatwoot:apiAccessToken", "platform:token"]);
    const run = await runProgram({
      engine: stack.engine,
      programDir: project.dir,
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    assertProgramSucceeded(run);
    const [resource] = stack.engine.state.filter((r) => r.type.endsWith(":ApiInbox"));
    assert.ok(resource, "the inbox must be in the state");
    assert.ok(isSecret(resource.inputs.connection), "the connection input must be a secret");
    assert.ok(isSecret(resource.outputs.connection), "the recorded connection must be a secret");
    assert.ok(!stack.engine.stateJson().includes(ADMIN_TOKEN), "the token is in the state in clear text");
    const inboxes = await stack.api<{ payload: Array<{ name: string }> }>("GET", "inboxes");
    assert.ok(inboxes.payload.some((inbox) => inbox.name === "Lumen Support"));
  });
});
