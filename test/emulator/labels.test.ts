import assert from "node:assert/strict";
import {
  ACCOUNT_PATH,
  assertMatchesSchema,
  createConversation,
  eventually,
  FORBIDDEN,
  NOT_FOUND,
  useEmulator,
} from "./helpers";

describe("emulator: labels", () => {
  const bed = useEmulator();

  async function createLabel(body: unknown): Promise<{ id: number; title: string }> {
    const response = await bed.admin.post("/labels", body);
    assert.equal(response.status, 200, response.text);
    return response.body;
  }

  it("creates a label (administrators only), lower-casing the title and defaulting the color", async () => {
    const agent = await bed.agent.post("/labels", { label: { title: "Test" } });
    assert.equal(agent.status, 401);
    const response = await bed.admin.post("/labels", { label: { title: "Billing-Issue" } });
    assert.equal(response.status, 200);
    // Unset description and show_on_sidebar are null, which swagger.json's label schema does not allow.
    assert.deepEqual(response.body, {
      id: response.body.id,
      title: "billing-issue",
      description: null,
      color: "#1f93ff",
      show_on_sidebar: null,
    });
    const full = await bed.admin.post("/labels", {
      title: "Complete",
      description: "d",
      show_on_sidebar: false,
    });
    assertMatchesSchema("post", `${ACCOUNT_PATH}/labels`, full.body);
    assert.equal(full.body.show_on_sidebar, false);
  });

  it("validates presence, format and per-account uniqueness of the title", async () => {
    const missing = await bed.admin.post("/labels", {});
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body, { error: "param is missing or the value is empty: label" });
    const blank = await bed.admin.post("/labels", { label: { description: "no title" } });
    assert.deepEqual(blank.body, {
      message: "Title must not be blank, Title is invalid",
      attributes: ["title"],
    });
    const format = await bed.admin.post("/labels", { label: { title: "-bad" } });
    assert.deepEqual(format.body, { message: "Title is invalid", attributes: ["title"] });
    assert.equal(
      (await bed.admin.post("/labels", { label: { title: "a" } })).status,
      422,
      "two characters at least",
    );
    await createLabel({ title: "vip" });
    const taken = await bed.admin.post("/labels", { label: { title: "VIP" } });
    assert.deepEqual(taken.body, { message: "Title has already been taken", attributes: ["title"] });
    assert.equal(
      (await bed.admin.post("/labels", { label: { title: "Über_2" } })).status,
      200,
      "unicode letters",
    );
    // Ruby's downcase maps one character at a time: no word-final sigma (ς), unlike toLowerCase.
    assert.equal((await createLabel({ title: "ΟΔΟΣ" })).title, "οδοσ");
    // Lower-cased before the format check: İ becomes i and a combining dot, which is not a letter.
    const dotted = await bed.admin.post("/labels", { label: { title: "İstanbul" } });
    assert.deepEqual(dotted.body, { message: "Title is invalid", attributes: ["title"] });
  });

  it("lists labels by title for any role, shows them to administrators only (404 before 401)", async () => {
    await createLabel({ title: "zeta", description: "last", show_on_sidebar: false });
    const alpha = await createLabel({ title: "alpha", description: "first", show_on_sidebar: true });
    const list = await bed.agent.get("/labels");
    assertMatchesSchema("get", `${ACCOUNT_PATH}/labels`, list.body);
    assert.deepEqual(
      list.body.payload.map((label: { title: string }) => label.title),
      ["alpha", "zeta"],
    );
    const shown = await bed.admin.get(`/labels/${alpha.id}`);
    assertMatchesSchema("get", `${ACCOUNT_PATH}/labels/{id}`, shown.body);
    assert.equal(shown.body.show_on_sidebar, true);
    assert.deepEqual((await bed.agent.get(`/labels/${alpha.id}`)).body, FORBIDDEN);
    assert.deepEqual((await bed.agent.get("/labels/999999")).body, NOT_FOUND);
  });

  it("updates with bare keys (parameter wrapping) and renames the tag on conversations and contacts", async () => {
    const label = await createLabel({ title: "test", description: "d", show_on_sidebar: true });
    const { conversationId, contactId } = await createConversation(bed.admin, bed.emulator.inboxId);
    await bed.admin.post(`/conversations/${conversationId}/labels`, { labels: ["test", "other"] });
    await bed.admin.post(`/contacts/${contactId}/labels`, { labels: ["test"] });
    const response = await bed.admin.patch(`/labels/${label.id}`, { title: "Test_2" });
    assert.equal(response.status, 200);
    assertMatchesSchema("patch", `${ACCOUNT_PATH}/labels/{id}`, response.body);
    assert.equal(response.body.title, "test_2");
    await eventually(async () => {
      const labels = await bed.admin.get(`/conversations/${conversationId}/labels`);
      assert.deepEqual(labels.body.payload, ["other", "test_2"]);
      // Labels::UpdateService retags contacts too (chatwoot app/services/labels/update_service.rb).
      assert.deepEqual((await bed.admin.get(`/contacts/${contactId}/labels`)).body.payload, ["test_2"]);
    });
    assert.equal((await bed.admin.put(`/labels/${label.id}`, { unrelated: 1 })).status, 422);
  });

  it("deletes with an empty 200 and strips the tag from conversations and contacts", async () => {
    const label = await createLabel({ title: "gone" });
    const { conversationId, contactId } = await createConversation(bed.admin, bed.emulator.inboxId);
    await bed.admin.post(`/conversations/${conversationId}/labels`, { labels: ["gone", "kept"] });
    await bed.admin.post(`/contacts/${contactId}/labels`, { labels: ["gone"] });
    assert.equal((await bed.agent.delete(`/labels/${label.id}`)).status, 401);
    const response = await bed.admin.delete(`/labels/${label.id}`);
    assert.equal(response.status, 200);
    assert.equal(response.text, "");
    assert.equal((await bed.admin.get(`/labels/${label.id}`)).status, 404);
    await eventually(async () => {
      assert.deepEqual((await bed.admin.get(`/conversations/${conversationId}/labels`)).body.payload, [
        "kept",
      ]);
      assert.deepEqual((await bed.admin.get(`/contacts/${contactId}/labels`)).body.payload, []);
    });
  });
});
