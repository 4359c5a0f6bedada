import { strict as assert } from "node:assert";
import { setStackConfig } from "../../provider/dynamic/context";
import { contactImplementation } from "../../provider/resources/contact/provider";
import { contactInboxImplementation } from "../../provider/resources/contactInbox/provider";
import { UNKNOWN } from "../../provider/validation/unknown";

/** `check` runs before any request: these tests need no server at all. */
describe("Contact and ContactInbox check", () => {
  before(() => setStackConfig({ accountId: "1" }));
  after(() => setStackConfig({}));

  const check = (news: Record<string, unknown>) => contactImplementation.check({}, news);

  it("normalises what Chatwoot normalises: email lower-cased, labels a sorted set, account filled in", async () => {
    const result = await check({
      email: "Alice@Example.COM",
      labels: ["vip", "b2b", "vip"],
      __provider: "x",
    });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.inputs, { email: "alice@example.com", labels: ["b2b", "vip"], accountId: 1 });
  });

  const rejected: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["an invalid email", { email: "alice.example.com" }, "email", /^\[email\] must be a valid email address/],
    ["an email with a space", { email: "al ice@example.com" }, "email", /^\[email\] must be a valid email/],
    [
      "a phone number with spaces",
      { phoneNumber: "+1 415 555 0100" },
      "phoneNumber",
      /^\[phoneNumber\] must be an E\.164/,
    ],
    ["a phone number without +", { phoneNumber: "14155550100" }, "phoneNumber", /E\.164/],
    [
      "a phone number given as a number",
      { phoneNumber: 14155550100 },
      "phoneNumber",
      /^\[phoneNumber\] must be a string$/,
    ],
    ["Chatwoot's end-anchored quirk", { phoneNumber: "abc+14155550100" }, "phoneNumber", /E\.164/],
    [
      "a name over 255 characters",
      { identifier: "x", name: "n".repeat(256) },
      "name",
      /^\[name\] must be at most 255 characters/,
    ],
    ["an identifier over 255 characters", { identifier: "i".repeat(256) }, "identifier", /at most 255/],
    ["a name of the wrong type", { identifier: "x", name: 42 }, "name", /^\[name\] must be a string/],
    [
      "labels that are not a list",
      { identifier: "x", labels: "vip" },
      "labels",
      /^\[labels\] must be a list of strings/,
    ],
    ["an empty label", { identifier: "x", labels: ["ok", ""] }, "labels", /^\[labels\.1\] must not be empty/],
    [
      "custom attributes that are a list",
      { identifier: "x", customAttributes: [1] },
      "customAttributes",
      /must be an object/,
    ],
    [
      "a fractional inbox id",
      { identifier: "x", inboxId: 1.5 },
      "inboxId",
      /^\[inboxId\] must be a whole number/,
    ],
    ["a negative account id", { identifier: "x", accountId: -1 }, "accountId", /must be a positive id/],
    ["blocked as a string", { identifier: "x", blocked: "yes" }, "blocked", /must be true or false/],
    [
      "an unknown property",
      { identifier: "x", emial: "a@b" },
      "emial",
      /^\[emial\] is not a property of Contact/,
    ],
    ["no email, phone number or identifier", { name: "Nobody" }, "email", /at least one is required/],
    [
      "a sourceId without inboxId",
      { identifier: "x", sourceId: "s" },
      "sourceId",
      /\[sourceId\] needs \[inboxId\]/,
    ],
  ];
  for (const [what, news, property, reason] of rejected) {
    it(`rejects ${what}, naming the field and the rule`, async () => {
      const { failures } = await check(news);
      const failure = failures?.find((f) => f.property === property);
      assert.ok(failure, `no failure for ${property}: ${JSON.stringify(failures)}`);
      assert.match(failure.reason, reason);
    });
  }

  it("takes the label titles Chatwoot takes, lower-cased, and refuses the others by name", async () => {
    const accepted = await check({
      identifier: "x",
      labels: ["VIP", "b2b", "ab", "12", "Über-Kunde", "x_y", "vip-2026"],
    });
    assert.deepEqual(accepted.failures, []);
    assert.deepEqual(accepted.inputs?.labels, ["12", "ab", "b2b", "vip", "vip-2026", "x_y", "über-kunde"]);
    for (const label of ["v", "-vip", "_vip", "a b", "a,b", "vip!", "!vip", "'q'"]) {
      const { failures } = await check({ identifier: "x", labels: ["ok", label] });
      assert.deepEqual(
        failures?.map((f) => f.reason),
        [
          "[labels.1] must be a Chatwoot label title: letters, digits, - and _ only (no spaces or commas), " +
            "at least 2 characters, starting with a letter or digit",
        ],
        label,
      );
    }
  });

  it("takes E.164 numbers of 2 to 15 digits starting with a non-zero digit, and one @ in an email", async () => {
    for (const phoneNumber of ["+12", "+123456789012345"]) {
      assert.deepEqual((await check({ phoneNumber })).failures, [], phoneNumber);
    }
    for (const phoneNumber of ["+1", "+0123456", "+1234567890123456", "+1415555010a"]) {
      const { failures } = await check({ phoneNumber });
      assert.deepEqual(
        failures?.map((f) => f.reason),
        ["[phoneNumber] must be an E.164 phone number such as +14155550100"],
        phoneNumber,
      );
    }
    for (const email of ["a@b@c", "@example.com", "alice@"]) {
      const { failures } = await check({ email });
      assert.deepEqual(
        failures?.map((f) => f.reason),
        ["[email] must be a valid email address such as alice@example.com"],
        email,
      );
    }
    const { failures } = await check({ identifier: "x", email: "" });
    assert.equal(failures?.[0]?.reason, "[email] must not be empty (leave it out instead)");
  });

  it("explains ids, flags and attribute objects of the wrong kind", async () => {
    const { failures } = await check({
      identifier: "x",
      inboxId: 0,
      accountId: "1",
      customAttributes: "plan=pro",
      name: null,
    });
    assert.deepEqual(
      failures?.map((f) => f.reason),
      [
        "[inboxId] must be a positive id",
        "[accountId] must be a number",
        "[customAttributes] must be an object of key/value pairs",
      ],
    );
  });

  it("still wants an email, phone number or identifier when they are given as null", async () => {
    const { failures } = await check({ name: "Nobody", email: null, phoneNumber: null, identifier: null });
    assert.deepEqual(
      failures?.map((f) => f.property),
      ["email"],
    );
  });

  it("leaves out a field given as null, as the engine sends one left out", async () => {
    const result = await check({ identifier: "x", name: null, email: undefined });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.inputs, { identifier: "x", accountId: 1 });
  });

  it("lists the properties it knows when it refuses one", async () => {
    const { failures } = await contactInboxImplementation.check(
      {},
      { contactId: 1, inboxId: 2, source: "s" },
    );
    assert.deepEqual(
      failures?.map((f) => f.reason),
      [
        "[source] is not a property of ContactInbox; expected one of accountId, contactId, inboxId, sourceId, hmacVerified",
      ],
    );
  });

  it("tolerates values not known yet during a preview", async () => {
    const result = await check({
      email: UNKNOWN,
      labels: [UNKNOWN, "vip"],
      customAttributes: { plan: UNKNOWN },
    });
    assert.deepEqual(result.failures, []);
    assert.equal(result.inputs?.email, UNKNOWN);
  });

  it("asks for an account when neither the resource nor the stack names one", async () => {
    setStackConfig({});
    const saved = process.env.CHATWOOT_ACCOUNT_ID;
    delete process.env.CHATWOOT_ACCOUNT_ID;
    try {
      const { failures } = await check({ identifier: "x" });
      assert.deepEqual(failures, [
        {
          property: "accountId",
          reason:
            "[accountId] is not set: give the resource an accountId, or set it for the stack with " +
            "`pulumi config set chatwoot:accountId <id>` or the CHATWOOT_ACCOUNT_ID environment variable",
        },
      ]);
    } finally {
      if (saved !== undefined) process.env.CHATWOOT_ACCOUNT_ID = saved;
      setStackConfig({ accountId: "1" });
    }
  });

  it("says so when the stack's default account is not a valid id, instead of calling it unset", async () => {
    setStackConfig({ accountId: "one" });
    try {
      const { failures } = await check({ identifier: "x" });
      assert.equal(failures?.[0]?.property, "accountId");
      assert.match(
        failures?.[0]?.reason ?? "",
        /Invalid chatwoot:accountId \(or CHATWOOT_ACCOUNT_ID\): must be a positive integer/,
      );
    } finally {
      setStackConfig({ accountId: "1" });
    }
  });

  it("ContactInbox requires its contact and inbox, and tolerates an unknown contact id", async () => {
    const missing = await contactInboxImplementation.check({}, {});
    assert.deepEqual(
      missing.failures?.map((f) => f.property),
      ["contactId", "inboxId"],
    );
    const preview = await contactInboxImplementation.check({}, { contactId: UNKNOWN, inboxId: 2 });
    assert.deepEqual(preview.failures, []);
    const bad = await contactInboxImplementation.check({}, { contactId: 1, inboxId: 2, sourceId: "" });
    assert.match(bad.failures?.[0]?.reason ?? "", /^\[sourceId\] must not be empty/);
  });
});
