import assert from "node:assert/strict";
import {
  ACCOUNT_PATH,
  assertMatchesSchema,
  createContact,
  createConversation,
  NOT_FOUND,
  useEmulator,
  type JsonBody,
} from "./helpers";

describe("emulator: messages", () => {
  const bed = useEmulator();

  async function webWidgetConversation(): Promise<number> {
    const inbox = await bed.admin.post("/inboxes", {
      name: "Site",
      channel: { type: "web_widget", website_url: "test.com" },
    });
    assert.equal(inbox.status, 200, inbox.text);
    const contact = await createContact(bed.admin, { name: "visitor" });
    const conversation = await bed.admin.post("/conversations", {
      inbox_id: inbox.body.id,
      contact_id: contact.contact.id,
    });
    assert.equal(conversation.status, 200, conversation.text);
    return conversation.body.id;
  }

  describe("POST /conversations/:id/messages", () => {
    it("creates an outgoing private note from the caller, integer message_type, echo_id and source_id", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const response = await bed.agent.post(`/conversations/${conversationId}/messages`, {
        content: "test-message",
        private: true,
        echo_id: "temp-1",
        source_id: "wamid.1",
        content_attributes: { external: true },
      });
      assert.equal(response.status, 200);
      assertMatchesSchema("post", `${ACCOUNT_PATH}/conversations/{conversation_id}/messages`, response.body);
      const message = response.body;
      assert.equal(message.content, "test-message");
      assert.equal(message.message_type, 1);
      assert.equal(message.content_type, "text");
      assert.equal(message.status, "sent");
      assert.equal(message.private, true);
      assert.equal(message.echo_id, "temp-1");
      assert.equal(message.source_id, "wamid.1");
      assert.equal(message.conversation_id, conversationId);
      assert.deepEqual(message.content_attributes, { external: true });
      assert.deepEqual(message.sender, {
        id: bed.emulator.agentId,
        name: "Agent",
        available_name: "Agent",
        avatar_url: "",
        type: "user",
        availability_status: "offline",
        thumbnail: "",
      });
      const listed = await bed.agent.get(`/conversations/${conversationId}/messages`);
      const stored = listed.body.payload.find((entry: JsonBody) => entry.id === message.id);
      assert.ok(!("echo_id" in stored), "echo_id is not stored");
      assert.equal(stored.source_id, "wamid.1");
    });

    it("attributes incoming messages to the contact, only in API inboxes", async () => {
      const { conversationId, contactId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const incoming = await bed.agent.post(`/conversations/${conversationId}/messages`, {
        content: "from the customer",
        message_type: "incoming",
      });
      assert.equal(incoming.body.message_type, 0);
      assert.equal(incoming.body.sender.type, "contact");
      assert.equal(incoming.body.sender.id, contactId);
      const contact = await bed.agent.get(`/contacts/${contactId}`);
      assert.equal(typeof contact.body.payload.last_activity_at, "number");

      const widgetConversation = await webWidgetConversation();
      const refused = await bed.admin.post(`/conversations/${widgetConversation}/messages`, {
        content: "x",
        message_type: "incoming",
      });
      assert.equal(refused.status, 422);
      assert.deepEqual(refused.body, { error: "Incoming messages are only allowed in Api inboxes" });
    });

    it("reopens a resolved conversation on an incoming message with the system activity message", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      await bed.admin.post(`/conversations/${conversationId}/toggle_status`, { status: "resolved" });
      await bed.agent.post(`/conversations/${conversationId}/messages`, {
        content: "again",
        message_type: "incoming",
      });
      const conversation = await bed.agent.get(`/conversations/${conversationId}`);
      assert.equal(conversation.body.status, "open");
      const messages = await bed.agent.get(`/conversations/${conversationId}/messages`);
      assert.deepEqual(
        messages.body.payload.map((message: JsonBody) => [message.message_type, message.content]),
        [
          [2, "Conversation was marked resolved by Admin"],
          [0, "again"],
          [2, "System reopened the conversation due to a new incoming message."],
        ],
      );
    });

    it("refuses content over 150,000 characters with the exact validation text", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const response = await bed.agent.post(`/conversations/${conversationId}/messages`, {
        content: `${"h".repeat(150_000)}a`,
        private: true,
      });
      assert.equal(response.status, 422);
      assert.deepEqual(response.body, {
        error: "Validation failed: Content is too long (maximum is 150000 characters)",
      });
      const exact = await bed.agent.post(`/conversations/${conversationId}/messages`, {
        content: "h".repeat(150_000),
      });
      assert.equal(exact.status, 200);
    });

    it("answers 422 with the enum error for an unknown message_type or content_type", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const type = await bed.agent.post(`/conversations/${conversationId}/messages`, {
        content: "x",
        message_type: "foo",
      });
      assert.deepEqual(type.body, { error: "'foo' is not a valid message_type" });
      const contentType = await bed.agent.post(`/conversations/${conversationId}/messages`, {
        content: "x",
        content_type: "video",
      });
      assert.deepEqual(contentType.body, { error: "'video' is not a valid content_type" });
    });

    it("validates structured content attributes", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const path = `/conversations/${conversationId}/messages`;
      const select = await bed.agent.post(path, {
        content_type: "input_select",
        content_attributes: { items: [{ title: "Yes", value: "yes" }] },
      });
      assert.equal(select.status, 200);
      assert.equal(select.body.content, null);
      const badKeys = await bed.agent.post(path, {
        content_type: "input_select",
        content_attributes: { items: [{ title: "Yes", colour: "red" }] },
      });
      assert.deepEqual(badKeys.body, {
        error: "Validation failed: Content attributes contains invalid keys for items : [:colour]",
      });
    });

    it("attributes an outgoing message to a bot with sender_type AgentBot and stores external_created_at", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const response = await bed.agent.post(`/conversations/${conversationId}/messages`, {
        content: "from the bot",
        sender_type: "AgentBot",
        sender_id: bed.emulator.botId,
        external_created_at: "2024-01-01 00:00:00 UTC",
      });
      assert.deepEqual(response.body.sender, {
        id: bed.emulator.botId,
        name: "Emulated Bot",
        avatar_url: "",
        type: "agent_bot",
      });
      assert.equal(response.body.content_attributes.external_created_at, "2024-01-01 00:00:00 UTC");
    });

    it("accepts bot tokens on the bot allow-list", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.inboxId);
      const bot = bed.admin.withToken(bed.emulator.botToken);
      const created = await bot.post(`/conversations/${conversationId}/messages`, {
        content: "hello from bot",
      });
      assert.equal(created.status, 200);
      assert.equal(created.body.sender.type, "agent_bot");
      const listing = await bot.get(`/conversations/${conversationId}/messages`);
      assert.equal(listing.status, 401);
      assert.deepEqual(listing.body, { error: "Access to this endpoint is not authorized for bots" });
    });

    it("limits a conversation to 200 messages per minute", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const path = `/conversations/${conversationId}/messages`;
      for (let index = 0; index < 200; index += 1) {
        const response = await bed.agent.post(path, { content: `m${index}` });
        assert.equal(response.status, 200, `message ${index}`);
      }
      const refused = await bed.agent.post(path, { content: "one too many" });
      assert.equal(refused.status, 422);
      assert.deepEqual(refused.body, { error: "Validation failed: Too many messages" });
    });

    it("answers 404 for an unknown conversation and 401 for a conversation the agent cannot see", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.otherInboxId);
      assert.equal(
        (await bed.agent.post(`/conversations/${conversationId}/messages`, { content: "x" })).status,
        401,
      );
      const missing = await bed.agent.post("/conversations/999/messages", { content: "x" });
      assert.deepEqual(missing.body, NOT_FOUND);
    });
  });

  describe("GET /conversations/:id/messages", () => {
    it("returns the latest 20 in ascending order, with before/after paging and meta", async () => {
      const { conversationId, contactId } = await createConversation(bed.agent, bed.emulator.inboxId, {
        assignee_id: bed.emulator.agentId,
      });
      const ids: number[] = [];
      for (let index = 0; index < 25; index += 1) {
        const response = await bed.agent.post(`/conversations/${conversationId}/messages`, {
          content: `m${index}`,
        });
        ids.push(response.body.id);
      }
      const path = `/conversations/${conversationId}/messages`;
      const latest = await bed.agent.get(path);
      assert.equal(latest.status, 200);
      assertMatchesSchema("get", `${ACCOUNT_PATH}/conversations/{conversation_id}/messages`, latest.body);
      const contents = latest.body.payload.map((message: JsonBody) => message.content);
      assert.equal(contents.length, 20);
      assert.equal(contents[19], "m24");
      assert.equal(latest.body.meta.contact.id, contactId);
      assert.equal(latest.body.meta.assignee.id, bed.emulator.agentId);
      const before = await bed.agent.get(`${path}?before=${ids[5]}`);
      assert.deepEqual(
        before.body.payload
          .filter((message: JsonBody) => message.message_type !== 2)
          .map((m: JsonBody) => m.content),
        ["m0", "m1", "m2", "m3", "m4"],
      );
      const after = await bed.agent.get(`${path}?after=${ids[22]}`);
      assert.deepEqual(
        after.body.payload.map((message: JsonBody) => message.content),
        ["m23", "m24"],
      );
    });
  });

  describe("DELETE /conversations/:id/messages/:message_id", () => {
    it("soft-deletes: placeholder content, text type, {deleted: true}", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const created = await bed.agent.post(`/conversations/${conversationId}/messages`, {
        content: "secret",
        content_attributes: { bcc_emails: ["hello@chatwoot.com"] },
      });
      const response = await bed.agent.delete(`/conversations/${conversationId}/messages/${created.body.id}`);
      assert.equal(response.status, 200);
      assert.equal(response.body.content, "This message was deleted");
      assert.equal(response.body.content_type, "text");
      assert.deepEqual(response.body.content_attributes, { deleted: true });
      const missing = await bed.agent.delete(`/conversations/${conversationId}/messages/99999`);
      assert.equal(missing.status, 404);
    });
  });

  describe("PATCH /conversations/:id/messages/:message_id", () => {
    it("updates delivery status in API inboxes and answers 403 elsewhere", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const created = await bed.agent.post(`/conversations/${conversationId}/messages`, { content: "x" });
      const failed = await bed.agent.patch(`/conversations/${conversationId}/messages/${created.body.id}`, {
        status: "failed",
        external_error: "err123",
      });
      assert.equal(failed.status, 200);
      assert.equal(failed.body.status, "failed");
      assert.equal(failed.body.content_attributes.external_error, "err123");
      const widgetConversation = await webWidgetConversation();
      const refused = await bed.admin.patch(`/conversations/${widgetConversation}/messages/999`, {
        status: "read",
      });
      assert.equal(refused.status, 403);
      assert.deepEqual(refused.body, { error: "Message status update is only allowed for API inboxes" });
    });

    it("answers 422 when retrying an unknown message", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const response = await bed.agent.post(`/conversations/${conversationId}/messages/99999/retry`);
      assert.equal(response.status, 422);
    });
  });
});
