import assert from "node:assert/strict";
import { runRubyScript, skipWithoutRuby } from "../support/ruby";
import { createContact, useEmulator } from "./helpers";

/**
 * Liquid in outgoing and template messages (Chatwoot `app/models/concerns/liquidable.rb`, drops in
 * `app/drops/`), rendered before the message is saved.
 */
describe("emulator: Liquid in messages", () => {
  const bed = useEmulator();

  /** A contact named `name` with a conversation holding `customAttributes`; returns the conversation. */
  async function conversationWith(name: string, customAttributes: Record<string, unknown> = {}) {
    const contact = await createContact(bed.admin, {
      name,
      email: "jane@example.com",
      phone_number: "+14155550100",
      custom_attributes: { plan: "pro", seats: 5 },
    });
    const response = await bed.admin.post("/conversations", {
      inbox_id: bed.emulator.inboxId,
      contact_id: contact.contact.id,
      source_id: "liquid-session",
      custom_attributes: customAttributes,
    });
    assert.equal(response.status, 200, response.text);
    return { contactId: contact.contact.id as number, displayId: response.body.id as number };
  }

  async function post(displayId: number, body: Record<string, unknown>) {
    const response = await bed.admin.post(`/conversations/${displayId}/messages`, body);
    assert.equal(response.status, 200, response.text);
    return response.body;
  }

  it("renders outgoing messages and private notes with the drops, leaving code spans alone", async () => {
    const { displayId } = await conversationWith("jane mary ROE", { order: "A-1" });
    const outgoing = await post(displayId, {
      content:
        "Hi {{contact.first_name}} ({{ contact.name }}), `{{contact.email}}` order {{conversation.custom_attribute.order}}",
    });
    assert.equal(outgoing.content, "Hi Jane (Jane Mary Roe), `{{contact.email}}` order A-1");
    const note = await post(displayId, { content: "{{agent.name}} at {{account.name}}", private: true });
    assert.equal(note.content, "Admin at Emulated Account");
    const listed = await bed.admin.get(`/conversations/${displayId}/messages`);
    assert.equal(listed.body.payload[0].content, outgoing.content, "stored rendered, not only answered");
  });

  it("leaves incoming messages, and templates that do not parse, as written", async () => {
    const { displayId } = await conversationWith("Jane Roe");
    const incoming = await post(displayId, { content: "Hi {{contact.name}}", message_type: "incoming" });
    assert.equal(incoming.content, "Hi {{contact.name}}");
    const broken = await post(displayId, { content: "{% if contact.name %}Hi {{contact.name}}" });
    assert.equal(broken.content, "{% if contact.name %}Hi {{contact.name}}");
  });

  it("renders the strings of template_params.processed_params", async () => {
    const { displayId } = await conversationWith("jane roe");
    const message = await bed.admin.post(`/conversations/${displayId}/messages`, {
      content: "template",
      template_params: {
        name: "greet",
        processed_params: { "1": "{{contact.first_name}}", list: ["{{inbox.name}}", 3] },
      },
    });
    assert.equal(message.status, 200, message.text);
    // The conversation shows its latest message with its additional attributes (`push_event_data`).
    const latest = (await bed.admin.get(`/conversations/${displayId}`)).body.messages[0];
    assert.equal(latest.id, message.body.id);
    assert.equal(latest.content, "template");
    assert.deepEqual(latest.additional_attributes.template_params, {
      name: "greet",
      processed_params: { "1": "Jane", list: ["API Inbox", 3] },
    });
  });

  it("renders like the Liquid gem Chatwoot uses (Debian's ruby-liquid 5.4.0)", async function () {
    const { contactId, displayId } = await conversationWith("jane  mary ROE", { order: "A-1", vip: true });
    const templates = [
      "Hi {{contact.name}}, {{contact.first_name}} {{contact.last_name}} <{{contact.email}}> {{contact.phone_number}}",
      "{{ contact.custom_attribute.plan | upcase }} x{{ contact.custom_attribute.seats | plus: 1 }}",
      "#{{conversation.display_id}} for {{conversation.contact_name}} {{conversation.custom_attribute.order}}",
      "{{agent.name}}/{{agent.first_name}}/{{agent.last_name}}/{{agent.available_name}}/{{agent.email}}",
      "{{inbox.name}} · {{account.name}} · {{contact.id}}",
      "{% if conversation.custom_attribute.vip %}VIP{% else %}regular{% endif %} {{ nope.x }}{{ contact.nothing }}",
      "Use `{{contact.name}}` or ```\n{% if %}\n``` then {{ contact.first_name | downcase }}",
      "{{ contact.name | bogus_filter }} {{ 'a,b' | split: ',' | join: '+' }} {%- comment -%} x {%- endcomment -%} !",
      '{% for word in (1..3) %}{{word}}{% endfor %} {{ contact.name | size }} {{ "x" | append: contact.first_name }}',
      "{% if contact.name %}unclosed",
      "{{ contact.name",
      "{% unknown_tag %} {{contact.name}}",
      "{% assign n = contact.first_name | upcase %}{{ n }}{{ n | truncate: 3 }}",
    ];
    const records = {
      contact: {
        id: contactId,
        name: "jane  mary ROE",
        email: "jane@example.com",
        phone_number: "+14155550100",
        custom_attributes: { plan: "pro", seats: 5 },
      },
      agent: { id: bed.emulator.adminId, name: "Admin", email: "admin@example.com", display_name: null },
      conversation: {
        display_id: displayId,
        contact_name: "jane  mary ROE",
        custom_attributes: { order: "A-1", vip: true },
      },
      inbox: { id: bed.emulator.inboxId, name: "API Inbox" },
      account: { id: bed.emulator.accountId, name: "Emulated Account" },
    };
    const ruby = runRubyScript("liquid.rb", { records, templates });
    if (!ruby.ok) skipWithoutRuby(this, ruby.reason, "ruby-liquid");
    const emulated: string[] = [];
    for (const content of templates) emulated.push((await post(displayId, { content })).content);
    assert.deepEqual(emulated, ruby.output);
  });
});
