import assert from "node:assert/strict";
import {
  ACCOUNT_PATH,
  assertMatchesSchema,
  createContact,
  createConversation,
  eventually,
  FORBIDDEN,
  NOT_FOUND,
  useEmulator,
  type JsonBody,
} from "./helpers";

describe("emulator: conversations", () => {
  const bed = useEmulator();

  async function activityContents(conversationId: number): Promise<string[]> {
    const response = await bed.admin.get(`/conversations/${conversationId}/messages`);
    return response.body.payload
      .filter((message: JsonBody) => message.message_type === 2)
      .map((message: JsonBody) => message.content);
  }

  describe("POST /conversations", () => {
    it("resolves the contact inbox from inbox_id + contact_id + source_id and answers the conversation", async () => {
      const contact = await createContact(bed.admin, { name: "Jane", email: "jane@example.com" });
      const response = await bed.agent.post("/conversations", {
        inbox_id: bed.emulator.inboxId,
        contact_id: contact.contact.id,
        source_id: "jane-1",
        additional_attributes: { test: "test" },
        custom_attributes: { order: 42 },
      });
      assert.equal(response.status, 200);
      assertMatchesSchema("post", `${ACCOUNT_PATH}/conversations`, response.body);
      assertMatchesSchema("get", `${ACCOUNT_PATH}/conversations/{conversation_id}`, response.body);
      const body = response.body;
      assert.equal(body.id, 1, "ids are per-account display ids");
      assert.equal(body.account_id, bed.emulator.accountId);
      assert.equal(body.inbox_id, bed.emulator.inboxId);
      assert.equal(body.status, "open");
      assert.deepEqual(body.messages, []);
      assert.deepEqual(body.additional_attributes, { test: "test" });
      assert.deepEqual(body.custom_attributes, { order: 42 });
      assert.equal(body.meta.sender.id, contact.contact.id);
      assert.ok(!("contact_inboxes" in body.meta.sender));
      assert.equal(body.meta.channel, "Channel::Api");
      assert.equal(body.meta.hmac_verified, false);
      assert.equal(typeof body.updated_at, "number");
      assert.equal(body.first_reply_created_at, 0);
      assert.equal(body.agent_last_seen_at, 0);
      assert.equal(body.priority, null);
      const other = bed.emulator.createAccount();
      const elsewhere = await bed.admin
        .withToken(other.adminToken)
        .request("POST", `${bed.emulator.url}/api/v1/accounts/${other.accountId}/contacts`, {
          name: "x",
          inbox_id: other.inboxId,
        });
      const second = await bed.admin
        .withToken(other.adminToken)
        .request("POST", `${bed.emulator.url}/api/v1/accounts/${other.accountId}/conversations`, {
          source_id: elsewhere.body.payload.contact_inbox.source_id,
        });
      assert.equal(second.body.id, 1, "each account numbers its conversations from 1");
    });

    it("in an inbox locked to a single conversation answers the contact inbox's latest conversation, whatever its status", async () => {
      // chatwoot app/builders/conversation_builder.rb: `@contact_inbox.conversations.last` when the
      // inbox has `lock_to_single_conversation`; nothing sent is applied (no status condition).
      const patched = await bed.admin.patch(`/inboxes/${bed.emulator.inboxId}`, {
        lock_to_single_conversation: true,
      });
      assert.equal(patched.body.lock_to_single_conversation, true);
      const first = await createConversation(bed.admin, bed.emulator.inboxId, {
        additional_attributes: { pulumi_seed_id: "first" },
      });
      const second = await bed.admin.post("/conversations", {
        inbox_id: bed.emulator.inboxId,
        contact_id: first.contactId,
        source_id: first.sourceId,
        status: "pending",
        additional_attributes: { pulumi_seed_id: "second" },
      });
      await bed.admin.post(`/conversations/${first.conversationId}/toggle_status`, { status: "resolved" });
      const third = await bed.admin.post("/conversations", {
        inbox_id: bed.emulator.inboxId,
        contact_id: first.contactId,
        source_id: first.sourceId,
      });
      for (const answer of [second, third]) {
        assert.equal(answer.status, 200);
        assert.equal(answer.body.id, first.conversationId);
        assert.deepEqual(answer.body.additional_attributes, { pulumi_seed_id: "first" });
      }
      assert.equal(third.body.status, "resolved", "a resolved conversation is still the one answered");
      // Per contact inbox, not per contact: another session of the same contact gets its own.
      const elsewhere = await bed.admin.post("/conversations", {
        inbox_id: bed.emulator.inboxId,
        contact_id: first.contactId,
        source_id: `${first.sourceId}-2`,
      });
      assert.notEqual(elsewhere.body.id, first.conversationId);
      assert.equal((await bed.admin.get("/conversations?status=all")).body.data.meta.all_count, 2);
    });

    it("falls back to a global lookup by source_id alone", async () => {
      await createContact(bed.admin, { name: "x", inbox_id: bed.emulator.inboxId, source_id: "by-source" });
      const response = await bed.agent.post("/conversations", { source_id: "by-source", status: "pending" });
      assert.equal(response.status, 200);
      assert.equal(response.body.status, "pending");
      const unknown = await bed.agent.post("/conversations", { source_id: "nobody" });
      assert.equal(unknown.status, 404);
      assert.deepEqual(unknown.body, NOT_FOUND);
    });

    it("answers 422 'source_id should be unique' when another contact holds the source id in that inbox", async () => {
      await createContact(bed.admin, { name: "x", inbox_id: bed.emulator.inboxId, source_id: "held" });
      const newcomer = await createContact(bed.admin, { name: "y" });
      const response = await bed.admin.post("/conversations", {
        inbox_id: bed.emulator.inboxId,
        contact_id: newcomer.contact.id,
        source_id: "held",
      });
      assert.equal(response.status, 422);
      assert.deepEqual(response.body, { error: "source_id should be unique" });
    });

    it("answers 401 when the agent may not see the inbox, and 404 for unknown inbox or contact", async () => {
      const contact = await createContact(bed.admin, {
        name: "x",
        inbox_id: bed.emulator.otherInboxId,
        source_id: "other",
      });
      const bySource = await bed.agent.post("/conversations", { source_id: "other" });
      assert.equal(bySource.status, 401);
      assert.deepEqual(bySource.body, FORBIDDEN);
      const byInbox = await bed.agent.post("/conversations", {
        inbox_id: bed.emulator.otherInboxId,
        contact_id: contact.contact.id,
      });
      assert.equal(byInbox.status, 401);
      assert.equal(
        (await bed.admin.post("/conversations", { inbox_id: 999_999, contact_id: contact.contact.id }))
          .status,
        404,
      );
      assert.equal(
        (await bed.admin.post("/conversations", { inbox_id: bed.emulator.inboxId, contact_id: 999_999 }))
          .status,
        404,
      );
    });

    it("adds the initial message (outgoing, from the caller) in the same call", async () => {
      const { body } = await createConversation(bed.agent, bed.emulator.inboxId, {
        message: { content: "hi" },
      });
      assert.equal(body.messages.length, 1);
      assert.equal(body.messages[0].content, "hi");
      assert.equal(body.messages[0].message_type, 1);
      assert.equal(body.messages[0].sender.id, bed.emulator.agentId);
      assert.equal(body.last_non_activity_message.content, "hi");
      assert.notEqual(body.first_reply_created_at, 0);
    });

    it("creates nothing when the initial message is invalid (422 with message/attributes)", async () => {
      const contact = await createContact(bed.admin, { name: "x" });
      const response = await bed.admin.post("/conversations", {
        inbox_id: bed.emulator.inboxId,
        contact_id: contact.contact.id,
        message: { content: "x".repeat(150_001) },
      });
      assert.equal(response.status, 422);
      assert.deepEqual(response.body, {
        message: "Content is too long (maximum is 150000 characters)",
        attributes: ["content"],
      });
      const list = await bed.admin.get("/conversations?status=all");
      assert.equal(list.body.data.meta.all_count, 0);
    });

    it("sets assignee and team, dropping an assignee outside the team", async () => {
      const { body } = await createConversation(bed.agent, bed.emulator.inboxId, {
        assignee_id: bed.emulator.agentId,
        team_id: bed.emulator.teamId,
      });
      assert.equal(body.meta.assignee.name, "Agent");
      assert.equal(body.meta.assignee_type, "User");
      assert.deepEqual(body.meta.team, {
        id: bed.emulator.teamId,
        name: "support",
        description: "Front-line support",
        allow_auto_assign: true,
        account_id: bed.emulator.accountId,
        is_member: true,
      });
      const outsider = await createConversation(bed.admin, bed.emulator.inboxId, {
        assignee_id: bed.emulator.adminId,
        team_id: bed.emulator.teamId,
      });
      assert.ok(!("assignee" in outsider.body.meta));
    });

    it("answers 500 for an unknown status and 422 for an over-long custom attribute", async () => {
      const contact = await createContact(bed.admin, { name: "x" });
      const base = { inbox_id: bed.emulator.inboxId, contact_id: contact.contact.id };
      assert.equal((await bed.admin.post("/conversations", { ...base, status: "closed" })).status, 500);
      const long = await bed.admin.post("/conversations", {
        ...base,
        custom_attributes: { note: "x".repeat(1501) },
      });
      assert.equal(long.status, 422);
      assert.deepEqual(long.body, {
        message: "Custom attributes note length should be < 1500",
        attributes: ["custom_attributes"],
      });
    });

    it("resolves conversations of blocked contacts", async () => {
      const contact = await createContact(bed.admin, { name: "x", blocked: true });
      const response = await bed.admin.post("/conversations", {
        inbox_id: bed.emulator.inboxId,
        contact_id: contact.contact.id,
      });
      assert.equal(response.body.status, "resolved");
      assert.equal(response.body.muted, true);
    });
  });

  describe("GET /conversations", () => {
    it("lists open conversations by default inside data:{meta,payload}, with counts", async () => {
      const open = await createConversation(bed.admin, bed.emulator.inboxId, {
        message: { content: "hello" },
      });
      const resolved = await createConversation(bed.admin, bed.emulator.inboxId, { status: "resolved" });
      await createConversation(bed.admin, bed.emulator.otherInboxId, { assignee_id: bed.emulator.adminId });
      const admin = await bed.admin.get("/conversations");
      assert.equal(admin.status, 200);
      assertMatchesSchema("get", `${ACCOUNT_PATH}/conversations`, admin.body);
      assert.deepEqual(admin.body.data.meta, {
        mine_count: 1,
        assigned_count: 1,
        unassigned_count: 1,
        all_count: 2,
      });
      const agent = await bed.agent.get("/conversations");
      assert.deepEqual(
        agent.body.data.payload.map((conversation: JsonBody) => conversation.id),
        [open.conversationId],
        "agents see their inboxes only",
      );
      assert.equal(agent.body.data.payload[0].messages[0].content, "hello");
      const all = await bed.admin.get("/conversations?status=all");
      assert.equal(all.body.data.meta.all_count, 3);
      const onlyResolved = await bed.admin.get("/conversations?status=resolved");
      assert.deepEqual(
        onlyResolved.body.data.payload.map((conversation: JsonBody) => conversation.id),
        [resolved.conversationId],
      );
    });

    it("filters by inbox_id, source_id, labels[] and assignee_type", async () => {
      const a = await createConversation(bed.admin, bed.emulator.inboxId, {
        assignee_id: bed.emulator.adminId,
      });
      const b = await createConversation(bed.admin, bed.emulator.otherInboxId);
      await bed.admin.post(`/conversations/${b.conversationId}/labels`, { labels: ["billing"] });
      const ids = (response: JsonBody): number[] => response.body.data.payload.map((c: JsonBody) => c.id);
      assert.deepEqual(ids(await bed.admin.get(`/conversations?inbox_id=${bed.emulator.otherInboxId}`)), [
        b.conversationId,
      ]);
      assert.deepEqual(ids(await bed.admin.get(`/conversations?source_id=${a.sourceId}`)), [
        a.conversationId,
      ]);
      assert.deepEqual(ids(await bed.admin.get("/conversations?labels[]=billing")), [b.conversationId]);
      const mine = await bed.admin.get("/conversations?assignee_type=me");
      assert.deepEqual(ids(mine), [a.conversationId]);
      assert.equal(mine.body.data.meta.all_count, 2, "counts are computed before the assignee filter");
      assert.deepEqual(ids(await bed.admin.get("/conversations?assignee_type=unassigned")), [
        b.conversationId,
      ]);
      assert.deepEqual(ids(await bed.agent.get(`/conversations?inbox_id=${bed.emulator.otherInboxId}`)), []);
    });

    it("pages by 25, most recent activity first", async () => {
      const contact = await createContact(bed.admin, {
        name: "many",
        inbox_id: bed.emulator.inboxId,
        source_id: "many",
      });
      assert.ok(contact);
      for (let index = 0; index < 26; index += 1)
        await bed.admin.post("/conversations", { source_id: "many" });
      const first = await bed.admin.get("/conversations");
      assert.equal(first.body.data.payload.length, 25);
      assert.equal(first.body.data.payload[0].id, 26);
      const second = await bed.admin.get("/conversations?page=2");
      assert.deepEqual(
        second.body.data.payload.map((conversation: JsonBody) => conversation.id),
        [1],
      );
    });
  });

  describe("GET /conversations/:id", () => {
    it("shows by display id; 404 before 401; team members may see it", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.otherInboxId);
      const admin = await bed.admin.get(`/conversations/${conversationId}`);
      assert.equal(admin.status, 200);
      assertMatchesSchema("get", `${ACCOUNT_PATH}/conversations/{conversation_id}`, admin.body);
      const agent = await bed.agent.get(`/conversations/${conversationId}`);
      assert.equal(agent.status, 401);
      assert.deepEqual(agent.body, FORBIDDEN);
      assert.equal((await bed.agent.get("/conversations/999")).status, 404);
      await bed.admin.post(`/conversations/${conversationId}/assignments`, { team_id: bed.emulator.teamId });
      assert.equal((await bed.agent.get(`/conversations/${conversationId}`)).status, 200);
    });
  });

  describe("PATCH /conversations/:id", () => {
    it("updates the priority only, 500 for an unknown priority", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const response = await bed.agent.patch(`/conversations/${conversationId}`, {
        priority: "high",
        status: "resolved",
      });
      assert.equal(response.status, 200);
      assertMatchesSchema("patch", `${ACCOUNT_PATH}/conversations/{conversation_id}`, response.body);
      assert.equal(response.body.priority, "high");
      assert.equal(response.body.status, "open");
      assert.equal(
        (await bed.agent.patch(`/conversations/${conversationId}`, { priority: "extreme" })).status,
        500,
      );
      await eventually(async () => {
        assert.deepEqual(await activityContents(conversationId), ["Agent set the priority to high"]);
      });
    });
  });

  describe("POST /conversations/:id/toggle_status", () => {
    it("toggles open → resolved → open and writes activity messages", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.inboxId);
      const resolved = await bed.admin.post(`/conversations/${conversationId}/toggle_status`, { status: "" });
      assert.equal(resolved.status, 200);
      assertMatchesSchema(
        "post",
        `${ACCOUNT_PATH}/conversations/{conversation_id}/toggle_status`,
        resolved.body,
      );
      assert.deepEqual(resolved.body, {
        meta: {},
        payload: {
          success: true,
          conversation_id: conversationId,
          current_status: "resolved",
          snoozed_until: null,
        },
      });
      const reopened = await bed.admin.post(`/conversations/${conversationId}/toggle_status`);
      assert.equal(reopened.body.payload.current_status, "open");
      assert.deepEqual(await activityContents(conversationId), [
        "Conversation was marked resolved by Admin",
        "Conversation was reopened by Admin",
      ]);
      const show = await bed.admin.get(`/conversations/${conversationId}`);
      assert.ok(!("assignee" in show.body.meta), "administrators are not self-assigned");
    });

    it("self-assigns an agent who reopens, replacing the assignee", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.inboxId, {
        status: "pending",
        assignee_id: bed.emulator.adminId,
      });
      const response = await bed.agent.post(`/conversations/${conversationId}/toggle_status`, {
        status: "open",
      });
      assert.equal(response.body.payload.current_status, "open");
      const show = await bed.agent.get(`/conversations/${conversationId}`);
      assert.equal(show.body.meta.assignee.id, bed.emulator.agentId);
      const activities = await activityContents(conversationId);
      assert.deepEqual(activities.slice(-2), [
        "Conversation was reopened by Agent",
        "Agent self-assigned this conversation",
      ]);
    });

    it("snoozes until an epoch-seconds time, 500 for an ISO date", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.inboxId);
      const until = Math.floor(Date.now() / 1000) + 86_400;
      const response = await bed.admin.post(`/conversations/${conversationId}/toggle_status`, {
        status: "snoozed",
        snoozed_until: until,
      });
      assert.equal(response.body.payload.current_status, "snoozed");
      assert.equal(Date.parse(response.body.payload.snoozed_until) / 1000, until);
      const iso = await bed.admin.post(`/conversations/${conversationId}/toggle_status`, {
        status: "snoozed",
        snoozed_until: "2030-01-01T00:00:00Z",
      });
      assert.equal(iso.status, 500);
      assert.equal(
        (await bed.admin.post(`/conversations/${conversationId}/toggle_status`, { status: "closed" })).status,
        500,
      );
    });
  });

  describe("POST /conversations/:id/toggle_priority", () => {
    it("sets or clears the priority with an empty 200", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const set = await bed.agent.post(`/conversations/${conversationId}/toggle_priority`, {
        priority: "low",
      });
      assert.equal(set.status, 200);
      assert.equal(set.text, "");
      assert.equal((await bed.agent.get(`/conversations/${conversationId}`)).body.priority, "low");
      await bed.agent.post(`/conversations/${conversationId}/toggle_priority`);
      assert.equal((await bed.agent.get(`/conversations/${conversationId}`)).body.priority, null);
    });
  });

  describe("POST /conversations/:id/custom_attributes", () => {
    it("replaces the whole object and enforces the value limits", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId, {
        custom_attributes: { keep: "no" },
      });
      const path = `/conversations/${conversationId}/custom_attributes`;
      const response = await bed.agent.post(path, {
        custom_attributes: { user_id: 1001, created_date: "23/12/2012" },
      });
      assert.equal(response.status, 200);
      assertMatchesSchema(
        "post",
        `${ACCOUNT_PATH}/conversations/{conversation_id}/custom_attributes`,
        response.body,
      );
      assert.deepEqual(response.body, { custom_attributes: { user_id: 1001, created_date: "23/12/2012" } });
      const big = await bed.agent.post(path, { custom_attributes: { n: 10_000_000_000 } });
      assert.equal(big.status, 422);
      assert.deepEqual(big.body, {
        message: "Custom attributes n value should be < 9999999999",
        attributes: ["custom_attributes"],
      });
      assert.equal((await bed.agent.post(path, { custom_attributes: { n: 9_999_999_999 } })).status, 200);
      assert.equal((await bed.agent.post(path, {})).status, 500, "a missing hash crashes the validator");
    });
  });

  describe("DELETE /conversations/:id", () => {
    it("is administrator-only and removes the conversation shortly after an empty 200", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.inboxId, {
        message: { content: "x" },
      });
      const agent = await bed.agent.delete(`/conversations/${conversationId}`);
      assert.equal(agent.status, 401);
      assert.deepEqual(agent.body, FORBIDDEN);
      const response = await bed.admin.delete(`/conversations/${conversationId}`);
      assert.equal(response.status, 200);
      assert.equal(response.text, "");
      await eventually(async () => {
        assert.equal((await bed.admin.get(`/conversations/${conversationId}`)).status, 404);
      });
      assert.equal(bed.emulator.summary()[0]?.messages, 0);
    });
  });

  describe("meta, search and filter", () => {
    it("answers the four counts, a message search and a status filter", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.inboxId, {
        message: { content: "test1" },
      });
      const meta = await bed.agent.get("/conversations/meta");
      assertMatchesSchema("get", `${ACCOUNT_PATH}/conversations/meta`, meta.body);
      assert.deepEqual(meta.body, {
        meta: { mine_count: 0, assigned_count: 0, unassigned_count: 1, all_count: 1 },
      });
      const search = await bed.agent.get("/conversations/search?q=test1");
      assert.equal(search.body.meta.all_count, 1);
      assert.equal(search.body.payload[0].messages[0].content, "test1");
      const filter = await bed.agent.post("/conversations/filter", {
        payload: [{ attribute_key: "status", filter_operator: "equal_to", values: ["open"] }],
      });
      assert.equal(filter.status, 200);
      assertMatchesSchema("post", `${ACCOUNT_PATH}/conversations/filter`, filter.body);
      assert.deepEqual(
        filter.body.payload.map((conversation: JsonBody) => conversation.id),
        [conversationId],
      );
      const badKey = await bed.agent.post("/conversations/filter", {
        payload: [{ attribute_key: "phone_number", filter_operator: "equal_to", values: ["open"] }],
      });
      assert.equal(badKey.status, 422);
      assert.match(badKey.body.error, /^Invalid attribute key - \[phone_number\]/);
      const badOperator = await bed.agent.post("/conversations/filter", {
        payload: [{ attribute_key: "status", filter_operator: "eq", values: ["open"] }],
      });
      assert.deepEqual(badOperator.body, {
        error: "Invalid operator. The allowed operators for status are [equal_to,not_equal_to].",
      });
    });
  });

  describe("GET /conversations/unread_counts", () => {
    it("answers 403 while the feature flag is off (the default)", async () => {
      const response = await bed.agent.get("/conversations/unread_counts");
      assert.equal(response.status, 403);
      assert.deepEqual(response.body, {
        error: "Conversation unread counts feature not enabled for this account",
      });
      assert.equal((await bed.anonymous.get("/conversations/unread_counts")).status, 401);
    });
  });

  describe("other member actions", () => {
    it("mutes (resolving, blocking the contact) and unmutes", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      assert.equal((await bed.agent.post(`/conversations/${conversationId}/mute`)).status, 200);
      const muted = await bed.agent.get(`/conversations/${conversationId}`);
      assert.equal(muted.body.status, "resolved");
      assert.equal(muted.body.muted, true);
      await bed.agent.post(`/conversations/${conversationId}/unmute`);
      assert.equal((await bed.agent.get(`/conversations/${conversationId}`)).body.muted, false);
    });

    it("requires an email for transcripts and marks conversations read and unread", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const transcript = await bed.agent.post(`/conversations/${conversationId}/transcript`, {});
      assert.deepEqual(transcript.body, { error: "email param missing" });
      const seen = await bed.agent.post(`/conversations/${conversationId}/update_last_seen`);
      assert.notEqual(seen.body.agent_last_seen_at, 0);
      await bed.agent.post(`/conversations/${conversationId}/messages`, {
        content: "in",
        message_type: "incoming",
      });
      const unread = await bed.agent.post(`/conversations/${conversationId}/unread`);
      assert.equal(unread.body.unread_count, 1);
    });

    it("lists a contact's conversations the caller may see", async () => {
      const contact = await createContact(bed.admin, { name: "x" });
      for (const inboxId of [bed.emulator.inboxId, bed.emulator.otherInboxId]) {
        await bed.admin.post("/conversations", { inbox_id: inboxId, contact_id: contact.contact.id });
      }
      const admin = await bed.admin.get(`/contacts/${contact.contact.id}/conversations`);
      assertMatchesSchema("get", `${ACCOUNT_PATH}/contacts/{id}/conversations`, admin.body);
      assert.equal(admin.body.payload.length, 2);
      assert.equal(
        (await bed.agent.get(`/contacts/${contact.contact.id}/conversations`)).body.payload.length,
        1,
      );
    });
  });
});
