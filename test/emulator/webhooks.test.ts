import { strict as assert } from "node:assert";
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createConversation, useEmulator, type JsonBody } from "./helpers";

/** A loopback receiver that records every callback and answers with `status`. */
class Receiver {
  readonly calls: Array<{ headers: IncomingHttpHeaders; body: string; json: JsonBody }> = [];
  status = 200;
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<Receiver> {
    const holder: { receiver?: Receiver } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        holder.receiver!.calls.push({ headers: req.headers, body, json: JSON.parse(body) });
        res.writeHead(holder.receiver!.status).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    holder.receiver = new Receiver(server, `http://127.0.0.1:${port}/chatwoot-callback`);
    return holder.receiver;
  }

  events(): string[] {
    return this.calls.map((call) => call.json.event as string);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

// Key order of the bodies, from chatwoot 4.14: app/models/message.rb#webhook_data and
// app/presenters/conversations/event_data_presenter.rb#push_data/#webhook_data, then `event`
// (and `changed_attributes`) merged in by app/listeners/webhook_listener.rb.
const MESSAGE_KEYS = [
  "account",
  "additional_attributes",
  "content_attributes",
  "content_type",
  "content",
  "conversation",
  "created_at",
  "id",
  "inbox",
  "message_type",
  "private",
  "sender",
  "source_id",
  "event",
];
const CONVERSATION_KEYS = [
  "additional_attributes",
  "can_reply",
  "channel",
  "contact_inbox",
  "id",
  "inbox_id",
  "messages",
  "labels",
  "meta",
  "status",
  "custom_attributes",
  "snoozed_until",
  "unread_count",
  "first_reply_created_at",
  "priority",
  "waiting_since",
  "agent_last_seen_at",
  "contact_last_seen_at",
  "last_activity_at",
  "timestamp",
  "created_at",
  "updated_at",
  "account",
];
const CONTACT_WEBHOOK_KEYS = [
  "account",
  "additional_attributes",
  "avatar",
  "custom_attributes",
  "email",
  "id",
  "identifier",
  "name",
  "phone_number",
  "thumbnail",
  "blocked",
];

describe("API inbox callbacks (webhook_url)", function () {
  this.timeout(30_000);
  const bed = useEmulator();
  let receiver: Receiver;
  before(async () => {
    receiver = await Receiver.start();
  });
  after(async () => receiver?.close());
  beforeEach(() => {
    receiver.calls.length = 0;
    receiver.status = 200;
  });

  async function apiInbox(webhookUrl: string | null = receiver.url): Promise<{ id: number; secret: string }> {
    const created = await bed.admin.post("/inboxes", {
      name: "Callbacks",
      channel: { type: "api", webhook_url: webhookUrl },
    });
    assert.equal(created.status, 200, created.text);
    return { id: created.body.id, secret: created.body.secret };
  }

  async function settled(): Promise<void> {
    await bed.emulator.webhooksSettled();
  }

  it("sends conversation_created and message_created with Chatwoot's payloads, headers and signature", async () => {
    const inbox = await apiInbox();
    const { conversationId, contactId } = await createConversation(bed.admin, inbox.id, {
      message: { content: "Where is my order?\\\nIt is late.\n" },
    });
    await settled();
    // The agent's first reply also sets first_reply_created_at: a conversation.update (message.rb
    // dispatch_create_events), hence conversation_updated after message_created.
    assert.deepEqual(receiver.events(), ["conversation_created", "message_created", "conversation_updated"]);
    const [created, message, firstReply] = receiver.calls;
    assert.deepEqual(
      (firstReply!.json.changed_attributes as Array<Record<string, unknown>>).map(
        (entry) => Object.keys(entry)[0],
      ),
      ["waiting_since", "first_reply_created_at", "updated_at"],
    );
    assert.deepEqual(Object.keys(created!.json), [...CONVERSATION_KEYS, "event"]);
    assert.equal(created!.json.id, conversationId);
    assert.equal(created!.json.channel, "Channel::Api");
    assert.deepEqual(created!.json.account, { id: bed.emulator.accountId, name: "Emulated Account" });
    assert.deepEqual(Object.keys(created!.json.contact_inbox), [
      "id",
      "contact_id",
      "inbox_id",
      "source_id",
      "created_at",
      "updated_at",
      "hmac_verified",
      "pubsub_token",
    ]);
    assert.deepEqual(Object.keys(message!.json), MESSAGE_KEYS);
    assert.equal(
      message!.json.message_type,
      "outgoing",
      "webhook_data carries the enum name, not its number",
    );
    assert.match(message!.json.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Messages::WebhookContentNormalizer: hard breaks become newlines, trailing newlines go.
    assert.equal(message!.json.content, "Where is my order?\nIt is late.");
    assert.deepEqual(message!.json.inbox, { id: inbox.id, name: "Callbacks" });
    assert.deepEqual(message!.json.sender, {
      id: bed.emulator.adminId,
      name: "Admin",
      email: "admin@example.com",
      type: "user",
    });
    assert.equal(message!.json.conversation.meta.sender.id, contactId);
    assert.deepEqual(Object.keys(message!.json.conversation), CONVERSATION_KEYS);
    assert.equal(message!.json.conversation.messages[0].id, message!.json.id);
    assert.equal(message!.json.conversation.messages[0].message_type, 1, "push_event_data keeps the number");

    // lib/webhooks/trigger.rb#request_headers (chatwoot 4.13 and later sign with the channel's secret).
    const deliveries = bed.emulator.webhookDeliveries();
    for (const [index, call] of receiver.calls.entries()) {
      assert.equal(call.headers["content-type"], "application/json");
      assert.equal(call.headers.accept, "application/json");
      assert.equal(call.headers["x-chatwoot-delivery"], deliveries[index]!.id);
      const timestamp = call.headers["x-chatwoot-timestamp"] as string;
      assert.match(timestamp, /^\d+$/);
      const expected = createHmac("sha256", inbox.secret).update(`${timestamp}.${call.body}`).digest("hex");
      assert.equal(call.headers["x-chatwoot-signature"], `sha256=${expected}`);
    }
  });

  it("sends conversation_status_changed, then conversation_updated with the changed columns", async () => {
    const inbox = await apiInbox();
    const { conversationId } = await createConversation(bed.admin, inbox.id);
    await settled();
    receiver.calls.length = 0;
    const toggled = await bed.admin.post(`/conversations/${conversationId}/toggle_status`, {
      status: "resolved",
    });
    assert.equal(toggled.status, 200, toggled.text);
    await settled();
    assert.deepEqual(receiver.events(), ["conversation_status_changed", "conversation_updated"]);
    const [statusChanged, updated] = receiver.calls;
    assert.equal(statusChanged!.json.status, "resolved");
    // `status_change` is read after the commit, when Rails has cleared it.
    assert.equal(statusChanged!.json.changed_attributes, null);
    const changed = updated!.json.changed_attributes as Array<Record<string, unknown>>;
    assert.deepEqual(
      changed.find((entry) => "status" in entry),
      {
        status: { previous_value: "open", current_value: "resolved" },
      },
    );
    assert.ok(changed.some((entry) => "updated_at" in entry));
    assert.deepEqual(Object.keys(updated!.json), [...CONVERSATION_KEYS, "event", "changed_attributes"]);
  });

  it("sends conversation_updated for custom attributes, and message_updated for a status update", async () => {
    const inbox = await apiInbox();
    const { conversationId } = await createConversation(bed.admin, inbox.id);
    const posted = await bed.admin.post(`/conversations/${conversationId}/messages`, {
      content: "On its way",
    });
    await settled();
    receiver.calls.length = 0;
    await bed.admin.post(`/conversations/${conversationId}/custom_attributes`, {
      custom_attributes: { plan: "pro" },
    });
    await bed.admin.patch(`/conversations/${conversationId}/messages/${posted.body.id}`, {
      status: "delivered",
    });
    await settled();
    assert.deepEqual(receiver.events(), ["conversation_updated", "message_updated"]);
    assert.deepEqual(receiver.calls[0]!.json.changed_attributes[0], {
      custom_attributes: { previous_value: {}, current_value: { plan: "pro" } },
    });
    assert.equal(receiver.calls[1]!.json.id, posted.body.id);
    assert.equal(receiver.calls[1]!.json.message_type, "outgoing");
    assert.deepEqual(Object.keys(receiver.calls[1]!.json.sender), ["id", "name", "email", "type"]);
    // A private note is sent too, but the conversation's `messages` (scope :chat) leave it out.
    receiver.calls.length = 0;
    await bed.admin.post(`/conversations/${conversationId}/messages`, { content: "Note", private: true });
    await settled();
    const note = receiver.calls.find((call) => call.json.event === "message_created")!.json;
    assert.equal(note.private, true);
    assert.equal(note.conversation.messages[0].id, posted.body.id);
  });

  it("does not retry a failed delivery; a failed message callback marks the message failed (once)", async () => {
    const inbox = await apiInbox();
    receiver.status = 500;
    const { conversationId } = await createConversation(bed.admin, inbox.id);
    const posted = await bed.admin.post(`/conversations/${conversationId}/messages`, {
      content: "Hello",
      message_type: "incoming",
    });
    await settled();
    // No retry: one request per event; the failure of message_created updates the message, which is
    // a message_updated; that one fails with the same error and changes nothing more.
    assert.deepEqual(receiver.events(), ["conversation_created", "message_created", "message_updated"]);
    const messages = await bed.admin.get(`/conversations/${conversationId}/messages`);
    const failed = (messages.body.payload as JsonBody[]).find((m) => m.id === posted.body.id);
    assert.equal(failed.status, "failed");
    assert.equal(failed.content_attributes.external_error, "500 Internal Server Error");
    const incoming = receiver.calls[1]!.json;
    assert.deepEqual(Object.keys(incoming.sender), CONTACT_WEBHOOK_KEYS);
    assert.equal(incoming.message_type, "incoming");
    assert.deepEqual(
      bed.emulator.webhookDeliveries().map((d) => [d.event, d.outcome, d.httpStatus]),
      [
        ["conversation_created", "failed", 500],
        ["message_created", "failed", 500],
        ["message_updated", "failed", 500],
      ],
    );
  });

  it("calls loopback receivers only: another host is refused without a request", async () => {
    const inbox = await apiInbox("http://callbacks.example.com/hook");
    await createConversation(bed.admin, inbox.id);
    await settled();
    const [delivery] = bed.emulator.webhookDeliveries();
    assert.equal(delivery?.outcome, "refused");
    assert.match(delivery!.error!, /loopback addresses only/);
    assert.equal(receiver.calls.length, 0);
  });

  it("sends nothing for inboxes without a webhook URL, other channels, or activity messages", async () => {
    const silent = await apiInbox(null);
    const widget = await bed.admin.post("/inboxes", {
      name: "Site",
      channel: { type: "web_widget", website_url: "https://example.com" },
    });
    await createConversation(bed.admin, silent.id);
    const { conversationId } = await createConversation(bed.admin, widget.body.id);
    await bed.admin.post(`/conversations/${conversationId}/toggle_status`, { status: "resolved" });
    await settled();
    assert.deepEqual(bed.emulator.webhookDeliveries(), []);
    const inbox = await apiInbox();
    const conversation = await createConversation(bed.admin, inbox.id);
    await settled();
    receiver.calls.length = 0;
    // Resolving adds an activity message: it is not webhook_sendable.
    await bed.admin.post(`/conversations/${conversation.conversationId}/toggle_status`, {
      status: "resolved",
    });
    await settled();
    assert.ok(!receiver.events().includes("message_created"));
  });

  it("lists the deliveries in the inspection API (administrator token only)", async () => {
    const inbox = await apiInbox();
    await createConversation(bed.admin, inbox.id);
    await settled();
    const listed = await bed.root.get("/__emulator/webhooks");
    assert.equal(listed.status, 200);
    const [delivery] = listed.body.deliveries;
    assert.equal(delivery.event, "conversation_created");
    assert.equal(delivery.outcome, "delivered");
    assert.equal(delivery.http_status, 200);
    assert.equal(delivery.inbox_id, inbox.id);
    assert.equal(delivery.signed, true);
    assert.deepEqual(delivery.payload, receiver.calls[0]!.json);
    assert.equal(
      (await bed.root.get("/__emulator/webhooks", { token: bed.emulator.agentToken })).status,
      401,
    );
    // The web view lists them too, by event and outcome, without the signing secret.
    receiver.status = 503;
    await createConversation(bed.admin, inbox.id);
    await settled();
    const page = await (
      await fetch(`${bed.emulator.url}/accounts/${bed.emulator.accountId}/callbacks`)
    ).text();
    assert.match(page, /<code>conversation_created<\/code> 2/);
    assert.match(page, /delivered 200/);
    assert.match(page, /failed<\/span> 503 Service Unavailable/);
    assert.ok(!page.includes(inbox.secret), "the web view showed the webhook secret");
    const accounts = await (await fetch(`${bed.emulator.url}/`)).text();
    assert.match(accounts, new RegExp(`href="/accounts/${bed.emulator.accountId}/callbacks">\\d+</a>`));
    await bed.root.delete("/__emulator/webhooks");
    assert.deepEqual((await bed.root.get("/__emulator/webhooks")).body.deliveries, []);
  });
});
