import { strict as assert } from "node:assert";
import { setStackConfig } from "../../provider/dynamic/context";
import { customAttributeDefinitionImplementation } from "../../provider/resources/customAttributeDefinition/provider";
import { UNKNOWN } from "../../provider/validation/unknown";

/**
 * CustomAttributeDefinition's `check` runs before any request: these tests need no server. One
 * lifecycle test (test/lifecycle/customAttributeDefinition.test.ts) shows a failure reaching the
 * engine with nothing sent to Chatwoot.
 */
describe("CustomAttributeDefinition check", () => {
  before(() => setStackConfig({ accountId: "1" }));
  after(() => setStackConfig({}));

  const base = { attributeModel: "contact", attributeKey: "plan", displayName: "Plan" };
  const check = (news: Record<string, unknown>) => customAttributeDefinitionImplementation.check({}, news);

  it("takes a valid definition, filling in the account and keeping a pattern as its RegExp source", async () => {
    const result = await check({
      ...base,
      displayType: "text",
      regexPattern: "^a/b$",
      regexCue: "a/b",
      __provider: "x",
    });
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.inputs, {
      ...base,
      displayType: "text",
      regexPattern: "^a\\/b$",
      regexCue: "a/b",
      accountId: 1,
    });
    const list = await check({ ...base, displayType: "list", listValues: ["free", "pro"] });
    assert.deepEqual(list.failures, []);
  });

  const rejected: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ["a missing model", { attributeModel: undefined }, "attributeModel", /^\[attributeModel\] is required/],
    [
      "another model",
      { attributeModel: "company" },
      "attributeModel",
      /^\[attributeModel\] must be contact or conversation$/,
    ],
    ["a missing key", { attributeKey: undefined }, "attributeKey", /^\[attributeKey\] is required/],
    [
      "a key with a space",
      { attributeKey: "two words" },
      "attributeKey",
      /^\[attributeKey\] must contain only letters, digits/,
    ],
    [
      "a standard contact key",
      { attributeKey: "company_name" },
      "attributeKey",
      /"company_name" is a standard contact attribute/,
    ],
    [
      "a standard conversation key",
      { attributeModel: "conversation", attributeKey: "priority" },
      "attributeKey",
      /"priority" is a standard conversation attribute/,
    ],
    ["a missing display name", { displayName: undefined }, "displayName", /^\[displayName\] is required/],
    ["a blank display name", { displayName: "  " }, "displayName", /^\[displayName\] must not be blank/],
    [
      "a display name Chatwoot would strip",
      { displayName: "Plan " },
      "displayName",
      /must not start or end with spaces/,
    ],
    [
      "an unknown type",
      { displayType: "email" },
      "displayType",
      /^\[displayType\] must be one of text, number/,
    ],
    [
      "a list without values",
      { displayType: "list" },
      "listValues",
      /^\[listValues\] is required for displayType list/,
    ],
    [
      "values for a number",
      { displayType: "number", listValues: ["1"] },
      "listValues",
      /only for displayType list, not number/,
    ],
    [
      "a repeated value",
      { displayType: "list", listValues: ["a", "a"] },
      "listValues",
      /must not repeat a value/,
    ],
    [
      "a blank value",
      { displayType: "list", listValues: ["a", " "] },
      "listValues",
      /^\[listValues\.1\] must not be blank/,
    ],
    [
      "a pattern that does not compile",
      { regexPattern: "(" },
      "regexPattern",
      /must be a valid regular expression/,
    ],
    [
      "a pattern on a date",
      { displayType: "date", regexPattern: "^2" },
      "regexPattern",
      /only for displayType text .*not date/,
    ],
    ["a cue without a pattern", { regexCue: "digits only" }, "regexCue", /needs a regexPattern/],
    [
      "a description over 20,000 characters",
      { description: "x".repeat(20_001) },
      "description",
      /at most 20000/,
    ],
    [
      "an unknown property",
      { values: ["a"] },
      "values",
      /\[values\] is not a property of CustomAttributeDefinition/,
    ],
  ];
  for (const [what, change, property, reason] of rejected) {
    it(`refuses ${what}, naming the field and the rule`, async () => {
      const news: Record<string, unknown> = { ...base, ...change };
      for (const key of Object.keys(news)) if (news[key] === undefined) delete news[key];
      const result = await check(news);
      const failure = result.failures?.find((entry) => entry.property === property);
      assert.ok(failure, `no failure for ${property}: ${JSON.stringify(result.failures)}`);
      assert.match(failure.reason, reason);
    });
  }

  it("leaves rules that read a value not known yet to the check after it is known", async () => {
    const result = await check({ ...base, attributeKey: UNKNOWN, displayType: UNKNOWN, listValues: ["a"] });
    assert.deepEqual(result.failures, []);
  });
});
