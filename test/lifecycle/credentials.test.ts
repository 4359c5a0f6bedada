import { strict as assert } from "node:assert";
import type { Program } from "../../harness/engine";
import { ADMIN_TOKEN, ChatwootStack, declare, providerText, secret } from "../support/stack";

/**
 * Where the token lives under the real engine, and what users see when they rotate it: the default
 * provider's stored config serves `refresh` and `destroy` until an `up` records the new token, unless
 * they run the program (`--run-program`); a resource's `connection` is recorded with it and serves its
 * reads and deletes.
 */
describe("credentials: stored provider config, rotation and the connection input", function () {
  this.timeout(120_000);
  let stack: ChatwootStack;
  let stackConfig: Readonly<Record<string, string>>;

  before(async () => {
    stack = await ChatwootStack.start();
    stackConfig = stack.engine.config;
  });
  after(async () => stack?.close());
  // Tests rotate the token and change the stack config: each starts from the original ones.
  beforeEach(() => {
    stack.reset();
    stack.engine.setConfig(stackConfig, ["chatwoot:apiAccessToken"]);
  });

  /** Chatwoot's "reset access token" (profiles#reset_access_token): the old token stops working. */
  async function rotateToken(current: string): Promise<string> {
    const profile = await stack.api<{ access_token: string }>(
      "POST",
      "/api/v1/profile/reset_access_token",
      undefined,
      current,
    );
    assert.notEqual(profile.access_token, current);
    return profile.access_token;
  }

  const alice: Program = async (d) =>
    void (await d.register(declare("Contact", "alice", { identifier: "crm-1" })));
  /** Alice as the first `up` creates her: made once, then put back for each test that starts there. */
  const aliceCreated = () =>
    stack.startFrom("alice created", async () => assert.deepEqual((await stack.engine.up(alice)).errors, []));
  const writes = () => stack.requests.filter((r) => r.method !== "GET");

  it("after a rotation, refresh and destroy fail with the stored token and say to run up; up then destroy works", async () => {
    await aliceCreated();
    const rotated = await rotateToken(ADMIN_TOKEN);
    stack.engine.setConfig({ ...stack.engine.config, "chatwoot:apiAccessToken": rotated }, [
      "chatwoot:apiAccessToken",
    ]);

    for (const command of [() => stack.engine.refresh(), () => stack.engine.destroy()]) {
      const result = await command();
      assert.equal(result.errors.length, 1, JSON.stringify(result.errors));
      const message = result.errors[0]!.message;
      assert.match(message, /answered 401/);
      assert.match(message, /stored in the state/);
      assert.match(message, /run `pulumi up` first/);
      assert.ok(!message.includes(ADMIN_TOKEN) && !message.includes(rotated));
    }
    assert.equal(stack.counts().contacts, 1, "the failed destroy deleted nothing");

    const up = await stack.engine.up(alice);
    assert.deepEqual(up.errors, []);
    assert.deepEqual(up.summary, { same: 1 }, "only the provider's stored config changed");
    assert.deepEqual(stack.engine.defaultProvider?.inputs["chatwoot:apiAccessToken"], secret(rotated));
    assert.deepEqual((await stack.engine.destroy()).errors, []);
    assert.equal(stack.counts().contacts, 0);
    for (const surface of [stack.engine.stateJson(), stack.engine.hostLog()]) {
      assert.ok(!surface.includes(ADMIN_TOKEN) && !surface.includes(rotated));
    }
  });

  it("after a rotation, refresh with the program reads with the new token and records it, sending no write", async () => {
    await aliceCreated();
    const rotated = await rotateToken(ADMIN_TOKEN);
    stack.engine.setConfig({ ...stack.engine.config, "chatwoot:apiAccessToken": rotated }, [
      "chatwoot:apiAccessToken",
    ]);
    stack.requests.length = 0;
    const refresh = await stack.engine.refresh({ program: alice });
    assert.deepEqual(refresh.errors, []);
    assert.deepEqual(
      refresh.steps.map((step) => [step.op, step.refreshResult]),
      [["refresh", "same"]],
    );
    assert.deepEqual(writes(), []);
    assert.deepEqual(stack.engine.defaultProvider?.inputs["chatwoot:apiAccessToken"], secret(rotated));
    assert.ok(!stack.engine.stateJson().includes(rotated));
  });

  it("after a rotation, destroy with the program deletes with the new token", async () => {
    await aliceCreated();
    const rotated = await rotateToken(ADMIN_TOKEN);
    stack.engine.setConfig({ ...stack.engine.config, "chatwoot:apiAccessToken": rotated }, [
      "chatwoot:apiAccessToken",
    ]);
    const destroy = await stack.engine.destroy({ program: alice });
    assert.deepEqual(destroy.errors, []);
    assert.equal(stack.counts().contacts, 0);
    assert.deepEqual(stack.engine.state, []);
    assert.equal(stack.engine.defaultProvider, undefined);
    assert.ok(!stack.engine.hostLog().includes(rotated));
  });

  it("a token set without --secret is stored in plain text in the default provider's inputs", async () => {
    stack.engine.setConfig(stack.engine.config, []);
    assert.deepEqual((await stack.engine.up(alice)).errors, []);
    assert.equal(stack.engine.defaultProvider?.inputs["chatwoot:apiAccessToken"], ADMIN_TOKEN);
    assert.ok(stack.engine.stateJson().includes(ADMIN_TOKEN), "even an encrypted state shows it");
    // Setting it again as a secret and running up encrypts it.
    stack.engine.setConfig(stack.engine.config, ["chatwoot:apiAccessToken"]);
    assert.deepEqual((await stack.engine.up(alice)).summary, { same: 1 });
    assert.ok(!stack.engine.stateJson().includes(ADMIN_TOKEN));
  });

  it("up --refresh with a failing read stops before the program and changes nothing", async () => {
    await aliceCreated();
    const before = stack.engine.state;
    stack.emulator.addFaultRule({ method: "GET", path: "/api/v1/accounts/*/contacts/*", fault: "500" });
    stack.requests.length = 0;
    const result = await stack.engine.up(
      async (d) => {
        await d.register(declare("Contact", "alice", { identifier: "crm-1", name: "Changed" }));
        await d.register(declare("Contact", "bob", { identifier: "crm-2" }));
      },
      { refresh: true },
    );
    assert.equal(result.succeeded, false);
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0]!.message, /Reading contact/);
    assert.deepEqual(writes(), []);
    assert.deepEqual(stack.engine.state, before);
    assert.equal(stack.counts().contacts, 1);
  });

  describe("the connection input", () => {
    /** As the SDK sends it: the whole connection one secret, and its output secret too. */
    const connected = (
      kind: "Contact" | "ContactInbox" | "Conversation",
      name: string,
      inputs: Record<string, never> | Parameters<typeof declare>[2],
      token: string,
      dependsOn: readonly string[] = [],
    ) =>
      declare(
        kind,
        name,
        {
          ...inputs,
          connection: secret({
            url: stack.emulator.url,
            apiAccessToken: token,
            accountId: stack.emulator.accountId,
          }),
        },
        // The dependencies a program's Outputs would record: the engine deletes the conversation
        // before its contact. Without them it deletes both at once, and on a release without a
        // conversation delete route the outcome would depend on whether the contact's cascade won.
        { additionalSecretOutputs: ["connection"], dependsOn },
      );

    function program(token: string): Program {
      return async (d) => {
        const contact = await d.register(connected("Contact", "alice", { identifier: "crm-1" }, token));
        const inboxId = stack.emulator.inboxId;
        const session = await d.register(
          connected("ContactInbox", "alice-api", { contactId: contact.outputs.contactId!, inboxId }, token, [
            contact.urn,
          ]),
        );
        await d.register(
          connected(
            "Conversation",
            "hello",
            {
              contactId: contact.outputs.contactId!,
              inboxId,
              sourceId: session.outputs.sourceId!,
              messages: [{ content: "Hi", messageType: "incoming" }],
            },
            token,
            [contact.urn, session.urn],
          ),
        );
      };
    }

    it("wins over stack config, stays secret, and a rotated token is recorded without a request", async () => {
      // The stack's own token is useless: only the connection can work.
      stack.engine.setConfig({ ...stack.engine.config, "chatwoot:apiAccessToken": "revoked-token" }, [
        "chatwoot:apiAccessToken",
      ]);
      const created = await stack.engine.up(program(ADMIN_TOKEN));
      assert.deepEqual(created.errors, []);
      assert.deepEqual(created.summary, { create: 3 });
      for (const resource of stack.engine.state) {
        assert.deepEqual(Object.keys(resource.inputs.connection as object), [
          "4dabf18193072939515e22adb298388d",
          "value",
        ]);
        assert.ok(
          JSON.stringify(resource.outputs.connection).startsWith('{"4dabf18193072939515e22adb298388d"'),
        );
        const kind = resource.type.split(":").pop() as "Contact";
        assert.equal(resource.outputs.__provider, providerText(kind), "__provider is the unchanged shim");
      }
      assert.ok(!stack.engine.stateJson().includes(ADMIN_TOKEN));

      const rotated = await rotateToken(ADMIN_TOKEN);
      stack.requests.length = 0;
      const recorded = await stack.engine.up(program(rotated));
      assert.deepEqual(recorded.errors, []);
      assert.deepEqual(recorded.summary, { update: 3 }, "an update in place, never a replacement");
      assert.deepEqual(stack.requests, [], "recording the new connection sends nothing to Chatwoot");

      const refresh = await stack.engine.refresh();
      assert.deepEqual(refresh.errors, [], "reads use the connection recorded by the update");
      assert.ok(
        refresh.steps.every((step) => step.refreshResult === "same"),
        JSON.stringify(refresh.steps),
      );
      assert.deepEqual((await stack.engine.destroy()).errors, []);
      assert.equal(stack.counts().contacts, 0);
      assert.ok(!stack.engine.hostLog().includes(rotated));
    });

    it("refuses plain http to another host in check, naming chatwoot:allowInsecureHttp, before any request", async () => {
      stack.requests.length = 0;
      const result = await stack.engine.up(async (d) => {
        await d.register(
          declare("Contact", "alice", {
            identifier: "crm-1",
            connection: secret({ url: "http://chatwoot.internal:3000", apiAccessToken: ADMIN_TOKEN }),
          }),
        );
      });
      assert.equal(result.errors.length, 1);
      assert.match(result.errors[0]!.message, /\[connection\.url\] uses plain http to chatwoot\.internal/);
      assert.match(result.errors[0]!.message, /chatwoot:allowInsecureHttp/);
      assert.ok(!result.errors[0]!.message.includes(ADMIN_TOKEN));
      assert.deepEqual(stack.requests, []);
    });
  });
});
