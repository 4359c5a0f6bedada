import { strict as assert } from "node:assert";
import type { PropertyMap } from "../../harness/wire";
import { ChatwootStack, declare } from "../support/stack";

/**
 * What Chatwoot rewrites on its own, through Pulumi's real dynamic-provider host driven with the
 * engine's rules: each program converges in one `up`, and a second `up` and a `refresh` change nothing.
 */
describe("Server rewrites: the provider converges on what Chatwoot stores", function () {
  this.timeout(60_000);
  let stack: ChatwootStack;

  before(async () => {
    stack = await ChatwootStack.start();
  });
  after(async () => stack?.close());
  beforeEach(() => stack.reset());

  /** Runs `up` with the given registrations and returns each resource's step and outputs by name. */
  async function up(
    resources: Array<["Contact" | "Conversation", string, PropertyMap | ((o: Outputs) => PropertyMap)]>,
  ) {
    const outputs: Outputs = {};
    const result = await stack.engine.up(async (deployment) => {
      for (const [kind, name, inputs] of resources) {
        const resolved = typeof inputs === "function" ? inputs(outputs) : inputs;
        outputs[name] = (await deployment.register(declare(kind, name, resolved))).outputs;
      }
    });
    assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
    const ops = Object.fromEntries(
      result.steps.map((step) => [step.urn.split("::").pop() ?? "", step.op] as const),
    );
    const steps = result.steps.map((step) => `${step.urn.split("::").pop() ?? ""}:${step.op}`);
    return { ops, outputs, steps };
  }
  type Outputs = Record<string, PropertyMap>;

  /** A second `up` is all "same", a `refresh` finds no drift, and an `up` after it is "same" again. */
  async function assertSettled(program: Parameters<typeof up>[0]) {
    const again = await up(program);
    assert.ok(
      Object.values(again.ops).every((op) => op === "same"),
      `second up: ${JSON.stringify(again.ops)}`,
    );
    const refresh = await stack.engine.refresh();
    assert.deepEqual(refresh.errors, []);
    assert.ok(
      refresh.steps.every((step) => step.refreshResult === "same"),
      `refresh: ${JSON.stringify(refresh.steps.map((step) => [step.urn, step.refreshResult]))}`,
    );
    const after = await up(program);
    assert.ok(
      Object.values(after.ops).every((op) => op === "same"),
      `up after refresh: ${JSON.stringify(after.ops)}`,
    );
  }

  describe("labels are tags shared by the installation, matched ignoring case", () => {
    it("takes VIP where another account already tagged with vip, and then changes nothing", async () => {
      // Someone, in another account, tagged a contact `vip` first: that spelling is now the tag's.
      const other = stack.emulator.createAccount({ name: "Elsewhere" });
      const path = `/api/v1/accounts/${other.accountId}`;
      const theirs = await stack.api<{ payload: { contact: { id: number } } }>(
        "POST",
        `${path}/contacts`,
        { email: "theirs@example.com" },
        other.adminToken,
      );
      await stack.api(
        "POST",
        `${path}/contacts/${theirs.payload.contact.id}/labels`,
        { labels: ["vip"] },
        other.adminToken,
      );

      const program: Parameters<typeof up>[0] = [
        ["Contact", "alice", { email: "alice@example.com", labels: ["VIP", "Billing", "billing"] }],
        [
          "Conversation",
          "refund",
          (o) => ({
            inboxId: stack.emulator.inboxId,
            contactId: o.alice!.contactId,
            labels: ["VIP", "Refund"],
            messages: [{ content: "Refunded.", messageType: "outgoing" }],
          }),
        ],
      ];
      const created = await up(program);
      assert.deepEqual(created.outputs.alice!.labels, ["billing", "vip"]);
      assert.deepEqual(created.outputs.refund!.labels, ["refund", "vip"]);
      const contactLabels = await stack.api<{ payload: string[] }>(
        "GET",
        `contacts/${String(created.outputs.alice!.contactId)}/labels`,
      );
      assert.deepEqual(contactLabels.payload.sort(), ["billing", "vip"]);
      const conversation = await stack.api<{ labels: string[] }>(
        "GET",
        `conversations/${String(created.outputs.refund!.conversationId)}`,
      );
      assert.deepEqual(conversation.labels.sort(), ["refund", "vip"]);
      await assertSettled(program);
    });

    it("converges when the shared tag is spelled in upper case elsewhere", async () => {
      const other = stack.emulator.createAccount({ name: "Elsewhere" });
      const path = `/api/v1/accounts/${other.accountId}`;
      const theirs = await stack.api<{ payload: { contact: { id: number } } }>(
        "POST",
        `${path}/contacts`,
        { email: "theirs@example.com" },
        other.adminToken,
      );
      await stack.api(
        "POST",
        `${path}/contacts/${theirs.payload.contact.id}/labels`,
        { labels: ["VIP"] },
        other.adminToken,
      );
      const program: Parameters<typeof up>[0] = [
        ["Contact", "alice", { email: "alice@example.com", labels: ["vip"] }],
      ];
      const created = await up(program);
      // Chatwoot reads the contact's tag back in the installation's spelling; the provider compares ignoring case.
      const contactLabels = await stack.api<{ payload: string[] }>(
        "GET",
        `contacts/${String(created.outputs.alice!.contactId)}/labels`,
      );
      assert.deepEqual(contactLabels.payload, ["VIP"]);
      assert.deepEqual(created.outputs.alice!.labels, ["vip"]);
      await assertSettled(program);
    });

    it("refuses a label Chatwoot would split or could not name, before any request", async () => {
      const result = await stack.engine.up(async (deployment) => {
        await deployment.register(
          declare("Contact", "bad", { email: "b@example.com", labels: ["vip", "a,b", "needs review"] }),
        );
      });
      const messages = result.errors.map((error) => error.message).join("\n");
      assert.match(messages, /\[labels\.1\] must be a Chatwoot label title/);
      assert.match(messages, /\[labels\.2\] must be a Chatwoot label title/);
      assert.deepEqual(stack.requests, [], "check must not call Chatwoot");
    });
  });

  describe("Liquid in outgoing messages", () => {
    const program = (): Parameters<typeof up>[0] => [
      ["Contact", "jane", { name: "jane roe", email: "jane@example.com" }],
      [
        "Conversation",
        "welcome",
        (o) => ({
          inboxId: stack.emulator.inboxId,
          contactId: o.jane!.contactId,
          messages: [
            { content: "Hello {{agent.first_name}}", messageType: "incoming" },
            { content: "Hi {{contact.name}}, `{{literal}}` stays", messageType: "outgoing" },
            { content: "Note for {{ contact.first_name | upcase }}", messageType: "outgoing", private: true },
          ],
        }),
      ],
    ];

    it("renders a seeded template, keeps the declared text as the transcript, and then changes nothing", async () => {
      const created = await up(program());
      const welcome = created.outputs.welcome!;
      const live = await stack.api<{ payload: Array<{ content: string; source_id: string | null }> }>(
        "GET",
        `conversations/${String(welcome.conversationId)}/messages`,
      );
      const seeded = live.payload.filter((message) => message.source_id?.startsWith("pulumi-seed:"));
      assert.deepEqual(
        seeded.map((message) => message.content),
        ["Hello {{agent.first_name}}", "Hi Jane Roe, `{{literal}}` stays", "Note for JANE"],
      );
      assert.deepEqual(
        welcome.messageContents,
        seeded.map((message) => message.content),
      );
      assert.deepEqual(
        (welcome.messages as Array<{ content: string }>).map((message) => message.content),
        [
          "Hello {{agent.first_name}}",
          "Hi {{contact.name}}, `{{literal}}` stays",
          "Note for {{ contact.first_name | upcase }}",
        ],
      );
      await assertSettled(program());
      assert.equal(stack.counts().conversations, 1);
    });

    it("still sees a rendered message deleted in Chatwoot as drift", async () => {
      const created = await up(program());
      const welcome = created.outputs.welcome!;
      const [, rendered] = welcome.messageIds as number[];
      await stack.api(
        "DELETE",
        `conversations/${String(welcome.conversationId)}/messages/${String(rendered)}`,
      );
      const refresh = await stack.engine.refresh();
      const step = refresh.steps.find((candidate) => candidate.urn.endsWith("::welcome"));
      assert.equal(step?.refreshResult, "update");
      const again = await up(program());
      assert.ok(again.steps.includes("welcome:replace"), again.steps.join(", "));
    });
  });

  describe("Email inboxes", () => {
    it("seeds a conversation Chatwoot adds email fields to, and then changes nothing", async () => {
      const inbox = await stack.api<{ id: number }>("POST", "inboxes", {
        name: "Support mail",
        channel: { type: "email", email: "support@example.com" },
      });
      const program = (): Parameters<typeof up>[0] => [
        ["Contact", "jane", { name: "Jane Roe", email: "jane@example.com" }],
        [
          "Conversation",
          "mail",
          (o) => ({
            inboxId: inbox.id,
            contactId: o.jane!.contactId,
            messages: [
              { content: "Dear {{contact.first_name}},\n\nyour order shipped.", messageType: "outgoing" },
              { content: "Sent by the warehouse", messageType: "outgoing", private: true },
              { content: "Tracking", messageType: "outgoing", contentAttributes: { tracking: "T-1" } },
            ],
          }),
        ],
      ];
      const created = await up(program());
      const mail = created.outputs.mail!;
      const live = await stack.api<{
        payload: Array<{ source_id: string | null; content_attributes: Record<string, unknown> }>;
      }>("GET", `conversations/${String(mail.conversationId)}/messages`);
      const seeded = live.payload.filter((message) => message.source_id?.startsWith("pulumi-seed:"));
      assert.deepEqual(
        seeded.map((message) => Object.keys(message.content_attributes).sort()),
        [
          ["bcc_emails", "cc_emails", "email", "to_emails"],
          ["bcc_emails", "cc_emails", "to_emails"],
          ["bcc_emails", "cc_emails", "email", "to_emails", "tracking"],
        ],
        "Chatwoot's email fields are there",
      );
      assert.deepEqual(
        (mail.messages as Array<Record<string, unknown>>).map((message) => message.contentAttributes),
        [undefined, undefined, { tracking: "T-1" }],
        "the transcript is what the program declared",
      );
      await assertSettled(program());
      assert.equal(stack.counts().conversations, 1);
    });
  });
});
