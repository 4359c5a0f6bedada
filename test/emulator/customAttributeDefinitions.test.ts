import assert from "node:assert/strict";
import {
  createContact,
  createConversation,
  FORBIDDEN,
  NOT_FOUND,
  useEmulator,
  type ApiClient,
} from "./helpers";

/**
 * Custom attribute definitions (chatwoot app/controllers/api/v1/accounts/custom_attribute_definitions_controller.rb,
 * app/models/custom_attribute_definition.rb) and the filters that read them
 * (app/services/filter_service.rb, app/services/filters/custom_attribute_filter_helper.rb), as 4.14.2
 * has them; test/emulator/releases.test.ts covers what changed within 4.x.
 */
describe("emulator: custom attribute definitions", () => {
  const bed = useEmulator();
  const PATH = "/custom_attribute_definitions";

  async function define(body: Record<string, unknown>, client: ApiClient = bed.admin) {
    const response = await client.post(PATH, { custom_attribute_definition: body });
    assert.equal(response.status, 200, response.text);
    return response.body;
  }

  it("creates, lists (by model), shows, updates in place and deletes; writes are for administrators", async () => {
    const agentWrite = await bed.agent.post(PATH, {
      custom_attribute_definition: { attribute_display_name: "Plan", attribute_key: "plan" },
    });
    assert.equal(agentWrite.status, 401);
    assert.deepEqual(agentWrite.body, FORBIDDEN);
    const bot = await bed.admin.get(PATH, { token: bed.emulator.botToken });
    assert.deepEqual(bot.body, { error: "Access to this endpoint is not authorized for bots" });

    // The table's defaults: a conversation attribute of type text, no values.
    const plain = await define({ attribute_display_name: "Order ref", attribute_key: "order_ref" });
    assert.deepEqual(
      { ...plain, created_at: undefined, updated_at: undefined },
      {
        id: plain.id,
        attribute_display_name: "Order ref",
        attribute_display_type: "text",
        attribute_description: null,
        attribute_key: "order_ref",
        regex_pattern: null,
        regex_cue: null,
        attribute_values: [],
        attribute_model: "conversation_attribute",
        default_value: null,
        created_at: undefined,
        updated_at: undefined,
      },
    );
    assert.match(plain.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Bare keys are wrapped (Rails' wrap_parameters); enums take their integer values too.
    const plan = await bed.admin.post(PATH, {
      attribute_display_name: "Plan",
      attribute_key: "plan",
      attribute_model: 1,
      attribute_display_type: "list",
      attribute_values: ["free", "pro"],
      attribute_description: "Billing plan",
    });
    assert.equal(plan.status, 200, plan.text);
    assert.equal(plan.body.attribute_model, "contact_attribute");

    const all = await bed.agent.get(PATH);
    assert.deepEqual(
      all.body.map((definition: { attribute_key: string }) => definition.attribute_key),
      ["order_ref", "plan"],
    );
    for (const model of ["contact_attribute", "1"]) {
      const contacts = await bed.agent.get(`${PATH}?attribute_model=${model}`);
      assert.deepEqual(
        contacts.body.map((definition: { id: number }) => definition.id),
        [plan.body.id],
        model,
      );
    }
    assert.deepEqual((await bed.agent.get(`${PATH}?attribute_model=other`)).body, []);
    const shown = await bed.agent.get(`${PATH}/${plan.body.id}`);
    // swagger.json's `custom_attribute` has every field a string; Chatwoot renders nulls and the jsonb array.
    assert.deepEqual(Object.keys(shown.body), Object.keys(plain));
    assert.deepEqual(shown.body.attribute_values, ["free", "pro"]);

    // Everything permitted changes in place, the key and the model included (the conflict check is on create only).
    assert.equal((await bed.agent.patch(`${PATH}/${plan.body.id}`, { attribute_key: "x" })).status, 401);
    assert.deepEqual((await bed.agent.patch(`${PATH}/999999`, { attribute_key: "x" })).body, NOT_FOUND);
    const updated = await bed.admin.patch(`${PATH}/${plan.body.id}`, {
      custom_attribute_definition: {
        attribute_display_name: "Tier",
        attribute_key: "tier",
        attribute_values: ["free", "pro", "enterprise"],
      },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.id, plan.body.id);
    assert.deepEqual(
      [updated.body.attribute_key, updated.body.attribute_display_name, updated.body.attribute_values],
      ["tier", "Tier", ["free", "pro", "enterprise"]],
    );
    assert.equal((await bed.admin.patch(`${PATH}/${plan.body.id}`, { attribute_key: "email" })).status, 200);

    assert.equal((await bed.agent.delete(`${PATH}/${plan.body.id}`)).status, 401);
    const deleted = await bed.admin.delete(`${PATH}/${plan.body.id}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, "");
    assert.deepEqual((await bed.admin.get(`${PATH}/${plan.body.id}`)).body, NOT_FOUND);
  });

  it("validates as the model does, with Rails' messages", async () => {
    const refused = async (body: unknown, expected: unknown, status = 422) => {
      const response = await bed.admin.post(PATH, body);
      assert.equal(response.status, status, response.text);
      assert.deepEqual(response.body, expected);
    };
    await refused({}, { error: "param is missing or the value is empty: custom_attribute_definition" });
    await refused(
      { custom_attribute_definition: { attribute_description: "nothing else" } },
      {
        message:
          "Attribute display name can't be blank, Attribute key can't be blank, " +
          "Attribute key must only contain letters, numbers, underscores, hyphens, and dots",
        attributes: ["attribute_display_name", "attribute_key"],
      },
    );
    await refused(
      {
        custom_attribute_definition: {
          attribute_display_name: "E",
          attribute_key: "email",
          attribute_model: "contact_attribute",
        },
      },
      {
        message:
          "Attribute key The provided key is not allowed as it might conflict with default attributes.",
        attributes: ["attribute_key"],
      },
    );
    await refused(
      { custom_attribute_definition: { attribute_display_name: "Bad", attribute_key: "two words" } },
      {
        message: "Attribute key must only contain letters, numbers, underscores, hyphens, and dots",
        attributes: ["attribute_key"],
      },
    );
    // An enum value that is neither a name nor an integer raises ArgumentError, which nothing rescues.
    const internal = { status: 500, error: "Internal Server Error" };
    await refused(
      {
        custom_attribute_definition: {
          attribute_display_name: "T",
          attribute_key: "t",
          attribute_display_type: "1",
        },
      },
      internal,
      500,
    );
    await refused(
      {
        custom_attribute_definition: {
          attribute_display_name: "T",
          attribute_key: "t",
          attribute_model: "lead",
        },
      },
      internal,
      500,
    );

    // The key is unique per account and model, compared exactly, after stripping.
    const stripped = await define({
      attribute_display_name: "  Score ",
      attribute_key: " score\t",
      attribute_model: "contact_attribute",
    });
    assert.deepEqual([stripped.attribute_key, stripped.attribute_display_name], ["score", "Score"]);
    await refused(
      {
        custom_attribute_definition: {
          attribute_display_name: "S",
          attribute_key: "score",
          attribute_model: "contact_attribute",
        },
      },
      { message: "Attribute key has already been taken", attributes: ["attribute_key"] },
    );
    await define({
      attribute_display_name: "S",
      attribute_key: "Score",
      attribute_model: "contact_attribute",
    });
    await define({
      attribute_display_name: "S",
      attribute_key: "score",
      attribute_model: "conversation_attribute",
    });
    const other = bed.emulator.createAccount({ name: "Other" });
    const elsewhere = await bed.admin.post(
      `${bed.emulator.url}/api/v1/accounts/${other.accountId}/custom_attribute_definitions`,
      { attribute_display_name: "S", attribute_key: "score", attribute_model: "contact_attribute" },
      { token: other.adminToken },
    );
    assert.equal(elsewhere.status, 200, elsewhere.text);
  });

  describe("filters on defined custom attributes", () => {
    async function contactsMatching(
      payload: unknown[],
    ): Promise<{ status: number; names: string[]; body: unknown }> {
      const response = await bed.admin.post("/contacts/filter", { payload });
      const names =
        response.status === 200
          ? response.body.payload.map((contact: { name: string }) => contact.name).sort()
          : [];
      return { status: response.status, names, body: response.body };
    }
    const condition = (key: string, operator: string, values: unknown[] = [], queryOperator?: string) => ({
      attribute_key: key,
      filter_operator: operator,
      values,
      ...(queryOperator === undefined ? {} : { query_operator: queryOperator }),
    });

    async function seedContacts(): Promise<void> {
      const people: Array<[string, Record<string, unknown>]> = [
        ["Ann", { plan: "Pro", score: 10, signup: "2024-03-01", vip: true, fee: 5 }],
        ["Bob", { plan: "free", score: 9, signup: "2023-12-31", vip: false }],
        ["Cid", {}],
      ];
      for (const [name, customAttributes] of people) {
        await createContact(bed.admin, {
          name,
          email: `${name}@example.com`,
          custom_attributes: customAttributes,
        });
      }
    }
    const contactDefinitions: Array<[string, string]> = [
      ["plan", "list"],
      ["score", "number"],
      ["signup", "date"],
      ["vip", "checkbox"],
      ["fee", "currency"],
    ];
    async function defineContactAttributes(): Promise<void> {
      for (const [key, type] of contactDefinitions) {
        await define({
          attribute_display_name: key,
          attribute_key: key,
          attribute_model: "contact_attribute",
          attribute_display_type: type,
        });
      }
    }

    it("refuses a key nobody defined for the filter's model, and takes it once defined", async () => {
      await seedContacts();
      await define({
        attribute_display_name: "Plan",
        attribute_key: "plan",
        attribute_model: "conversation_attribute",
      });
      const undefinedKey = await contactsMatching([condition("plan", "equal_to", ["pro"])]);
      assert.equal(undefinedKey.status, 422);
      assert.match(JSON.stringify(undefinedKey.body), /Invalid attribute key - \[plan\]/);
      await define({
        attribute_display_name: "Plan",
        attribute_key: "plan",
        attribute_model: "contact_attribute",
      });
      assert.deepEqual((await contactsMatching([condition("plan", "equal_to", ["pro"])])).names, ["Ann"]);
    });

    it("compares by the definition's type: text ignoring case, numbers, dates and booleans by value", async () => {
      await seedContacts();
      await defineContactAttributes();
      const cases: Array<[unknown[], string[]]> = [
        [[condition("plan", "equal_to", ["PRO"])], ["Ann"]],
        [[condition("plan", "contains", ["RE"])], ["Bob"]],
        // Numerically 10 > 9, where text would put "10" first.
        [[condition("score", "is_greater_than", ["9.5"])], ["Ann"]],
        [[condition("score", "equal_to", ["10.0"])], ["Ann"]],
        [[condition("signup", "is_less_than", ["2024-01-01"])], ["Bob"]],
        // Before today less one day (both dates are in the past).
        [[condition("signup", "days_before", ["1"])], ["Ann", "Bob"]],
        [[condition("vip", "equal_to", [true])], ["Ann"]],
        [[condition("score", "is_present")], ["Ann", "Bob"]],
        [[condition("score", "is_not_present")], ["Cid"]],
        // `not_equal_to` last ORs in the rows without the attribute (`… OR (…) IS NULL`), past the AND before it.
        [
          [condition("vip", "equal_to", [true], "AND"), condition("plan", "not_equal_to", ["free"])],
          ["Ann", "Cid"],
        ],
      ];
      for (const [payload, names] of cases) {
        const result = await contactsMatching(payload);
        assert.equal(result.status, 200, JSON.stringify([payload, result.body]));
        assert.deepEqual(result.names, names, JSON.stringify(payload));
      }
    });

    it("fails (500) where Chatwoot's SQL does, and refuses comparisons it cannot coerce (422)", async () => {
      await seedContacts();
      await defineContactAttributes();
      const failures: Array<[unknown[], number]> = [
        // `not_equal_to` followed by another condition writes `AND OR`.
        [[condition("plan", "not_equal_to", ["free"], "AND"), condition("score", "is_present")], 500],
        // Currency has no SQL type: `(…)::` is a syntax error.
        [[condition("fee", "equal_to", ["5"])], 500],
        // ILIKE on a number; a value a number cannot be.
        [[condition("score", "contains", ["1"])], 500],
        [[condition("score", "equal_to", ["ten"])], 500],
        // From 4.12.0 only dates and numbers compare.
        [[condition("plan", "is_greater_than", ["a"])], 422],
        [[condition("score", "is_greater_than", ["ten"])], 422],
      ];
      for (const [payload, status] of failures) {
        assert.equal((await contactsMatching(payload)).status, status, JSON.stringify(payload));
      }
      // A stored value the type cannot read fails the query when Postgres reaches it.
      await createContact(bed.admin, {
        name: "Dee",
        email: "dee@example.com",
        custom_attributes: { score: "lots" },
      });
      assert.equal((await contactsMatching([condition("score", "is_present")])).status, 500);
    });

    it("filters conversations on conversation attributes, lower-casing later conditions' first value", async () => {
      const inboxId = bed.emulator.inboxId;
      await define({
        attribute_display_name: "Order",
        attribute_key: "order_ref",
        attribute_display_type: "text",
      });
      const { conversationId } = await createConversation(bed.admin, inboxId, {
        custom_attributes: { order_ref: "R-77" },
        additional_attributes: { browser_language: "EN", mail_subject: "Refund" },
      });
      await createConversation(bed.admin, inboxId, { custom_attributes: { order_ref: "R-78" } });
      const filter = async (payload: unknown[]) => {
        const response = await bed.admin.post("/conversations/filter", { payload });
        assert.equal(response.status, 200, response.text);
        return response.body.payload.map((conversation: { id: number }) => conversation.id);
      };
      assert.deepEqual(await filter([condition("order_ref", "equal_to", ["r-77"])]), [conversationId]);
      const language = condition("browser_language", "equal_to", ["EN"]);
      assert.deepEqual(await filter([language]), [conversationId]);
      // After a custom attribute, `case_insensitive_values` binds "en", which "EN" is not.
      assert.deepEqual(await filter([condition("order_ref", "equal_to", ["r-77"], "AND"), language]), []);
      // `contains` binds every value, as before.
      const anySubject = condition("mail_subject", "contains", ["xx", "refund"]);
      assert.deepEqual(await filter([condition("order_ref", "equal_to", ["r-77"], "AND"), anySubject]), [
        conversationId,
      ]);
    });
  });
});
