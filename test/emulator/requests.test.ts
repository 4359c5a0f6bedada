import assert from "node:assert/strict";
import { assertMatchesSchema, NOT_SIGNED_IN, useEmulator } from "./helpers";

describe("emulator: authentication, profile and request handling", () => {
  const bed = useEmulator();

  describe("GET /api/v1/profile", () => {
    it("answers the token owner's profile with its accounts", async () => {
      const response = await bed.root.get("/api/v1/profile");
      assert.equal(response.status, 200);
      assertMatchesSchema("get", "/api/v1/profile", response.body);
      assert.equal(response.body.id, bed.emulator.adminId);
      assert.equal(response.body.access_token, bed.emulator.adminToken);
      assert.equal(response.body.role, "administrator");
      assert.deepEqual(
        response.body.accounts.map((account: { id: number; role: string }) => [account.id, account.role]),
        [[bed.emulator.accountId, "administrator"]],
      );
      const agent = await bed.root.get("/api/v1/profile", { token: bed.emulator.agentToken });
      assert.equal(agent.body.role, "agent");
      assert.ok(!("custom_attributes" in agent.body), "only when non-empty");
    });

    it("answers 401 without a token, with a bad token and with a bot token", async () => {
      assert.deepEqual((await bed.root.get("/api/v1/profile", { token: null })).body, NOT_SIGNED_IN);
      assert.deepEqual((await bed.root.get("/api/v1/profile", { token: "bad" })).body, {
        error: "Invalid Access Token",
      });
      assert.deepEqual((await bed.root.get("/api/v1/profile", { token: bed.emulator.botToken })).body, {
        error: "Access to this endpoint is not authorized for bots",
      });
    });
  });

  describe("POST /api/v1/profile/reset_access_token", () => {
    it("answers the profile with a new token, and the old one stops working at once", async () => {
      const old = bed.emulator.agentToken;
      const response = await bed.root.post("/api/v1/profile/reset_access_token", {}, { token: old });
      assert.equal(response.status, 200);
      assert.equal(response.body.id, bed.emulator.agentId);
      assert.notEqual(response.body.access_token, old);
      assert.deepEqual((await bed.root.get("/api/v1/profile", { token: old })).body, {
        error: "Invalid Access Token",
      });
      const renewed = await bed.root.get("/api/v1/profile", { token: response.body.access_token });
      assert.equal(renewed.body.id, bed.emulator.agentId);
    });
  });

  describe("PUT /api/v1/profile", () => {
    it("updates the name (wrapped or bare keys) and stores phone_number as a custom attribute", async () => {
      const wrapped = await bed.root.put("/api/v1/profile", {
        profile: { name: "New Name", message_signature: "Thanks" },
      });
      assert.equal(wrapped.status, 200);
      assertMatchesSchema("put", "/api/v1/profile", wrapped.body);
      assert.equal(wrapped.body.name, "New Name");
      assert.equal(wrapped.body.message_signature, "Thanks");
      const bare = await bed.root.patch("/api/v1/profile", { phone_number: "+123456789" });
      assert.deepEqual(bare.body.custom_attributes, { phone_number: "+123456789" });
      const missing = await bed.root.put("/api/v1/profile", {});
      assert.deepEqual(missing.body, { error: "param is missing or the value is empty: profile" });
    });
  });

  describe("check order", () => {
    it("authenticates before it looks up the account", async () => {
      const unknownAccount = `${bed.emulator.url}/api/v1/accounts/424242/contacts`;
      assert.deepEqual((await bed.root.get(unknownAccount, { token: "bad" })).body, {
        error: "Invalid Access Token",
      });
      assert.deepEqual((await bed.root.get(unknownAccount, { token: bed.emulator.botToken })).body, {
        error: "Access to this endpoint is not authorized for bots",
      });
      assert.deepEqual((await bed.root.get(unknownAccount)).body, { error: "Resource could not be found" });
      const other = bed.emulator.createAccount();
      const bot = await bed.root.post(
        `${bed.emulator.url}/api/v1/accounts/${other.accountId}/conversations`,
        {},
        {
          token: bed.emulator.botToken,
        },
      );
      assert.deepEqual(bot.body, { error: "Bot is not authorized to access this account" });
    });

    it("reads the token from api_access_token or api-access-token headers, never from the query", async () => {
      const dashed = await bed.anonymous.get("/contacts", {
        headers: { "api-access-token": bed.emulator.agentToken },
      });
      assert.equal(dashed.status, 200);
      const query = await bed.anonymous.get(`/contacts?api_access_token=${bed.emulator.agentToken}`);
      assert.deepEqual(query.body, NOT_SIGNED_IN);
    });
  });

  describe("request formats", () => {
    it("answers 400 to malformed JSON, as JSON only when the client accepts JSON", async () => {
      const plain = await bed.admin.post("/contacts", undefined, { raw: '{"name":' });
      assert.equal(plain.status, 400);
      assert.equal(plain.text, "");
      const json = await bed.admin.post("/contacts", undefined, {
        raw: "{",
        headers: { accept: "application/json" },
      });
      assert.equal(json.status, 400);
      assert.deepEqual(json.body, { status: 400, error: "Bad Request" });
      const anonymous = await bed.anonymous.post("/contacts", undefined, { raw: "{" });
      assert.equal(anonymous.status, 400, "the body is parsed before authentication");
    });

    it("accepts form bodies with Rails' nested keys", async () => {
      const response = await bed.admin.post("/contacts", undefined, {
        raw: "name=Form+Contact&email=form%40example.com&custom_attributes[plan]=gold",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.payload.contact.name, "Form Contact");
      assert.deepEqual(response.body.payload.contact.custom_attributes, { plan: "gold" });
    });

    it("routes a .json suffix and a trailing slash, and answers Rails' 404 page for unknown routes", async () => {
      assert.equal((await bed.admin.get("/contacts.json")).status, 200);
      assert.equal((await bed.admin.get("/contacts/")).status, 200);
      const unknown = await bed.admin.get("/unknown_things");
      assert.equal(unknown.status, 404);
      assert.match(unknown.headers.get("content-type") ?? "", /text\/html/);
      assert.equal((await bed.admin.delete("/contacts")).status, 404, "no such route for this method");
    });

    it("reads the text fields of multipart bodies", async () => {
      const form = new FormData();
      form.append("name", "Multipart");
      form.append("custom_attributes[tier]", "two");
      form.append("avatar", new Blob([Buffer.from([1, 2, 3])], { type: "image/png" }), "a.png");
      const response = await fetch(`${bed.admin.baseUrl}/contacts`, {
        method: "POST",
        headers: { api_access_token: bed.emulator.adminToken },
        body: form,
      });
      assert.equal(response.status, 200);
      const body = (await response.json()) as {
        payload: { contact: { name: string; custom_attributes: unknown } };
      };
      assert.equal(body.payload.contact.name, "Multipart");
      assert.deepEqual(body.payload.contact.custom_attributes, { tier: "two" });
    });

    it("ignores a JSON body that is not an object", async () => {
      const response = await bed.admin.post("/contacts", ["name", "x"]);
      assert.equal(response.status, 200);
      assert.equal(response.body.payload.contact.name, "");
    });
  });
});
