import { strict as assert } from "node:assert";
import { contactImplementation as contacts } from "../../provider/resources/contact/provider";
import { deepEqual } from "../../provider/resources/equality";
import { UNKNOWN } from "../../provider/validation/unknown";

/**
 * What a preview shows for a Contact, field by field, as the README's Contact table promises: which
 * change updates, which replaces, and what leaving a field out means. `diff` sends no request.
 */
describe("Contact diff", () => {
  const recorded = {
    accountId: 1,
    contactId: 7,
    adopted: false,
    name: "Ann Example",
    email: "ann@example.com",
    identifier: "crm-9",
    blocked: true,
    labels: ["beta", "vip"],
    customAttributes: { plan: "pro" },
    additionalAttributes: {},
    inboxId: 1,
    sourceId: "s-1",
  };
  // The program: the recorded outputs less the ids Chatwoot gave, and without additional attributes.
  const { contactId: _id, adopted: _adopted, additionalAttributes: _additional, ...desired } = recorded;
  const diff = async (news: Record<string, unknown>, olds: Record<string, unknown> = recorded) => {
    const result = await contacts.diff("7", olds, news);
    return { changes: result.changes, replaces: result.replaces };
  };

  it("shows no change when the program matches what was recorded", async () => {
    assert.deepEqual(await diff(desired), { changes: false, replaces: [] });
  });

  it("updates in place a changed email, label set or custom attribute, and replaces for another account", async () => {
    assert.deepEqual(await diff({ ...desired, email: "ann@example.org" }), { changes: true, replaces: [] });
    assert.deepEqual(await diff({ ...desired, labels: ["beta"] }), { changes: true, replaces: [] });
    assert.deepEqual(await diff({ ...desired, customAttributes: { plan: "free" } }), {
      changes: true,
      replaces: [],
    });
    assert.deepEqual(await diff({ ...desired, accountId: 2 }), { changes: true, replaces: ["accountId"] });
  });

  it("updates a custom attribute that turns from a list into its only item, or back", async () => {
    // A one-letter string has the length and the items of a one-item list of that letter.
    const listed = { ...recorded, customAttributes: { tier: ["A"] } };
    assert.deepEqual(await diff({ ...desired, customAttributes: { tier: "A" } }, listed), {
      changes: true,
      replaces: [],
    });
    const single = { ...recorded, customAttributes: { tier: "A" } };
    assert.deepEqual(await diff({ ...desired, customAttributes: { tier: ["A"] } }, single), {
      changes: true,
      replaces: [],
    });
  });

  it("clears email, identifier, blocked, labels and custom attributes that the program leaves out", async () => {
    for (const field of ["email", "identifier", "blocked", "labels", "customAttributes"] as const) {
      const { [field]: _left, ...rest } = desired;
      assert.deepEqual(await diff(rest), { changes: true, replaces: [] }, `${field} left out`);
      assert.deepEqual(
        await diff({ ...rest, [field]: null }),
        { changes: true, replaces: [] },
        `${field}: null`,
      );
    }
  });

  it("keeps, without a change, a name, inbox or source id that the program leaves out", async () => {
    const { name: _name, inboxId: _inbox, sourceId: _source, ...rest } = desired;
    assert.deepEqual(await diff(rest), { changes: false, replaces: [] });
  });

  it("shows no change for a field left out that Chatwoot already holds empty", async () => {
    const bare = { accountId: 1, contactId: 7, identifier: "crm-9", blocked: false };
    assert.deepEqual(
      await diff({ accountId: 1, identifier: "crm-9" }, { ...bare, labels: [], customAttributes: {} }),
      { changes: false, replaces: [] },
    );
    // Outputs recorded before a field existed read as its empty value.
    assert.deepEqual(
      await diff(
        { accountId: 1, identifier: "crm-9", blocked: false, labels: [], customAttributes: {} },
        bare,
      ),
      { changes: false, replaces: [] },
    );
    assert.deepEqual(
      await diff(
        { accountId: 1, identifier: "crm-9", blocked: null, labels: null, customAttributes: null },
        bare,
      ),
      { changes: false, replaces: [] },
      "null is left out, not a value",
    );
    assert.deepEqual(await diff({ accountId: 1, identifier: "crm-9", labels: ["vip"] }, bare), {
      changes: true,
      replaces: [],
    });
  });

  it("ignores adopt once the contact exists, and the outputs Chatwoot sets", async () => {
    assert.deepEqual(await diff({ ...desired, adopt: true }), { changes: false, replaces: [] });
    assert.deepEqual(await diff(desired, { ...recorded, contactId: 8, adopted: true }), {
      changes: false,
      replaces: [],
    });
  });

  it("shows a change for a value not known yet (a preview), replacing when the field replaces", async () => {
    assert.deepEqual(await diff({ ...desired, email: UNKNOWN }), { changes: true, replaces: [] });
    assert.deepEqual(await diff({ ...desired, labels: [UNKNOWN] }), { changes: true, replaces: [] });
    assert.deepEqual(await diff({ ...desired, accountId: UNKNOWN }), {
      changes: true,
      replaces: ["accountId"],
    });
  });
});

/** How recorded outputs and desired inputs compare: as JSON values, whatever the key order. */
describe("JSON equality", () => {
  it("ignores key order and keys that hold no value, and nothing else", () => {
    assert.equal(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }), true);
    assert.equal(deepEqual({ a: 1, gone: undefined }, { a: 1 }), true);
    assert.equal(deepEqual({ a: 1 }, { a: 1, gone: undefined }), true);
    assert.equal(deepEqual({ a: 1 }, { a: 1, b: null }), false);
    assert.equal(deepEqual({ a: 1, b: 2 }, { a: 1 }), false);
  });

  it("tells lists from objects, null from an empty object, and compares lists in order", () => {
    assert.equal(deepEqual(["a"], { 0: "a" }), false);
    assert.equal(deepEqual({ 0: "a" }, ["a"]), false);
    assert.equal(deepEqual([], {}), false);
    assert.equal(deepEqual(["a"], "a"), false);
    assert.equal(deepEqual("a", ["a"]), false);
    assert.equal(deepEqual(null, {}), false);
    assert.equal(deepEqual({}, null), false);
    assert.equal(deepEqual(["a", "b"], ["b", "a"]), false);
    assert.equal(deepEqual(["a"], ["a", "b"]), false);
    assert.equal(deepEqual([{ a: 1 }], [{ a: 1 }]), true);
    assert.equal(deepEqual("1", 1), false);
  });
});
