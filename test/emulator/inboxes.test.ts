import assert from "node:assert/strict";
import {
  ACCOUNT_PATH,
  assertMatchesSchema,
  createContact,
  eventually,
  FORBIDDEN,
  NOT_FOUND,
  useEmulator,
  type JsonBody,
} from "./helpers";

describe("emulator: inboxes", () => {
  const bed = useEmulator();

  /**
   * swagger.json's `inbox` schema describes a web widget inbox (the factory default of Chatwoot's
   * specs): API inboxes answer null for its widget fields, so only widget inboxes are validated.
   */
  async function createWidgetInbox(): Promise<JsonBody> {
    const response = await bed.admin.post("/inboxes", {
      name: "Website",
      channel: { type: "web_widget", website_url: "test.com" },
    });
    assert.equal(response.status, 200, response.text);
    assertMatchesSchema("post", `${ACCOUNT_PATH}/inboxes`, response.body);
    return response.body;
  }

  describe("GET /inboxes", () => {
    it("lists every inbox for administrators and only member inboxes for agents, by name", async () => {
      const widget = await createWidgetInbox();
      const admin = await bed.admin.get("/inboxes");
      assert.equal(admin.status, 200);
      assertMatchesSchema("get", `${ACCOUNT_PATH}/inboxes`, {
        payload: admin.body.payload.filter((inbox: JsonBody) => inbox.id === widget.id),
      });
      assert.deepEqual(
        admin.body.payload.map((inbox: { name: string }) => inbox.name),
        ["API Inbox", "Other API Inbox", "Website"],
      );
      const agent = await bed.agent.get("/inboxes");
      assert.deepEqual(
        agent.body.payload.map((inbox: { id: number }) => inbox.id),
        [bed.emulator.inboxId],
      );
    });

    it("shows API channel secrets to administrators only", async () => {
      const widget = await createWidgetInbox();
      assertMatchesSchema(
        "get",
        `${ACCOUNT_PATH}/inboxes/{id}`,
        (await bed.admin.get(`/inboxes/${widget.id}`)).body,
      );
      const admin = await bed.admin.get(`/inboxes/${bed.emulator.inboxId}`);
      assert.equal(admin.status, 200);
      assert.equal(admin.body.channel_type, "Channel::Api");
      assert.equal(typeof admin.body.hmac_token, "string");
      assert.equal(typeof admin.body.secret, "string");
      assert.equal(typeof admin.body.inbox_identifier, "string");
      assert.equal(admin.body.working_hours.length, 7);
      assert.equal(admin.body.provider, null);
      const agent = await bed.agent.get(`/inboxes/${bed.emulator.inboxId}`);
      assert.equal(agent.status, 200);
      assert.ok(!("hmac_token" in agent.body));
      assert.ok(!("secret" in agent.body));
    });

    it("answers 401 to agents for inboxes they are not in, 404 for unknown ids", async () => {
      const response = await bed.agent.get(`/inboxes/${bed.emulator.otherInboxId}`);
      assert.equal(response.status, 401);
      assert.deepEqual(response.body, FORBIDDEN);
      assert.deepEqual((await bed.admin.get("/inboxes/999999")).body, NOT_FOUND);
    });
  });

  describe("POST /inboxes", () => {
    it("creates an API inbox (administrators only)", async () => {
      const body = {
        name: "API Inbox 2",
        channel: { type: "api", webhook_url: "http://test.com", hmac_mandatory: true },
      };
      const agent = await bed.agent.post("/inboxes", body);
      assert.equal(agent.status, 401);
      const response = await bed.admin.post("/inboxes", body);
      assert.equal(response.status, 200);
      assert.equal(response.body.name, "API Inbox 2");
      assert.equal(response.body.webhook_url, "http://test.com");
      assert.equal(response.body.hmac_mandatory, true);
      const contact = await createContact(bed.admin, { name: "x", inbox_id: response.body.id });
      assert.equal(contact.contact_inbox.inbox.id, response.body.id);
    });

    it("creates web widget and email inboxes", async () => {
      const widget = await createWidgetInbox();
      assert.equal(widget.website_url, "test.com");
      assert.equal(widget.allow_messages_after_resolved, true);
      const email = await bed.admin.post("/inboxes", {
        name: "test",
        channel: { type: "email", email: "test@test.com" },
      });
      assert.equal(email.status, 200);
      assert.equal(email.body.email, "test@test.com");
    });

    it("validates the name, the channel type and the API channel's reply window", async () => {
      const noName = await bed.admin.post("/inboxes", { channel: { type: "api" } });
      assert.deepEqual(noName.body, { message: "Name can't be blank", attributes: ["name"] });
      const unknownType = await bed.admin.post("/inboxes", { name: "x", channel: { type: "fax" } });
      assert.deepEqual(unknownType.body, { message: "Channel must exist", attributes: ["channel"] });
      const window = await bed.admin.post("/inboxes", {
        name: "x",
        channel: { type: "api", additional_attributes: { agent_reply_time_window: 0 } },
      });
      assert.deepEqual(window.body, {
        message: "Agent reply time window agent_reply_time_window must be greater than 0",
        attributes: ["agent_reply_time_window"],
      });
      const greeting = await bed.admin.post("/inboxes", {
        name: "x",
        greeting_message: "x".repeat(10_001),
        channel: { type: "api" },
      });
      assert.deepEqual(greeting.body, {
        message: "Greeting message is too long (maximum is 10000 characters)",
        attributes: ["greeting_message"],
      });
    });
  });

  describe("PATCH /inboxes/:id", () => {
    it("a website inbox emails replies by default: continuity_via_email is on until turned off", async () => {
      // chatwoot app/models/channel/web_widget.rb: `continuity_via_email` defaults to true and is one of
      // the EDITABLE_ATTRS; Messages::SendEmailNotificationService emails outgoing replies while it is on.
      const widget = await createWidgetInbox();
      assert.equal(widget.continuity_via_email, true);
      const off = await bed.admin.patch(`/inboxes/${widget.id}`, {
        channel: { continuity_via_email: false },
      });
      assert.equal(off.status, 200, off.text);
      assert.equal((await bed.admin.get(`/inboxes/${widget.id}`)).body.continuity_via_email, false);
    });

    it("updates inbox and channel attributes (administrators only)", async () => {
      const response = await bed.admin.patch(`/inboxes/${bed.emulator.inboxId}`, {
        name: "Renamed",
        enable_auto_assignment: false,
        channel: { webhook_url: "webhook.test" },
      });
      assert.equal(response.status, 200);
      assert.equal(response.body.name, "Renamed");
      assert.equal(response.body.enable_auto_assignment, false);
      assert.equal(response.body.webhook_url, "webhook.test");
      const hours = await bed.admin.patch(`/inboxes/${bed.emulator.inboxId}`, {
        working_hours: [
          {
            day_of_week: 0,
            closed_all_day: false,
            open_hour: 9,
            open_minutes: 0,
            close_hour: 17,
            close_minutes: 0,
          },
        ],
      });
      assert.deepEqual(hours.body.working_hours[0], {
        day_of_week: 0,
        closed_all_day: false,
        open_hour: 9,
        open_minutes: 0,
        close_hour: 17,
        close_minutes: 0,
        open_all_day: false,
      });
      assert.equal((await bed.agent.patch(`/inboxes/${bed.emulator.inboxId}`, { name: "x" })).status, 401);
      const widget = await createWidgetInbox();
      const widgetUpdate = await bed.admin.patch(`/inboxes/${widget.id}`, {
        channel: { welcome_title: "Hi there" },
      });
      assertMatchesSchema("patch", `${ACCOUNT_PATH}/inboxes/{id}`, widgetUpdate.body);
      assert.equal(widgetUpdate.body.welcome_title, "Hi there");
    });
  });

  describe("DELETE /inboxes/:id", () => {
    it("accepts the deletion and removes the inbox with its conversations in the background", async () => {
      await createContact(bed.admin, {
        name: "x",
        inbox_id: bed.emulator.otherInboxId,
        source_id: "in-other",
      });
      await bed.admin.post("/conversations", { source_id: "in-other" });
      assert.equal((await bed.agent.delete(`/inboxes/${bed.emulator.inboxId}`)).status, 401);
      const response = await bed.admin.delete(`/inboxes/${bed.emulator.otherInboxId}`);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, {
        message: "Your inbox deletion request will be processed in some time.",
      });
      await eventually(async () => {
        assert.equal((await bed.admin.get(`/inboxes/${bed.emulator.otherInboxId}`)).status, 404);
        assert.equal(bed.emulator.summary()[0]?.conversations, 0);
        assert.equal(bed.emulator.summary()[0]?.contactInboxes, 0);
      });
      assert.equal((await bed.admin.delete("/inboxes/999999")).status, 404);
    });
  });

  describe("inbox members", () => {
    it("lists, adds, replaces and removes members (administrators only), changing what agents see", async () => {
      const path = `/inbox_members/${bed.emulator.otherInboxId}`;
      assert.deepEqual((await bed.admin.get(path)).body, { payload: [] });
      assert.equal((await bed.agent.get(path)).status, 401);
      assert.equal(
        (
          await bed.agent.post("/inbox_members", {
            inbox_id: bed.emulator.otherInboxId,
            user_ids: [bed.emulator.agentId],
          })
        ).status,
        401,
      );
      const added = await bed.admin.post("/inbox_members", {
        inbox_id: bed.emulator.otherInboxId,
        user_ids: [bed.emulator.agentId],
      });
      assert.equal(added.status, 200);
      assert.deepEqual(
        added.body.payload.map((agent: JsonBody) => agent.id),
        [bed.emulator.agentId],
      );
      assert.equal((await bed.agent.get(`/inboxes/${bed.emulator.otherInboxId}`)).status, 200);
      const replaced = await bed.admin.patch("/inbox_members", {
        inbox_id: bed.emulator.otherInboxId,
        user_ids: [bed.emulator.adminId],
      });
      assert.deepEqual(
        replaced.body.payload.map((agent: JsonBody) => agent.id),
        [bed.emulator.adminId],
      );
      assert.equal((await bed.agent.get(`/inboxes/${bed.emulator.otherInboxId}`)).status, 401);
      const removed = await bed.admin.request("DELETE", `${bed.admin.baseUrl}/inbox_members`, {
        inbox_id: bed.emulator.otherInboxId,
        user_ids: [bed.emulator.adminId],
      });
      assert.equal(removed.status, 200);
      assert.deepEqual((await bed.admin.get(path)).body, { payload: [] });
      assert.equal((await bed.admin.post("/inbox_members", { inbox_id: 999_999, user_ids: [] })).status, 404);
    });
  });
});
