import assert from "node:assert/strict";
import type { RunningEmulator } from "../../emulator";
import { ApiClient, type ApiResponse } from "./helpers";

/**
 * The data the web view tests look at, created only through the emulator's HTTP API (as a user of the
 * provider would), so the view is checked against what the API really stored.
 */

export const JANE = {
  name: "Jane Doe",
  email: "jane@example.com",
  phone: "+15550100",
  identifier: "jane-001",
  labels: ["vip", "beta"],
};

/** A contact name and a message that would run script if the view forgot to escape them. */
export const HOSTILE_NAME = 'Eve <b>"Bold"</b> & Co';
export const HOSTILE_CONTENT = "<script>document.title = 'pwned'; window.__pwned = true;</script>";

/** Jane's conversation in the order a person reads it (activity lines follow from later calls). */
export const TRANSCRIPT = [
  { kind: "Incoming", content: "Hi, my order #1234 has not arrived." },
  { kind: "Outgoing", content: "Sorry to hear that, Jane. Checking now." },
  { kind: "Private note", content: "VIP customer: expedite the replacement." },
  { kind: "Incoming", content: "Thanks!\nStill waiting though." },
];

export interface SeededView {
  janeId: number;
  janeConversation: number;
  eveId: number;
  eveConversation: number;
  /** Every token and secret the API has handed out, none of which may appear in a page. */
  secrets: string[];
}

function ok(response: ApiResponse, what: string): ApiResponse {
  assert.ok(response.status >= 200 && response.status < 300, `${what}: ${response.status} ${response.text}`);
  return response;
}

/** Seeds the primary account: labels, Jane with a full conversation, Eve with a hostile one. */
export async function seedWebViewData(emulator: RunningEmulator): Promise<SeededView> {
  const accountUrl = `${emulator.url}/api/v1/accounts/${emulator.accountId}`;
  const admin = new ApiClient(accountUrl, emulator.adminToken);
  const agent = new ApiClient(accountUrl, emulator.agentToken);

  ok(await admin.post("/labels", { title: "vip", color: "#d92d20" }), "label vip");
  ok(await admin.post("/labels", { title: "billing", color: "#1f93ff" }), "label billing");

  const jane = ok(
    await admin.post("/contacts", {
      name: JANE.name,
      email: JANE.email,
      phone_number: JANE.phone,
      identifier: JANE.identifier,
      inbox_id: emulator.inboxId,
      custom_attributes: { plan: "pro" },
    }),
    "contact Jane",
  ).body.payload;
  const janeId: number = jane.contact.id;
  ok(await admin.post(`/contacts/${janeId}/labels`, { labels: JANE.labels }), "Jane's labels");

  const conversation = ok(
    await agent.post("/conversations", {
      inbox_id: emulator.inboxId,
      contact_id: janeId,
      source_id: jane.contact_inbox.source_id,
    }),
    "Jane's conversation",
  ).body;
  const janeConversation: number = conversation.id;
  const messages = `/conversations/${janeConversation}/messages`;
  ok(await agent.post(messages, { content: TRANSCRIPT[0]?.content, message_type: "incoming" }), "question");
  ok(await agent.post(messages, { content: TRANSCRIPT[1]?.content, message_type: "outgoing" }), "reply");
  ok(
    await agent.post(messages, { content: TRANSCRIPT[2]?.content, message_type: "outgoing", private: true }),
    "note",
  );
  ok(await agent.post(messages, { content: TRANSCRIPT[3]?.content, message_type: "incoming" }), "incoming");
  ok(
    await admin.post(`/conversations/${janeConversation}/assignments`, { assignee_id: emulator.agentId }),
    "assignee",
  );
  ok(
    await admin.post(`/conversations/${janeConversation}/assignments`, { team_id: emulator.teamId }),
    "team",
  );
  ok(await agent.post(`/conversations/${janeConversation}/labels`, { labels: ["billing", "vip"] }), "labels");
  ok(
    await agent.post(`/conversations/${janeConversation}/toggle_priority`, { priority: "urgent" }),
    "priority",
  );
  ok(
    await agent.post(`/conversations/${janeConversation}/custom_attributes`, {
      custom_attributes: { order_id: "1234" },
    }),
    "custom attributes",
  );
  ok(await agent.post(`/conversations/${janeConversation}/toggle_status`, { status: "resolved" }), "status");

  const eve = ok(
    await admin.post("/contacts", { name: HOSTILE_NAME, inbox_id: emulator.inboxId }),
    "contact Eve",
  ).body.payload;
  const eveConversation: number = ok(
    await agent.post("/conversations", {
      inbox_id: emulator.inboxId,
      contact_id: eve.contact.id,
      source_id: eve.contact_inbox.source_id,
    }),
    "Eve's conversation",
  ).body.id;
  ok(
    await agent.post(`/conversations/${eveConversation}/messages`, {
      content: HOSTILE_CONTENT,
      message_type: "incoming",
    }),
    "Eve's message",
  );

  const inbox = ok(await admin.get(`/inboxes/${emulator.inboxId}`), "inbox").body;
  const secrets = [
    emulator.adminToken,
    emulator.agentToken,
    emulator.botToken,
    jane.contact_inbox.pubsub_token,
    eve.contact_inbox.pubsub_token,
    inbox.hmac_token,
    inbox.inbox_identifier,
    inbox.secret,
  ].filter((secret): secret is string => typeof secret === "string" && secret.length >= 8);
  return { janeId, janeConversation, eveId: eve.contact.id, eveConversation, secrets };
}
