import assert from "node:assert/strict";
import { createContact, useEmulator } from "./helpers";

/**
 * Messages in an Email inbox (Chatwoot `app/builders/messages/message_builder.rb`, `process_emails`
 * and `process_email_content`; `app/helpers/email_helper.rb`).
 */
describe("emulator: messages in Email inboxes", () => {
  const bed = useEmulator();

  async function emailConversation(): Promise<number> {
    const inbox = await bed.admin.post("/inboxes", {
      name: "Support mail",
      channel: { type: "email", email: "support@example.com" },
    });
    assert.equal(inbox.status, 200, inbox.text);
    const contact = await createContact(bed.admin, { name: "jane roe", email: "jane@example.com" });
    const conversation = await bed.admin.post("/conversations", {
      inbox_id: inbox.body.id,
      contact_id: contact.contact.id,
    });
    assert.equal(conversation.status, 200, conversation.text);
    return conversation.body.id;
  }

  it("adds the email addresses and the rendered email body to content_attributes", async () => {
    const id = await emailConversation();
    const reply = await bed.admin.post(`/conversations/${id}/messages`, {
      content: "Hi {{contact.first_name}}\r\nsee <below>\n\nThanks",
      cc_emails: "a@example.com, b@example.org",
      content_attributes: { mine: 1 },
    });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.content, "Hi Jane\r\nsee <below>\n\nThanks");
    assert.deepEqual(reply.body.content_attributes, {
      mine: 1,
      cc_emails: ["a@example.com", "b@example.org"],
      bcc_emails: [],
      to_emails: [],
      email: {
        html_content: {
          full: "<p>Hi Jane<br />\nsee &lt;below&gt;</p>\n<p>Thanks</p>\n",
          reply: "<p>Hi Jane<br />\nsee &lt;below&gt;</p>\n<p>Thanks</p>\n",
        },
        text_content: { full: "Hi Jane\nsee <below>\n\nThanks", reply: "Hi Jane\nsee <below>\n\nThanks" },
      },
    });
  });

  it("gives private notes the addresses but no email body, and refuses an invalid address", async () => {
    const id = await emailConversation();
    const note = await bed.admin.post(`/conversations/${id}/messages`, {
      content: "internal",
      private: true,
    });
    assert.deepEqual(note.body.content_attributes, { cc_emails: [], bcc_emails: [], to_emails: [] });
    const invalid = await bed.admin.post(`/conversations/${id}/messages`, {
      content: "x",
      bcc_emails: "ok@example.com,not-an-address",
    });
    assert.equal(invalid.status, 422);
    assert.deepEqual(invalid.body, { error: "Invalid email address" });
  });

  it("adds nothing in an API inbox", async () => {
    const contact = await createContact(bed.admin, { email: "api@example.com" });
    const conversation = await bed.admin.post("/conversations", {
      inbox_id: bed.emulator.inboxId,
      contact_id: contact.contact.id,
      source_id: "api-session",
    });
    const message = await bed.admin.post(`/conversations/${conversation.body.id}/messages`, {
      content: "x",
      cc_emails: "a@example.com",
    });
    assert.deepEqual(message.body.content_attributes, {});
  });
});
