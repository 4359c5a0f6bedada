import assert from "node:assert/strict";
import { createContact, createConversation, useEmulator } from "./helpers";

/**
 * `snapshot()`/`restore()`: the lifecycle tests start many tests from one recorded `up` instead of
 * running it again, so a restore must give back exactly what was there, and nothing made after it.
 */
describe("emulator: snapshot and restore", () => {
  const bed = useEmulator();

  it("puts back records, labels and tags exactly, and drops what was made after the snapshot", async () => {
    const { contactId, conversationId } = await createConversation(bed.admin, bed.emulator.inboxId);
    assert.equal((await bed.admin.post(`/contacts/${contactId}/labels`, { labels: ["VIP"] })).status, 200);
    const before = {
      contact: (await bed.admin.get(`/contacts/${contactId}`)).body,
      conversation: (await bed.admin.get(`/conversations/${conversationId}`)).body,
      messages: (await bed.admin.get(`/conversations/${conversationId}/messages`)).body,
      summary: bed.emulator.summary(),
    };
    const snapshot = bed.emulator.snapshot();

    await bed.admin.patch(`/contacts/${contactId}`, { name: "Changed" });
    await bed.admin.post(`/conversations/${conversationId}/messages`, { content: "after the snapshot" });
    const later = await createContact(bed.admin, { name: "Later", email: "later@example.com" });
    bed.emulator.restore(snapshot);

    assert.deepEqual((await bed.admin.get(`/contacts/${contactId}`)).body, before.contact);
    assert.deepEqual((await bed.admin.get(`/conversations/${conversationId}`)).body, before.conversation);
    assert.deepEqual(
      (await bed.admin.get(`/conversations/${conversationId}/messages`)).body,
      before.messages,
    );
    assert.deepEqual(bed.emulator.summary(), before.summary);
    assert.equal((await bed.admin.get(`/contacts/${String(later.contact.id)}`)).status, 404);
    // The email index was restored too: the address is free again.
    const again = await createContact(bed.admin, { name: "Later", email: "later@example.com" });
    // Ids go on from the snapshot's sequences, as they would after restoring a database dump.
    assert.equal(again.contact.id, later.contact.id);
    // The tag table is shared by the installation: `vip` still comes back with its first spelling.
    await bed.admin.post(`/contacts/${String(again.contact.id)}/labels`, { labels: ["vip"] });
    assert.deepEqual((await bed.admin.get(`/contacts/${String(again.contact.id)}/labels`)).body.payload, [
      "VIP",
    ]);
  });

  it("can restore the same snapshot again: a restore shares nothing with it", async () => {
    const { contact } = await createContact(bed.admin, { name: "Ann", email: "ann@example.com" });
    const snapshot = bed.emulator.snapshot();
    await bed.admin.patch(`/contacts/${String(contact.id)}`, { name: "First change" });
    bed.emulator.restore(snapshot);
    await bed.admin.patch(`/contacts/${String(contact.id)}`, { name: "Second change" });
    bed.emulator.restore(snapshot);
    assert.equal((await bed.admin.get(`/contacts/${String(contact.id)}`)).body.payload.name, "Ann");
  });

  describe("while a delayed delete is still scheduled", () => {
    // Deletes take a minute here, so the delete is certainly still scheduled when the snapshot is
    // asked for, however slow the machine (the emulator cancels it on reset and close).
    const slow = useEmulator({ conversationDeleteDelayMs: 60_000 });

    it("refuses a snapshot", async () => {
      const { conversationId } = await createConversation(slow.admin, slow.emulator.inboxId);
      assert.equal((await slow.admin.delete(`/conversations/${conversationId}`)).status, 200);
      assert.throws(
        () => slow.emulator.snapshot(),
        /cannot snapshot the emulator while it has 1 scheduled job/,
      );
    });
  });
});
