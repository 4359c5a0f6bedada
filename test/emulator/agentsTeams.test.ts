import assert from "node:assert/strict";
import { ACCOUNT_PATH, assertMatchesSchema, useEmulator } from "./helpers";

describe("emulator: agents and teams lists", () => {
  const bed = useEmulator();

  it("lists the account's users, administrators included, by name, as a bare array, to any member", async () => {
    const asAdmin = await bed.admin.get("/agents");
    assert.equal(asAdmin.status, 200, asAdmin.text);
    assertMatchesSchema("get", `${ACCOUNT_PATH}/agents`, asAdmin.body);
    assert.deepEqual(
      asAdmin.body.map((agent: { id: number; email: string; role: string }) => [
        agent.id,
        agent.email,
        agent.role,
      ]),
      [
        [bed.emulator.adminId, "admin@example.com", "administrator"],
        [bed.emulator.agentId, "agent@example.com", "agent"],
      ],
    );
    const asAgent = await bed.agent.get("/agents");
    assert.equal(asAgent.status, 200);
    assert.deepEqual(asAgent.body, asAdmin.body);
  });

  it("lists only the account's own users, and refuses a token without membership", async () => {
    const other = bed.emulator.createAccount({ name: "Other" });
    const response = await bed.admin.get(`${bed.emulator.url}/api/v1/accounts/${other.accountId}/agents`, {
      token: other.adminToken,
    });
    assert.equal(response.status, 200);
    assert.deepEqual(
      response.body.map((agent: { id: number }) => agent.id),
      [other.adminId, other.agentId],
    );
    const outsider = await bed.agent.get(`${bed.emulator.url}/api/v1/accounts/${other.accountId}/agents`);
    assert.equal(outsider.status, 401);
  });

  it("lists the teams, names lower-cased as Chatwoot stores them, with is_member for the caller", async () => {
    const asAgent = await bed.agent.get("/teams");
    assert.equal(asAgent.status, 200, asAgent.text);
    assertMatchesSchema("get", `${ACCOUNT_PATH}/teams`, asAgent.body);
    assert.deepEqual(asAgent.body, [
      {
        id: bed.emulator.teamId,
        name: "support",
        description: "Front-line support",
        allow_auto_assign: true,
        account_id: bed.emulator.accountId,
        is_member: true,
      },
    ]);
    const asAdmin = await bed.admin.get("/teams");
    assert.equal(asAdmin.body[0].is_member, false);
  });

  it("refuses bots, which are not on Chatwoot's bot allow-list for either", async () => {
    const token = bed.emulator.botToken;
    assert.equal((await bed.admin.get("/agents", { token })).status, 401);
    assert.equal((await bed.admin.get("/teams", { token })).status, 401);
  });
});
