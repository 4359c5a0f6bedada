import { strict as assert } from "node:assert";
import { Engine } from "../../harness/engine";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { ADMIN_TOKEN, REPOSITORY_ROOT, declare } from "../support/stack";

/** How a user configures the provider: stack config, or the environment, and what a mistake says. */
describe("provider configuration through the host", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator;
  // The host inherits this process's environment; blank values count as unset.
  const noEnvironment = { CHATWOOT_URL: "", CHATWOOT_ACCOUNT_ID: "", CHATWOOT_API_ACCESS_TOKEN: "" };

  before(async () => {
    emulator = await startEmulator({ adminToken: ADMIN_TOKEN });
  });
  after(async () => emulator?.close());

  async function upOneContact(engine: Engine) {
    return engine.up(
      async (d) => void (await d.register(declare("Contact", "alice", { identifier: "crm-1" }))),
    );
  }

  it("works from CHATWOOT_* environment variables alone", async () => {
    const engine = await Engine.start({
      projectDir: REPOSITORY_ROOT,
      env: {
        CHATWOOT_URL: emulator.url,
        CHATWOOT_ACCOUNT_ID: String(emulator.accountId),
        CHATWOOT_API_ACCESS_TOKEN: ADMIN_TOKEN,
      },
    });
    try {
      const result = await upOneContact(engine);
      assert.deepEqual(result.errors, []);
      assert.equal(emulator.summary()[0]!.contacts, 1);
      assert.deepEqual((await engine.destroy()).errors, []);
    } finally {
      await engine.close();
    }
  });

  it("prefers stack config over the environment", async () => {
    const engine = await Engine.start({
      projectDir: REPOSITORY_ROOT,
      config: {
        "chatwoot:url": emulator.url,
        "chatwoot:apiAccessToken": ADMIN_TOKEN,
        "chatwoot:accountId": "1",
      },
      secretConfigKeys: ["chatwoot:apiAccessToken"],
      env: { CHATWOOT_URL: "http://127.0.0.1:9", CHATWOOT_API_ACCESS_TOKEN: "wrong-token-from-env" },
    });
    try {
      assert.deepEqual((await upOneContact(engine)).errors, []);
      assert.deepEqual((await engine.destroy()).errors, []);
    } finally {
      await engine.close();
    }
  });

  const missing: Array<[string, Record<string, string>, RegExp]> = [
    [
      "the URL",
      { "chatwoot:accountId": "1", "chatwoot:apiAccessToken": ADMIN_TOKEN },
      /Missing Chatwoot's base URL: set it with `pulumi config set chatwoot:url https:\/\/chatwoot\.example\.com` or the CHATWOOT_URL environment variable/,
    ],
    [
      "the token",
      { "chatwoot:accountId": "1", "chatwoot:url": "http://127.0.0.1:9" },
      /Missing the Chatwoot API access token: set it with `pulumi config set --secret chatwoot:apiAccessToken <token>` or the CHATWOOT_API_ACCESS_TOKEN environment variable/,
    ],
    [
      "the account",
      { "chatwoot:url": "http://127.0.0.1:9", "chatwoot:apiAccessToken": ADMIN_TOKEN },
      /\[accountId\] is not set: .*pulumi config set chatwoot:accountId <id>.*CHATWOOT_ACCOUNT_ID/,
    ],
    [
      "a valid URL",
      {
        "chatwoot:url": "chatwoot.example.com",
        "chatwoot:accountId": "1",
        "chatwoot:apiAccessToken": ADMIN_TOKEN,
      },
      /Invalid chatwoot:url \(or CHATWOOT_URL\): must be an absolute http\(s\) URL/,
    ],
  ];
  for (const [what, config, message] of missing) {
    it(`says which key to set, and how, when ${what} is missing`, async () => {
      const engine = await Engine.start({ projectDir: REPOSITORY_ROOT, config, env: noEnvironment });
      try {
        const result = await upOneContact(engine);
        assert.equal(result.errors.length, 1);
        assert.match(result.errors[0]!.message, message);
        assert.ok(!result.errors[0]!.message.includes(ADMIN_TOKEN));
      } finally {
        await engine.close();
      }
    });
  }
});
