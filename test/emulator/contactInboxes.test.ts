import assert from "node:assert/strict";
import { createContact, FORBIDDEN, NOT_FOUND, useEmulator } from "./helpers";

describe("emulator: contact inboxes", () => {
  const bed = useEmulator();

  describe("POST /contacts/:id/contact_inboxes", () => {
    it("find-or-creates on (contact, inbox, source_id) and answers the slim shape without an id", async () => {
      const contact = await createContact(bed.admin, { name: "x" });
      const path = `/contacts/${contact.contact.id}/contact_inboxes`;
      const first = await bed.agent.post(path, { inbox_id: bed.emulator.inboxId, source_id: "session-1" });
      assert.equal(first.status, 200);
      // Not validated against swagger.json: its `inbox_contact.provider` is a string, API inboxes answer null.
      assert.deepEqual(first.body, {
        source_id: "session-1",
        inbox: {
          id: bed.emulator.inboxId,
          avatar_url: "",
          channel_id: first.body.inbox.channel_id,
          name: "API Inbox",
          channel_type: "Channel::Api",
          provider: null,
        },
      });
      const again = await bed.agent.post(path, { inbox_id: bed.emulator.inboxId, source_id: "session-1" });
      assert.deepEqual(again.body, first.body);
      const show = await bed.agent.get(`/contacts/${contact.contact.id}`);
      assert.equal(show.body.payload.contact_inboxes.length, 1, "idempotent with an explicit source id");
    });

    it("answers 500 without a source id in a LINE inbox, which cannot generate one; a given one works", async () => {
      // chatwoot app/builders/contact_inbox_builder.rb: `generate_source_id` raises
      // "Unsupported operation for this channel" for any channel but API, website, email, SMS,
      // Twilio and WhatsApp; the contact made in the same transaction is rolled back.
      const created = await bed.admin.post("/inboxes", {
        name: "LINE",
        channel: { type: "line", line_channel_id: "L-1", line_channel_secret: "s", line_channel_token: "t" },
      });
      assert.equal(created.status, 200, created.text);
      assert.equal(created.body.channel_type, "Channel::Line");
      const lineInbox = created.body.id;
      const refused = await bed.admin.post("/contacts", {
        name: "x",
        email: "x@example.com",
        inbox_id: lineInbox,
      });
      assert.deepEqual(
        [refused.status, refused.body],
        [500, { status: 500, error: "Internal Server Error" }],
      );
      assert.equal(bed.emulator.summary()[0]?.contacts, 0, "the contact is rolled back");
      const contact = await createContact(bed.admin, { name: "x" });
      const path = `/contacts/${contact.contact.id}/contact_inboxes`;
      assert.equal((await bed.admin.post(path, { inbox_id: lineInbox })).status, 500);
      const given = await bed.admin.post(path, { inbox_id: lineInbox, source_id: "U123" });
      assert.deepEqual([given.status, given.body.source_id], [200, "U123"]);
      const duplicate = await bed.admin.post("/inboxes", {
        name: "LINE 2",
        channel: { type: "line", line_channel_id: "L-1", line_channel_secret: "s", line_channel_token: "t" },
      });
      assert.equal(duplicate.status, 422);
    });

    it("adds a new UUID session on every call without source_id in an API inbox", async () => {
      const contact = await createContact(bed.admin, { name: "x" });
      const path = `/contacts/${contact.contact.id}/contact_inboxes`;
      const first = await bed.admin.post(path, { inbox_id: bed.emulator.inboxId });
      const second = await bed.admin.post(path, { inbox_id: bed.emulator.inboxId });
      assert.match(first.body.source_id, /^[0-9a-f-]{36}$/);
      assert.notEqual(first.body.source_id, second.body.source_id);
      assert.equal(bed.emulator.summary()[0]?.contactInboxes, 2);
    });

    it("answers 500 when another contact holds the source id in an API inbox", async () => {
      await createContact(bed.admin, { name: "owner", inbox_id: bed.emulator.inboxId, source_id: "shared" });
      const other = await createContact(bed.admin, { name: "other" });
      const response = await bed.admin.post(`/contacts/${other.contact.id}/contact_inboxes`, {
        inbox_id: bed.emulator.inboxId,
        source_id: "shared",
      });
      assert.equal(response.status, 500);
      assert.deepEqual(response.body, { status: 500, error: "Internal Server Error" });
    });

    it("answers 404 for an unknown contact or inbox and 401 for an inbox the agent is not in", async () => {
      const contact = await createContact(bed.admin, { name: "x" });
      assert.deepEqual(
        (await bed.agent.post("/contacts/999999/contact_inboxes", { inbox_id: bed.emulator.inboxId })).body,
        NOT_FOUND,
      );
      assert.equal(
        (await bed.agent.post(`/contacts/${contact.contact.id}/contact_inboxes`, { inbox_id: 999_999 }))
          .status,
        404,
      );
      assert.equal((await bed.agent.post(`/contacts/${contact.contact.id}/contact_inboxes`, {})).status, 404);
      const forbidden = await bed.agent.post(`/contacts/${contact.contact.id}/contact_inboxes`, {
        inbox_id: bed.emulator.otherInboxId,
      });
      assert.equal(forbidden.status, 401);
      assert.deepEqual(forbidden.body, FORBIDDEN);
    });

    it("needs the contact's email in an email inbox", async () => {
      const inbox = await bed.admin.post("/inboxes", {
        name: "Mail",
        channel: { type: "email", email: "support@example.com" },
      });
      assert.equal(inbox.status, 200, inbox.text);
      const contact = await createContact(bed.admin, { name: "no email" });
      const response = await bed.admin.post(`/contacts/${contact.contact.id}/contact_inboxes`, {
        inbox_id: inbox.body.id,
      });
      assert.equal(response.status, 422);
      assert.deepEqual(response.body, { error: "param is missing or the value is empty: contact email" });
      const withEmail = await createContact(bed.admin, { email: "Someone@Example.com" });
      const created = await bed.admin.post(`/contacts/${withEmail.contact.id}/contact_inboxes`, {
        inbox_id: inbox.body.id,
      });
      assert.equal(created.body.source_id, "someone@example.com");
    });

    it("stores hmac_verified and reports it on conversations", async () => {
      const contact = await createContact(bed.admin, { name: "x" });
      await bed.admin.post(`/contacts/${contact.contact.id}/contact_inboxes`, {
        inbox_id: bed.emulator.inboxId,
        source_id: "verified",
        hmac_verified: true,
      });
      const conversation = await bed.admin.post("/conversations", { source_id: "verified" });
      assert.equal(conversation.body.meta.hmac_verified, true);
    });
  });

  describe("POST /contact_inboxes/filter", () => {
    it("returns the owning contact with its contact inboxes, or 404 with an empty body", async () => {
      const created = await createContact(bed.admin, {
        name: "owner",
        inbox_id: bed.emulator.inboxId,
        source_id: "find-me",
      });
      const found = await bed.agent.post("/contact_inboxes/filter", {
        inbox_id: bed.emulator.inboxId,
        source_id: "find-me",
      });
      assert.equal(found.status, 200);
      assert.equal(found.body.id, created.contact.id);
      assert.equal(found.body.contact_inboxes[0].source_id, "find-me");
      const missing = await bed.agent.post("/contact_inboxes/filter", {
        inbox_id: bed.emulator.inboxId,
        source_id: "random_source_id",
      });
      assert.equal(missing.status, 404);
      assert.equal(missing.text, "");
    });

    it("enforces inbox visibility (401) and existence (404)", async () => {
      await createContact(bed.admin, {
        name: "owner",
        inbox_id: bed.emulator.otherInboxId,
        source_id: "hidden",
      });
      const agent = await bed.agent.post("/contact_inboxes/filter", {
        inbox_id: bed.emulator.otherInboxId,
        source_id: "hidden",
      });
      assert.equal(agent.status, 401);
      const admin = await bed.admin.post("/contact_inboxes/filter", {
        inbox_id: bed.emulator.otherInboxId,
        source_id: "hidden",
      });
      assert.equal(admin.status, 200);
      assert.equal(
        (await bed.admin.post("/contact_inboxes/filter", { inbox_id: 999_999, source_id: "x" })).status,
        404,
      );
    });
  });
});
