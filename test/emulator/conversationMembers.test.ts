import assert from "node:assert/strict";
import {
  ACCOUNT_PATH,
  assertMatchesSchema,
  createConversation,
  FORBIDDEN,
  useEmulator,
  type JsonBody,
} from "./helpers";

describe("emulator: conversation labels and assignments", () => {
  const bed = useEmulator();

  async function activities(conversationId: number): Promise<string[]> {
    const response = await bed.admin.get(`/conversations/${conversationId}/messages`);
    return response.body.payload
      .filter((message: JsonBody) => message.message_type === 2)
      .map((message: JsonBody) => message.content);
  }

  describe("labels", () => {
    it("replaces the list, exposes it on the conversation and writes label activity", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId);
      const path = `/conversations/${conversationId}/labels`;
      const first = await bed.agent.post(path, { labels: ["label1", "label2"] });
      assert.equal(first.status, 200);
      assertMatchesSchema("post", `${ACCOUNT_PATH}/conversations/{conversation_id}/labels`, first.body);
      assert.deepEqual(first.body, { payload: ["label1", "label2"] });
      await bed.agent.post(path, { labels: ["label3", "label4"] });
      const read = await bed.agent.get(path);
      assertMatchesSchema("get", `${ACCOUNT_PATH}/conversations/{conversation_id}/labels`, read.body);
      assert.deepEqual(read.body, { payload: ["label3", "label4"] });
      assert.deepEqual((await bed.agent.get(`/conversations/${conversationId}`)).body.labels, [
        "label3",
        "label4",
      ]);
      assert.deepEqual(await activities(conversationId), [
        "Agent added label1, label2",
        "Agent added label3, label4",
        "Agent removed label1, label2",
      ]);
      await bed.agent.post(path, {});
      assert.deepEqual((await bed.agent.get(path)).body.payload, [], "no labels array clears the list");
    });

    it("answers 401 for a conversation the agent cannot see", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.otherInboxId);
      assert.deepEqual((await bed.agent.get(`/conversations/${conversationId}/labels`)).body, FORBIDDEN);
    });
  });

  describe("assignments", () => {
    it("assigns an agent and answers the agent JSON", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.inboxId);
      const response = await bed.admin.post(`/conversations/${conversationId}/assignments`, {
        assignee_id: bed.emulator.agentId,
      });
      assert.equal(response.status, 200);
      assertMatchesSchema(
        "post",
        `${ACCOUNT_PATH}/conversations/{conversation_id}/assignments`,
        response.body,
      );
      assert.deepEqual(response.body, {
        id: bed.emulator.agentId,
        account_id: bed.emulator.accountId,
        availability_status: "offline",
        auto_offline: true,
        confirmed: true,
        email: "agent@example.com",
        provider: "email",
        available_name: "Agent",
        name: "Agent",
        role: "agent",
        thumbnail: "",
        custom_role_id: null,
      });
      const conversation = await bed.admin.get(`/conversations/${conversationId}`);
      assert.equal(conversation.body.meta.assignee.id, bed.emulator.agentId);
      assert.deepEqual(await activities(conversationId), ["Assigned to Agent by Admin"]);
    });

    it("unassigns with a null or unknown assignee, answering null", async () => {
      const { conversationId } = await createConversation(bed.agent, bed.emulator.inboxId, {
        assignee_id: bed.emulator.agentId,
      });
      const response = await bed.agent.post(`/conversations/${conversationId}/assignments`, {
        assignee_id: null,
      });
      assert.equal(response.status, 200);
      assert.equal(response.text, "null");
      assert.ok(!("assignee" in (await bed.agent.get(`/conversations/${conversationId}`)).body.meta));
      assert.deepEqual((await activities(conversationId)).slice(-1), ["Conversation unassigned by Agent"]);
    });

    it("assigns an agent bot", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.inboxId);
      const response = await bed.admin.post(`/conversations/${conversationId}/assignments`, {
        assignee_id: bed.emulator.botId,
        assignee_type: "AgentBot",
      });
      assert.equal(response.body.name, "Emulated Bot");
      const meta = (await bed.admin.get(`/conversations/${conversationId}`)).body.meta;
      assert.equal(meta.assignee_type, "AgentBot");
      assert.equal(meta.assignee.id, bed.emulator.botId);
    });

    it("sets a team (raw record), clears it with an unknown id, and answers null with neither key", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.inboxId);
      const path = `/conversations/${conversationId}/assignments`;
      const team = await bed.admin.post(path, { team_id: bed.emulator.teamId });
      assert.equal(team.body.id, bed.emulator.teamId);
      assert.equal(team.body.name, "support");
      assert.match(team.body.created_at, /Z$/);
      assert.equal(
        (await bed.admin.get(`/conversations/${conversationId}`)).body.meta.team.id,
        bed.emulator.teamId,
      );
      const cleared = await bed.admin.post(path, { team_id: 0 });
      assert.equal(cleared.text, "null");
      assert.ok(!("team" in (await bed.admin.get(`/conversations/${conversationId}`)).body.meta));
      assert.equal((await bed.admin.post(path, {})).text, "null");
      assert.deepEqual(await activities(conversationId), [
        "Assigned to support by Admin",
        "Unassigned from support by Admin",
      ]);
    });

    it("clears the team with team_id: null (the key is present, `find_by(id: nil)` is no team)", async () => {
      // chatwoot app/controllers/api/v1/accounts/conversations/assignments_controller.rb:
      // `params.key?(:team_id)` then `update!(team: teams.find_by(id: params[:team_id]))`.
      const { conversationId } = await createConversation(bed.admin, bed.emulator.inboxId);
      const path = `/conversations/${conversationId}/assignments`;
      await bed.admin.post(path, { team_id: bed.emulator.teamId });
      const cleared = await bed.admin.post(path, { team_id: null });
      assert.equal(cleared.text, "null");
      assert.ok(!("team" in (await bed.admin.get(`/conversations/${conversationId}`)).body.meta));
    });

    it("lets a bot of the account assign, and refuses a bot of another account", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.inboxId);
      const bot = bed.admin.withToken(bed.emulator.botToken);
      const assigned = await bot.post(`/conversations/${conversationId}/assignments`, {
        assignee_id: bed.emulator.agentId,
      });
      assert.equal(assigned.status, 200);
      const other = bed.emulator.createAccount();
      const foreign = await bed.admin
        .withToken(other.botToken)
        .post(`/conversations/${conversationId}/assignments`, { assignee_id: bed.emulator.agentId });
      assert.equal(foreign.status, 401);
    });
  });

  describe("auto-assignment", () => {
    async function goOnline(): Promise<void> {
      const response = await bed.root.post(
        "/api/v1/profile/auto_offline",
        { profile: { account_id: bed.emulator.accountId, auto_offline: false } },
        { token: bed.emulator.agentToken },
      );
      assert.equal(response.status, 200);
      assert.equal(response.body.accounts[0].auto_offline, false);
    }

    it("assigns nobody while every agent is offline (the default)", async () => {
      const { body } = await createConversation(bed.admin, bed.emulator.inboxId);
      assert.ok(!("assignee" in body.meta));
    });

    it("round-robins new open conversations to online inbox members", async () => {
      await goOnline();
      const { body, conversationId } = await createConversation(bed.admin, bed.emulator.inboxId);
      assert.equal(body.meta.assignee.id, bed.emulator.agentId);
      assert.equal(body.meta.assignee.availability_status, "online");
      assert.deepEqual(await activities(conversationId), ["Assigned to Agent by Admin"]);
      const other = await createConversation(bed.admin, bed.emulator.otherInboxId);
      assert.ok(!("assignee" in other.body.meta), "only members of the inbox");
      await bed.root.post(
        "/api/v1/profile/availability",
        { profile: { account_id: bed.emulator.accountId, availability: "busy" } },
        { token: bed.emulator.agentToken },
      );
      const busy = await createConversation(bed.admin, bed.emulator.inboxId);
      assert.ok(!("assignee" in busy.body.meta), "busy agents are skipped");
    });

    it("takes an online team member when a team is assigned", async () => {
      const { conversationId } = await createConversation(bed.admin, bed.emulator.inboxId);
      await goOnline();
      await bed.admin.post(`/conversations/${conversationId}/assignments`, { team_id: bed.emulator.teamId });
      const conversation = await bed.admin.get(`/conversations/${conversationId}`);
      assert.equal(conversation.body.meta.assignee.id, bed.emulator.agentId);
    });
  });
});
