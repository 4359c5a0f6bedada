import { strict as assert } from "node:assert";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type RunningEmulator } from "../../emulator";
import {
  ChatwootLookupError,
  getAgent,
  getInbox,
  getInboxOutput,
  getLabel,
  getTeam,
  type LookupConnection,
} from "../../provider";
import { StubServer } from "../support/stubServer";

const TOKEN = "sentinel-lookup-admin-token-51c0";

describe("lookups: names instead of ids", () => {
  let emulator: RunningEmulator;
  let requests: string[];
  let connection: LookupConnection;

  before(async () => {
    requests = [];
    emulator = await startEmulator({
      adminToken: TOKEN,
      log: (line) => requests.push(line.split(" ").slice(1, 3).join(" ")),
    });
    connection = { url: emulator.url, apiAccessToken: TOKEN, accountId: emulator.accountId };
  });
  beforeEach(() => {
    emulator.reset();
    requests.length = 0;
  });
  after(() => emulator.close());

  async function post(route: string, body: unknown): Promise<{ id: number }> {
    const response = await fetch(`${emulator.url}/api/v1/accounts/${emulator.accountId}/${route}`, {
      method: "POST",
      headers: { api_access_token: TOKEN, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as { id: number };
  }

  async function failure(promise: Promise<unknown>): Promise<string> {
    const error = await promise.then(
      () => assert.fail("the lookup should have failed"),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof ChatwootLookupError, String(error));
    assert.ok(!error.message.includes(TOKEN), error.message);
    return error.message;
  }

  it("finds exactly one of each: an inbox by exact name, an agent by email, a team and a label ignoring case", async () => {
    const label = await post("labels", { label: { title: "vip" } });
    assert.deepEqual(await getInbox({ name: "API Inbox", connection }), {
      id: emulator.inboxId,
      accountId: emulator.accountId,
      name: "API Inbox",
      channelType: "Channel::Api",
    });
    const agent = await getAgent({ email: " Agent@Example.com ", connection });
    assert.deepEqual(agent, {
      id: emulator.agentId,
      accountId: emulator.accountId,
      email: "agent@example.com",
      name: "Agent",
      role: "agent",
    });
    assert.equal((await getTeam({ name: "Support", connection })).id, emulator.teamId);
    assert.equal((await getLabel({ title: "VIP", connection })).id, label.id);
    // Chatwoot lower-cases a title as Ruby does, character by character: a final Σ becomes σ.
    const greek = await post("labels", { label: { title: "ΟΔΟΣ" } });
    assert.equal((await getLabel({ title: "ΟΔΟΣ", connection })).id, greek.id);
    // One GET of each list, nothing else.
    assert.deepEqual(requests.slice(-6), [
      "GET /api/v1/accounts/1/inboxes",
      "GET /api/v1/accounts/1/agents",
      "GET /api/v1/accounts/1/teams",
      "GET /api/v1/accounts/1/labels",
      "POST /api/v1/accounts/1/labels",
      "GET /api/v1/accounts/1/labels",
    ]);
  });

  it("fails on no match, naming what was searched, the rule and what Chatwoot lists", async () => {
    assert.equal(
      await failure(getInbox({ name: "api inbox", connection })),
      'getInbox: no inbox named "api inbox" in account 1; inbox names are matched exactly, case and spaces ' +
        "included. Chatwoot lists 2 (an agent's token lists only the inboxes the agent is a member of): " +
        '"API Inbox", "Other API Inbox".',
    );
    assert.match(
      await failure(getAgent({ email: "nobody@example.com", connection })),
      /^getAgent: no agent with the email "nobody@example.com" in account 1; .* Chatwoot lists 2: "admin@example.com", "agent@example.com"\.$/,
    );
    assert.match(await failure(getTeam({ name: "sales", connection })), /^getTeam: no team named "sales"/);
    assert.match(
      await failure(getLabel({ title: "vip", connection })),
      /^getLabel: no label titled "vip" in account 1; .* Chatwoot lists no labels\.$/,
    );
  });

  it("fails when several inboxes share the name, with their count and ids", async () => {
    const twin = await post("inboxes", { name: "API Inbox", channel: { type: "api" } });
    assert.equal(
      await failure(getInbox({ name: "API Inbox", connection })),
      `getInbox: 2 inboxes named "API Inbox" in account 1 (ids ${emulator.inboxId}, ${twin.id}), so none ` +
        "can be chosen; rename all but one in Chatwoot, or use an id",
    );
  });

  it("searches what the token's user may list: an agent sees only the inboxes they belong to", async () => {
    const asAgent = { ...connection, apiAccessToken: emulator.agentToken };
    assert.equal((await getInbox({ name: "API Inbox", connection: asAgent })).id, emulator.inboxId);
    assert.match(
      await failure(getInbox({ name: "Other API Inbox", connection: asAgent })),
      /an agent's token lists only the inboxes the agent is a member of\): "API Inbox"\.$/,
    );
  });

  it("refuses a bad connection or argument before any request, never quoting the token", async () => {
    assert.match(
      await failure(getInbox({ name: "API Inbox", connection: { ...connection, url: "ftp://chatwoot" } })),
      /^getInbox: \[connection\.url\] must use http or https$/,
    );
    assert.match(
      await failure(getTeam({ name: "support", connection: { url: emulator.url, apiAccessToken: TOKEN } })),
      /^getTeam: Missing the Chatwoot account id/,
    );
    assert.equal(
      await failure(getLabel({ title: " ", connection })),
      "getLabel: [title] must be a non-empty string",
    );
    assert.deepEqual(requests, []);
    assert.equal(
      await failure(
        getInbox({ name: "API Inbox", connection: { ...connection, apiAccessToken: `${TOKEN}-old` } }),
      ),
      "getInbox: listing the inboxes of account 1 failed: GET /api/v1/accounts/1/inboxes failed with 401: " +
        "Invalid Access Token",
    );
  });

  it("redacts the token wherever a server could echo it: an error answer, a listed name", async () => {
    const stub = await StubServer.start((request) =>
      request.url.endsWith("/agents")
        ? { status: 401, body: JSON.stringify({ error: `bad token ${TOKEN}` }) }
        : { status: 200, body: JSON.stringify([{ id: 7, name: `team ${TOKEN}` }]) },
    );
    try {
      const via = { url: stub.url.toString(), apiAccessToken: TOKEN, accountId: 1 };
      assert.match(
        await failure(getAgent({ email: "a@example.com", connection: via })),
        /bad token \[REDACTED\]/,
      );
      assert.match(await failure(getTeam({ name: "support", connection: via })), /"team \[REDACTED\]"/);
    } finally {
      await stub.close();
    }
  });

  it("uses the stack config, then the environment, when the connection leaves a part out", async () => {
    const savedConfig = pulumi.runtime.allConfig();
    const savedEnv = { ...process.env };
    try {
      pulumi.runtime.setAllConfig({ "chatwoot:url": emulator.url, "chatwoot:apiAccessToken": TOKEN });
      process.env.CHATWOOT_ACCOUNT_ID = String(emulator.accountId);
      assert.equal((await getTeam({ name: "support" })).id, emulator.teamId);
      // The connection's part wins over the stack config's.
      const agentOnly = await failure(
        getInbox({ name: "Other API Inbox", connection: { apiAccessToken: emulator.agentToken } }),
      );
      assert.match(agentOnly, /Chatwoot lists 1 /);
      pulumi.runtime.setAllConfig({});
      process.env.CHATWOOT_URL = emulator.url;
      process.env.CHATWOOT_API_ACCESS_TOKEN = TOKEN;
      assert.equal((await getTeam({ name: "support" })).id, emulator.teamId);
    } finally {
      pulumi.runtime.setAllConfig(savedConfig);
      // Key by key: assigning a plain object would replace Node's own process.env for later tests.
      for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
      Object.assign(process.env, savedEnv);
    }
  });

  it("resolves Inputs as an Output that is not secret, though the connection is", async () => {
    const output = getInboxOutput({
      name: pulumi.output("API Inbox"),
      connection: pulumi.secret(connection),
    });
    assert.equal(await pulumi.isSecret(output), false);
    const value = await new Promise((resolve) => output.apply(resolve));
    assert.equal((value as { id: number }).id, emulator.inboxId);
  });
});
