import { strict as assert } from "node:assert";
import { withConnectionInput } from "../../provider/dynamic/connectionInput";
import { setStackConfig } from "../../provider/dynamic/context";
import { contactImplementation } from "../../provider/resources/contact/provider";
import { UNKNOWN } from "../../provider/validation/unknown";
import { InProcessProvider } from "../support/inProcess";
import { ADMIN_TOKEN } from "../support/stack";

/**
 * A resource's `connection` input as `check` judges it, before any request (README "A connection
 * from other resources"): each failure names the part of the connection and the rule it broke.
 */
describe("connection input check", () => {
  const contact = withConnectionInput(contactImplementation);
  const check = (connection: unknown) => contact.check({}, { identifier: "crm-1", connection });
  const reasons = async (connection: unknown) =>
    ((await check(connection)).failures ?? []).map((failure) => `${failure.property}: ${failure.reason}`);

  beforeEach(() => setStackConfig({ accountId: "1" }));
  after(() => setStackConfig({}));

  it("wants an object", async () => {
    for (const connection of ["https://chatwoot.example.com", ["https://x"], 42]) {
      assert.deepEqual(
        await reasons(connection),
        ["connection: [connection] must be an object with url, apiAccessToken and/or accountId"],
        JSON.stringify(connection),
      );
    }
  });

  it("names a property it does not know and lists the ones it takes", async () => {
    assert.deepEqual(await reasons({ token: "abcdef", accountId: 2 }), [
      "connection: [connection.token] is not a connection property; expected one of url, apiAccessToken, accountId",
    ]);
  });

  it("refuses a URL that is not absolute http(s), carries credentials or is not a string", async () => {
    const cases: Array<[unknown, string]> = [
      ["chatwoot.example.com", "must be an absolute http(s) URL such as https://chatwoot.example.com"],
      ["ftp://chatwoot.example.com", "must use http or https"],
      ["https://admin@chatwoot.example.com", "must not contain credentials; use connection.apiAccessToken"],
      ["https://:secret@chatwoot.example.com", "must not contain credentials; use connection.apiAccessToken"],
      [42, "must be a string"],
    ];
    for (const [url, rule] of cases) {
      assert.deepEqual(await reasons({ url }), [`connection: [connection.url] ${rule}`], String(url));
    }
  });

  it("refuses plain http to another host unless the stack allows it, and takes loopback and https", async () => {
    const [plain] = await reasons({ url: "http://chatwoot.internal" });
    assert.match(plain ?? "", /^connection: \[connection\.url\] uses plain http to chatwoot\.internal/);
    for (const url of ["http://127.0.0.1:3000", "https://chatwoot.example.com"]) {
      assert.deepEqual(await reasons({ url }), [], url);
    }
    setStackConfig({ accountId: "1", allowInsecureHttp: "true" });
    assert.deepEqual(await reasons({ url: "http://chatwoot.internal" }), []);
  });

  it("wants a non-empty token, never echoing it", async () => {
    for (const apiAccessToken of ["", "   ", 12345678]) {
      assert.deepEqual(
        await reasons({ apiAccessToken }),
        ["connection: [connection.apiAccessToken] must be a non-empty string"],
        JSON.stringify(apiAccessToken),
      );
    }
    assert.deepEqual(await reasons({ apiAccessToken: "tok-abcdef" }), []);
    // Too short to redact: refused, without echoing it.
    assert.deepEqual(await reasons({ apiAccessToken: " tok5 " }), [
      "connection: [connection.apiAccessToken] must be at least 6 characters (Chatwoot's access tokens " +
        "have 24); a shorter value could not be kept out of error messages",
    ]);
    assert.deepEqual(await reasons({ apiAccessToken: "tok-ab" }), []);
  });

  it("wants a positive whole account id", async () => {
    for (const accountId of [0, -3, 1.5, "2", 2 ** 53]) {
      assert.deepEqual(
        await reasons({ accountId }),
        ["connection: [connection.accountId] must be a positive integer"],
        String(accountId),
      );
    }
  });

  it("takes account 1", async () => {
    assert.deepEqual(await reasons({ accountId: 1 }), []);
  });

  it("treats a part given as null as left out, and reports every bad part at once", async () => {
    assert.deepEqual(await reasons({ url: null, apiAccessToken: null, accountId: null }), []);
    assert.deepEqual(await reasons({ url: "ftp://x", apiAccessToken: "", accountId: 0, extra: 1 }), [
      "connection: [connection.extra] is not a connection property; expected one of url, apiAccessToken, accountId",
      "connection: [connection.url] must use http or https",
      "connection: [connection.apiAccessToken] must be a non-empty string",
      "connection: [connection.accountId] must be a positive integer",
    ]);
  });

  it("lets values not known yet (a preview) through, to be checked once known", async () => {
    assert.deepEqual(await reasons(UNKNOWN), []);
    assert.deepEqual(await reasons({ url: UNKNOWN, apiAccessToken: UNKNOWN, accountId: UNKNOWN }), []);
  });

  it("makes the connection's accountId the resource's default account, as chatwoot:accountId is", async () => {
    setStackConfig({});
    const saved = process.env.CHATWOOT_ACCOUNT_ID;
    delete process.env.CHATWOOT_ACCOUNT_ID;
    try {
      const result = await check({ url: "https://chatwoot.example.com", accountId: 7 });
      assert.deepEqual(result.failures, []);
      assert.equal(result.inputs?.accountId, 7);
      // Not known yet: the resource's account is not known either (a replacement, once it is).
      const preview = await check({ accountId: UNKNOWN });
      assert.deepEqual(preview.failures, []);
      assert.equal(preview.inputs?.accountId, UNKNOWN);
    } finally {
      if (saved !== undefined) process.env.CHATWOOT_ACCOUNT_ID = saved;
    }
  });
});

/** A resource's connection in force for its own requests, through the provider's create and delete. */
describe("connection input in use", () => {
  let provider: InProcessProvider;
  before(async () => {
    provider = await InProcessProvider.start();
  });
  after(async () => provider?.close());

  it("sends a resource's requests to its connection's URL with its token, whatever the stack says", async () => {
    // The stack's own settings point nowhere useful: only the connection can reach the emulator.
    provider.configure({
      "chatwoot:url": "https://chatwoot.invalid",
      "chatwoot:apiAccessToken": "stale-token-1",
    });
    const contact = withConnectionInput(contactImplementation);
    const connection = { url: provider.emulator.url, apiAccessToken: ADMIN_TOKEN };
    const created = await contact.create({
      identifier: "crm-conn-1",
      accountId: provider.emulator.accountId,
      connection,
    });
    assert.deepEqual(created.outs?.connection, connection, "recorded for later reads and deletes");
    await contact.delete(created.id, created.outs ?? {});
    assert.equal(provider.emulator.summary()[0]!.contacts, 0);
  });

  it("uses the stack's settings for a resource without a connection", async () => {
    provider.configure();
    const contact = withConnectionInput(contactImplementation);
    const created = await contact.create({
      identifier: "crm-conn-2",
      accountId: provider.emulator.accountId,
    });
    assert.equal(created.outs?.connection, undefined);
    await contact.delete(created.id, created.outs ?? {});
  });
});
