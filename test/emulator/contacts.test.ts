import assert from "node:assert/strict";
import {
  ACCOUNT_PATH,
  assertMatchesSchema,
  createContact,
  eventually,
  FORBIDDEN,
  NOT_FOUND,
  NOT_SIGNED_IN,
  useEmulator,
} from "./helpers";

describe("emulator: contacts", () => {
  const bed = useEmulator();

  describe("POST /contacts", () => {
    it("creates a contact, lower-cases the email and answers 200 with payload.contact and an empty contact_inbox", async () => {
      const response = await bed.agent.post("/contacts", {
        name: "Ann Lee",
        email: "Ann.Lee@Example.COM",
        phone_number: "+14155550100",
        identifier: "crm-1",
        custom_attributes: { plan: "gold" },
        additional_attributes: { city: "Lisbon" },
        ignored: "x",
      });
      assert.equal(response.status, 200);
      const { contact, contact_inbox: contactInbox } = response.body.payload;
      assert.equal(contact.email, "ann.lee@example.com");
      assert.equal(contact.name, "Ann Lee");
      assert.equal(contact.phone_number, "+14155550100");
      assert.equal(contact.identifier, "crm-1");
      assert.deepEqual(contact.custom_attributes, { plan: "gold" });
      assert.deepEqual(contact.contact_inboxes, []);
      assert.equal(typeof contact.created_at, "number");
      assert.ok(!("last_activity_at" in contact), "last_activity_at is omitted while null");
      assert.deepEqual(contactInbox, { inbox: null, source_id: null });
    });

    it("creates an unnamed contact from an empty body", async () => {
      const response = await bed.admin.post("/contacts", {});
      assert.equal(response.status, 200);
      assert.equal(response.body.payload.contact.name, "");
      assert.equal(response.body.payload.contact.email, null);
    });

    it("creates the contact inbox when inbox_id is given, embedding the raw inbox record", async () => {
      const response = await bed.admin.post("/contacts", {
        name: "A",
        inbox_id: bed.emulator.inboxId,
        source_id: "s-1",
      });
      assert.equal(response.status, 200);
      const { contact, contact_inbox: contactInbox } = response.body.payload;
      assert.equal(contactInbox.source_id, "s-1");
      assert.equal(contactInbox.inbox.id, bed.emulator.inboxId);
      assert.equal(contactInbox.inbox.account_id, bed.emulator.accountId);
      assert.equal(contactInbox.inbox.sender_name_type, "friendly");
      assert.match(contactInbox.inbox.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.deepEqual(contact.contact_inboxes, [
        {
          source_id: "s-1",
          inbox: {
            id: bed.emulator.inboxId,
            avatar_url: "",
            channel_id: contactInbox.inbox.channel_id,
            name: "API Inbox",
            channel_type: "Channel::Api",
            provider: null,
          },
        },
      ]);
    });

    it("generates a UUID source id for API inboxes when none is given", async () => {
      const payload = await createContact(bed.admin, { name: "A", inbox_id: bed.emulator.inboxId });
      assert.match(payload.contact_inbox.source_id, /^[0-9a-f-]{36}$/);
    });

    it("rolls the contact back with a 404 when the inbox does not exist", async () => {
      const response = await bed.admin.post("/contacts", { email: "gone@example.com", inbox_id: 999_999 });
      assert.equal(response.status, 404);
      assert.deepEqual(response.body, NOT_FOUND);
      const again = await bed.admin.post("/contacts", { email: "gone@example.com" });
      assert.equal(again.status, 200, "the first contact must not exist");
    });

    it("answers 500 and rolls back when the source id belongs to another contact of an API inbox", async () => {
      await createContact(bed.admin, { name: "A", inbox_id: bed.emulator.inboxId, source_id: "taken" });
      const response = await bed.admin.post("/contacts", {
        email: "second@example.com",
        inbox_id: bed.emulator.inboxId,
        source_id: "taken",
      });
      assert.equal(response.status, 500);
      assert.deepEqual(response.body, { status: 500, error: "Internal Server Error" });
      const list = await bed.admin.get("/contacts");
      assert.equal(list.body.meta.count, 0);
    });

    it("refuses duplicates per account: email case-insensitively, identifier case-sensitively, phone exactly", async () => {
      await createContact(bed.admin, {
        email: "dup@example.com",
        identifier: "Id-1",
        phone_number: "+14155550101",
      });
      const email = await bed.admin.post("/contacts", { email: "DUP@example.com" });
      assert.equal(email.status, 422);
      assert.deepEqual(email.body, { message: "Email has already been taken", attributes: ["email"] });
      const identifier = await bed.admin.post("/contacts", { identifier: "Id-1" });
      assert.deepEqual(identifier.body, {
        message: "Identifier has already been taken",
        attributes: ["identifier"],
      });
      const otherCase = await bed.admin.post("/contacts", { identifier: "id-1" });
      assert.equal(otherCase.status, 200);
      const phone = await bed.admin.post("/contacts", { phone_number: "+14155550101" });
      assert.deepEqual(phone.body, {
        message: "Phone number has already been taken",
        attributes: ["phone_number"],
      });
    });

    it("allows the same email in another account", async () => {
      await createContact(bed.admin, { email: "shared@example.com" });
      const other = bed.emulator.createAccount();
      const response = await bed.admin
        .withToken(other.adminToken)
        .request("POST", `${bed.emulator.url}/api/v1/accounts/${other.accountId}/contacts`, {
          email: "shared@example.com",
        });
      assert.equal(response.status, 200);
    });

    it("lets one user administer two accounts, as Chatwoot users can", async () => {
      const second = bed.emulator.createAccount({ adminToken: bed.emulator.adminToken });
      assert.equal(second.adminId, bed.emulator.adminId);
      const response = await bed.admin.request(
        "POST",
        `${bed.emulator.url}/api/v1/accounts/${second.accountId}/contacts`,
        {
          email: "second@example.com",
        },
      );
      assert.equal(response.status, 200);
      const profile = await bed.admin.request("GET", `${bed.emulator.url}/api/v1/profile`);
      assert.deepEqual(
        profile.body.accounts
          .map((account: { id: number; role: string }) => [account.id, account.role])
          .sort(),
        [
          [bed.emulator.accountId, "administrator"],
          [second.accountId, "administrator"],
        ],
      );
    });

    it("checks the phone number with the end-anchored E.164 pattern", async () => {
      const quirk = await bed.admin.post("/contacts", { phone_number: "abc+14155550100" });
      assert.equal(quirk.status, 200, "only the end of the string is anchored");
      for (const bad of ["+1 415 555 0100", "14155550100", "+0123"]) {
        const response = await bed.admin.post("/contacts", { phone_number: bad });
        assert.equal(response.status, 422, bad);
        assert.deepEqual(response.body, {
          message: "Phone number should be in e164 format",
          attributes: ["phone_number"],
        });
      }
    });

    it("joins several validation failures", async () => {
      const response = await bed.admin.post("/contacts", { email: "not-an-email", phone_number: "123" });
      assert.deepEqual(response.body, {
        message: "Email Invalid email, Phone number should be in e164 format",
        attributes: ["email", "phone_number"],
      });
    });

    it("caps string columns at 255 characters", async () => {
      const response = await bed.admin.post("/contacts", { name: "test".repeat(999) });
      assert.equal(response.status, 422);
      assert.equal(response.body.message, "Name is too long (maximum is 255 characters)");
      const atLimit = await bed.admin.post("/contacts", { name: "é".repeat(255) });
      assert.equal(atLimit.status, 200);
    });

    it("answers 500 for a second blank identifier (database unique index)", async () => {
      await createContact(bed.admin, { name: "a", identifier: "" });
      const response = await bed.admin.post("/contacts", { name: "b", identifier: "" });
      assert.equal(response.status, 500);
    });
  });

  describe("GET /contacts", () => {
    it("lists only resolved contacts, 15 per page, with meta.count and the current_page quirk", async () => {
      await createContact(bed.admin, { name: "Only a name" });
      for (let index = 0; index < 16; index += 1) {
        await createContact(bed.admin, { name: `c${index}`, email: `c${index}@example.com` });
      }
      const first = await bed.agent.get("/contacts");
      assert.equal(first.status, 200);
      assertMatchesSchema("get", `${ACCOUNT_PATH}/contacts`, first.body);
      assert.equal(first.body.meta.count, 16);
      assert.equal(first.body.meta.current_page, 1);
      assert.equal(first.body.payload.length, 15);
      const second = await bed.agent.get("/contacts?page=2");
      assert.equal(second.body.meta.current_page, "2");
      assert.equal(second.body.payload.length, 1);
      assert.ok(!first.body.payload.some((contact: { name: string }) => contact.name === "Only a name"));
    });

    it("drops contact_inboxes with include_contact_inboxes=false", async () => {
      await createContact(bed.admin, { email: "a@example.com", inbox_id: bed.emulator.inboxId });
      const response = await bed.admin.get("/contacts?include_contact_inboxes=false");
      assert.ok(!("contact_inboxes" in response.body.payload[0]));
    });

    it("filters by labels[] (any of) and sorts with ?sort, NULLs last for company_name", async () => {
      const a = await createContact(bed.admin, {
        email: "a@example.com",
        additional_attributes: { company_name: "Acme" },
      });
      const b = await createContact(bed.admin, {
        email: "b@example.com",
        additional_attributes: { company_name: "Zeta" },
      });
      const c = await createContact(bed.admin, { email: "c@example.com" });
      await bed.admin.post(`/contacts/${a.contact.id}/labels`, { labels: ["vip"] });
      await bed.admin.post(`/contacts/${b.contact.id}/labels`, { labels: ["lead"] });
      const labelled = await bed.admin.get("/contacts?labels[]=vip&labels[]=lead");
      assert.equal(labelled.body.meta.count, 2);
      const sorted = await bed.admin.get("/contacts?sort=-company_name");
      assert.deepEqual(
        sorted.body.payload.map((contact: { id: number }) => contact.id),
        [b.contact.id, a.contact.id, c.contact.id],
      );
    });

    it("answers 401 without credentials and with a bad token", async () => {
      const anonymous = await bed.anonymous.get("/contacts");
      assert.equal(anonymous.status, 401);
      assert.deepEqual(anonymous.body, NOT_SIGNED_IN);
      const bad = await bed.anonymous.get("/contacts", { token: "nope" });
      assert.deepEqual(bad.body, { error: "Invalid Access Token" });
    });
  });

  describe("GET /contacts/search", () => {
    it("matches name/email/phone case-insensitively and identifier case-sensitively, 15 per page with has_more", async () => {
      await createContact(bed.admin, { name: "testcontact", email: "test@test.com" });
      await createContact(bed.admin, { name: "n1", identifier: "testidentifer" });
      await createContact(bed.admin, { name: "n2", identifier: "TestIdentifier" });
      const byEmail = await bed.admin.get("/contacts/search?q=Test@Test.com");
      assertMatchesSchema("get", `${ACCOUNT_PATH}/contacts/search`, byEmail.body);
      assert.deepEqual(byEmail.body.meta, { count: 1, current_page: 1, has_more: false });
      const byIdentifier = await bed.admin.get("/contacts/search?q=TestIdentifier");
      assert.deepEqual(
        byIdentifier.body.payload.map((contact: { identifier: string }) => contact.identifier),
        ["TestIdentifier"],
      );
      for (let index = 0; index < 16; index += 1)
        await createContact(bed.admin, { name: "searchable_contact" });
      const page1 = await bed.admin.get("/contacts/search?q=searchable_contact");
      assert.deepEqual(page1.body.meta, { count: 15, current_page: 1, has_more: true });
      const page2 = await bed.admin.get("/contacts/search?q=searchable_contact&page=2");
      assert.deepEqual(page2.body.meta, { count: 1, current_page: "2", has_more: false });
    });

    it("answers 200 with null counts for a blank q (the 422 guard never fires)", async () => {
      const response = await bed.admin.get("/contacts/search");
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {
        meta: { count: null, current_page: 1, has_more: null },
        payload: [],
      });
    });
  });

  describe("POST /contacts/filter", () => {
    it("filters with equal_to / not_equal_to on email, phone_number, identifier, name and country_code", async () => {
      const ann = await createContact(bed.admin, {
        name: "Ann",
        email: "ann@example.com",
        phone_number: "+14155550111",
        identifier: "ID-ANN",
        additional_attributes: { country_code: "US" },
      });
      await createContact(bed.admin, {
        name: "Bob",
        email: "bob@example.com",
        additional_attributes: { country_code: "US" },
      });
      const cases: [string, unknown[], number[]][] = [
        ["email", ["ANN@example.com"], [ann.contact.id]],
        ["phone_number", ["14155550111"], [ann.contact.id]],
        ["identifier", ["id-ann"], [ann.contact.id]],
        ["name", ["ann"], [ann.contact.id]],
      ];
      for (const [key, values, ids] of cases) {
        const response = await bed.admin.post("/contacts/filter", {
          payload: [{ attribute_key: key, filter_operator: "equal_to", values }],
        });
        assert.equal(response.status, 200, `${key}: ${response.text}`);
        assertMatchesSchema("post", `${ACCOUNT_PATH}/contacts/filter`, response.body);
        assert.deepEqual(
          response.body.payload.map((contact: { id: number }) => contact.id),
          ids,
          key,
        );
      }
      const country = await bed.admin.post("/contacts/filter", {
        payload: [{ attribute_key: "country_code", filter_operator: "equal_to", values: ["us"] }],
      });
      assert.equal(country.body.meta.count, 2);
      const notAnn = await bed.admin.post("/contacts/filter", {
        payload: [{ attribute_key: "email", filter_operator: "not_equal_to", values: ["ann@example.com"] }],
      });
      assert.deepEqual(
        notAnn.body.payload.map((contact: { name: string }) => contact.name),
        ["Bob"],
      );
    });

    it("combines conditions with AND binding tighter than OR", async () => {
      await createContact(bed.admin, { name: "Ann", email: "ann@example.com" });
      await createContact(bed.admin, { name: "Bob", email: "bob@example.com" });
      await createContact(bed.admin, { name: "Cid", email: "cid@example.com" });
      const response = await bed.admin.post("/contacts/filter", {
        payload: [
          { attribute_key: "name", filter_operator: "equal_to", values: ["ann"], query_operator: "or" },
          { attribute_key: "name", filter_operator: "equal_to", values: ["bob"], query_operator: "and" },
          { attribute_key: "email", filter_operator: "contains", values: ["nomatch"], query_operator: null },
        ],
      });
      assert.deepEqual(
        response.body.payload.map((contact: { name: string }) => contact.name),
        ["Ann"],
      );
    });

    it("answers Chatwoot's 422 texts for bad keys, operators, query operators and values", async () => {
      const expectations: [unknown, string][] = [
        [
          [{ attribute_key: "country_code", filter_operator: "eq", values: ["US"] }],
          "Invalid operator. The allowed operators for country_code are [equal_to,not_equal_to].",
        ],
        [
          [{ attribute_key: "country_code", filter_operator: "equal_to", values: [] }],
          "Invalid value. The values provided for country_code are invalid",
        ],
        [
          [{ attribute_key: "email", filter_operator: "equal_to", values: ["a"], query_operator: "xor" }],
          'Query operator must be either "AND" or "OR".',
        ],
        [
          [{ attribute_key: "shoe_size", filter_operator: "equal_to", values: ["9"] }],
          "Invalid attribute key - [shoe_size]. The key should be one of [name,phone_number,email,identifier,country_code,city,company_name,labels,created_at,last_activity_at,blocked] or a custom attribute defined in the account.",
        ],
      ];
      for (const [payload, error] of expectations) {
        const response = await bed.admin.post("/contacts/filter", { payload });
        assert.equal(response.status, 422);
        assert.deepEqual(response.body, { error });
      }
    });

    it("answers 500 for a payload that is not a list of conditions", async () => {
      const response = await bed.admin.post("/contacts/filter", {});
      assert.equal(response.status, 500);
    });
  });

  describe("GET /contacts/:id", () => {
    it("shows a contact of the account, 404 for another account's contact", async () => {
      const created = await createContact(bed.admin, { name: "Visible" });
      const response = await bed.agent.get(`/contacts/${created.contact.id}`);
      assert.equal(response.status, 200);
      assertMatchesSchema("get", `${ACCOUNT_PATH}/contacts/{id}`, response.body);
      assert.equal(response.body.payload.name, "Visible");
      const other = bed.emulator.createAccount();
      const elsewhere = await bed.admin
        .withToken(other.adminToken)
        .request(
          "GET",
          `${bed.emulator.url}/api/v1/accounts/${other.accountId}/contacts/${created.contact.id}`,
        );
      assert.equal(elsewhere.status, 404);
      assert.deepEqual((await bed.admin.get("/contacts/abc")).body, NOT_FOUND);
    });

    it("answers 401 for an account the user does not belong to", async () => {
      const other = bed.emulator.createAccount();
      const response = await bed.admin.request(
        "GET",
        `${bed.emulator.url}/api/v1/accounts/${other.accountId}/contacts`,
      );
      assert.deepEqual(response.body, { error: "You are not authorized to access this account" });
      const unknownAccount = await bed.admin.request(
        "GET",
        `${bed.emulator.url}/api/v1/accounts/999/contacts`,
      );
      assert.equal(unknownAccount.status, 404);
    });
  });

  describe("PATCH /contacts/:id", () => {
    it("replaces scalars and shallow-merges custom and additional attributes", async () => {
      const created = await createContact(bed.admin, {
        name: "Old",
        custom_attributes: { test: "test", test1: "test1" },
        additional_attributes: { attr1: "attr1", attr2: "attr2" },
      });
      const response = await bed.agent.patch(`/contacts/${created.contact.id}`, {
        name: "Test Blub",
        custom_attributes: { test: "new test", test2: "test2" },
        additional_attributes: { attr2: "new attr2", attr3: "attr3" },
      });
      assert.equal(response.status, 200);
      assert.equal(response.body.payload.name, "Test Blub");
      assert.deepEqual(response.body.payload.custom_attributes, {
        test: "new test",
        test1: "test1",
        test2: "test2",
      });
      assert.deepEqual(response.body.payload.additional_attributes, {
        attr1: "attr1",
        attr2: "new attr2",
        attr3: "attr3",
      });
      const put = await bed.agent.put(`/contacts/${created.contact.id}`, { blocked: true });
      assert.equal(put.body.payload.blocked, true);
    });

    it("refuses an email or phone number another contact holds", async () => {
      await createContact(bed.admin, { email: "test1@example.com", phone_number: "+12000000" });
      const created = await createContact(bed.admin, { name: "x" });
      const email = await bed.admin.patch(`/contacts/${created.contact.id}`, { email: "test1@example.com" });
      assert.equal(email.status, 422);
      assert.deepEqual(email.body.attributes, ["email"]);
      const phone = await bed.admin.patch(`/contacts/${created.contact.id}`, { phone_number: "+12000000" });
      assert.deepEqual(phone.body.attributes, ["phone_number"]);
    });

    it("answers 404 for an unknown contact", async () => {
      assert.equal((await bed.admin.patch("/contacts/999999", { name: "x" })).status, 404);
    });
  });

  describe("DELETE /contacts/:id", () => {
    it("is administrator-only, checked before the lookup", async () => {
      const created = await createContact(bed.admin, { name: "x" });
      const agent = await bed.agent.delete(`/contacts/${created.contact.id}`);
      assert.equal(agent.status, 401);
      assert.deepEqual(agent.body, FORBIDDEN);
      const missing = await bed.agent.delete("/contacts/999999");
      assert.equal(missing.status, 401, "policy before lookup");
      assert.equal((await bed.admin.delete("/contacts/999999")).status, 404);
    });

    it("answers 200 with an empty body and removes contact inboxes, conversations and messages shortly after", async () => {
      const created = await createContact(bed.admin, {
        name: "x",
        inbox_id: bed.emulator.inboxId,
        source_id: "gone-1",
      });
      const conversation = await bed.admin.post("/conversations", {
        source_id: "gone-1",
        message: { content: "hi" },
      });
      assert.equal(conversation.status, 200);
      const response = await bed.admin.delete(`/contacts/${created.contact.id}`);
      assert.equal(response.status, 200);
      assert.equal(response.text, "");
      assert.equal((await bed.admin.get(`/contacts/${created.contact.id}`)).status, 404);
      await eventually(async () => {
        assert.equal((await bed.admin.get(`/conversations/${conversation.body.id}`)).status, 404);
        assert.deepEqual(bed.emulator.summary()[0], {
          accountId: bed.emulator.accountId,
          name: "Emulated Account",
          contacts: 0,
          contactInboxes: 0,
          conversations: 0,
          messages: 0,
        });
      });
    });
  });

  describe("contact labels", () => {
    it("replaces the whole list and reads it back", async () => {
      const created = await createContact(bed.admin, { name: "x" });
      const path = `/contacts/${created.contact.id}/labels`;
      const first = await bed.agent.post(path, { labels: ["label1", "label2"] });
      assert.equal(first.status, 200);
      assertMatchesSchema("post", `${ACCOUNT_PATH}/contacts/{id}/labels`, first.body);
      const second = await bed.agent.post(path, { labels: ["label3", "label4", "LABEL3"] });
      assert.deepEqual(second.body, { payload: ["label3", "label4"] });
      const read = await bed.agent.get(path);
      assertMatchesSchema("get", `${ACCOUNT_PATH}/contacts/{id}/labels`, read.body);
      assert.deepEqual(read.body, { payload: ["label3", "label4"] });
      assert.equal((await bed.agent.get("/contacts/999999/labels")).status, 404);
    });
  });

  describe("POST /contacts/:id/destroy_custom_attributes", () => {
    it("removes the listed keys and returns the contact", async () => {
      const created = await createContact(bed.admin, {
        name: "x",
        custom_attributes: { test: "test", test1: "test1" },
      });
      const response = await bed.admin.post(`/contacts/${created.contact.id}/destroy_custom_attributes`, {
        custom_attributes: ["test"],
      });
      assert.equal(response.status, 200);
      assert.deepEqual(response.body.payload.custom_attributes, { test1: "test1" });
    });
  });

  describe("GET /contacts/:id/contactable_inboxes", () => {
    it("lists the API inboxes the caller may see, with the latest source id or a fresh UUID", async () => {
      const created = await createContact(bed.admin, {
        name: "x",
        inbox_id: bed.emulator.inboxId,
        source_id: "known",
      });
      const agent = await bed.agent.get(`/contacts/${created.contact.id}/contactable_inboxes`);
      assert.equal(agent.status, 200);
      assertMatchesSchema("get", `${ACCOUNT_PATH}/contacts/{id}/contactable_inboxes`, agent.body);
      assert.deepEqual(
        agent.body.payload.map((entry: { inbox: { id: number }; source_id: string }) => [
          entry.inbox.id,
          entry.source_id,
        ]),
        [[bed.emulator.inboxId, "known"]],
      );
      const admin = await bed.admin.get(`/contacts/${created.contact.id}/contactable_inboxes`);
      const other = admin.body.payload.find(
        (entry: { inbox: { id: number } }) => entry.inbox.id === bed.emulator.otherInboxId,
      );
      assert.match(other.source_id, /^[0-9a-f-]{36}$/);
    });
  });
});
