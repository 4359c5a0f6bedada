import { strict as assert } from "node:assert";
import type { PropertyMap } from "../../harness/wire";
import { routeOf } from "../../bench/seed/emulatorProcess";
import { ChatwootStack, declare } from "../support/stack";

/**
 * What a seed costs in requests, through the real provider host: each resource does only what its
 * declaration needs, nothing is looked up twice, and nothing is re-read that an answer already
 * told. Against a real Chatwoot every request is a round trip and a Rails action, and all of them
 * share the per-client rate limit, so these counts are a seed's time.
 */
describe("Requests a seed makes", function () {
  this.timeout(120_000);
  let stack: ChatwootStack;

  before(async () => {
    stack = await ChatwootStack.start();
  });
  after(async () => stack?.close());
  beforeEach(() => stack.reset());

  /** Requests by method and route, ids replaced by `:id`, counted. */
  function requestsByRoute(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const request of stack.requests) {
      const key = `${request.method} ${routeOf(request.path)}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  const PAIRS = 3;

  /** A contact (name, email, custom attribute, label, first contact inbox) and its conversation. */
  async function upPairs(contactExtras: PropertyMap = {}) {
    const result = await stack.engine.up(async (d) => {
      await Promise.all(
        Array.from({ length: PAIRS }, async (_, index) => {
          const contact = await d.register(
            declare("Contact", `contact-${index}`, {
              name: `Contact ${index}`,
              email: `contact-${index}@example.com`,
              customAttributes: { plan: "pro" },
              labels: ["customer"],
              inboxId: stack.emulator.inboxId,
              ...contactExtras,
            }),
          );
          await d.register(
            declare("Conversation", `conversation-${index}`, {
              contactId: contact.outputs.contactId!,
              inboxId: stack.emulator.inboxId,
              sourceId: contact.outputs.sourceId!,
              status: "resolved",
              priority: "high",
              labels: ["billing"],
              messages: [
                { content: `Order ${index} arrived damaged.`, messageType: "incoming" },
                { content: "A replacement is on its way.", messageType: "outgoing" },
                { content: "Replacement sent.", messageType: "outgoing", private: true },
              ],
            }),
          );
        }),
      );
    });
    assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
    return result;
  }

  it("creates a contact and its conversation with 9 requests: one inbox read serves the whole command", async () => {
    await upPairs();
    assert.deepEqual(requestsByRoute(), {
      // The inbox's channel type (which never changes) is read once for every resource.
      "GET inboxes/:id": 1,
      // No lookup first: Chatwoot refuses a taken email itself.
      "POST contacts": PAIRS,
      "POST contacts/:id/labels": PAIRS,
      // No owner lookup in an API inbox, and no re-read: the answers tell the state.
      "POST conversations": PAIRS,
      "POST conversations/:id/messages": 3 * PAIRS,
      "POST conversations/:id/toggle_status": PAIRS,
      "POST conversations/:id/toggle_priority": PAIRS,
      "POST conversations/:id/labels": PAIRS,
    });

    // What the outputs say, built from answers, is what Chatwoot holds: a refresh changes nothing,
    // and a second `up` sends no request at all.
    const refresh = await stack.engine.refresh();
    assert.deepEqual(refresh.errors, []);
    assert.deepEqual(
      refresh.steps.filter((step) => step.refreshResult !== undefined && step.refreshResult !== "same"),
      [],
    );
    stack.requests.length = 0;
    const again = await upPairs();
    assert.ok(again.steps.every((step) => step.op === "same"));
    assert.deepEqual(requestsByRoute(), {});
    const conversations = await stack.api<{ data: { payload: Array<{ status: string; priority: string }> } }>(
      "GET",
      "conversations?status=all",
    );
    assert.deepEqual(
      conversations.data.payload.map((conversation) => [conversation.status, conversation.priority]),
      Array.from({ length: PAIRS }, () => ["resolved", "high"]),
    );
  });

  it("finds a contact that holds the email from Chatwoot's refusal, then adopts it or names it", async () => {
    const existing = await stack.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
      name: "Someone Else",
      email: "contact-0@example.com",
    });
    stack.requests.length = 0;
    const refused = await stack.engine.up(async (d) => {
      await d.register(declare("Contact", "contact-0", { email: "contact-0@example.com" }));
    });
    assert.equal(refused.errors.length, 1);
    assert.match(refused.errors[0]!.message, /\[email\] \(contact-0@example\.com\) already exists/);
    assert.match(refused.errors[0]!.message, new RegExp(`contact ${existing.payload.contact.id}`));
    assert.deepEqual(requestsByRoute(), { "POST contacts": 1, "POST contacts/filter": 1 });
    assert.equal(stack.counts().contacts, 1);

    const adopted = await stack.engine.up(async (d) => {
      const contact = await d.register(
        declare("Contact", "contact-0", { email: "contact-0@example.com", adopt: true }),
      );
      assert.equal(contact.outputs.contactId, existing.payload.contact.id);
    });
    assert.deepEqual(adopted.errors, []);
    assert.equal(stack.counts().contacts, 1);
  });

  it("after a lost answer, a contact that differs from what was posted is someone else's, not this create's", async () => {
    const existing = await stack.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
      name: "Someone Else",
      email: "contact-0@example.com",
    });
    // The POST's answer is lost (a proxy's 502): Chatwoot may or may not have made the contact.
    stack.emulator.addFaultRule({ method: "POST", path: "/contacts", fault: "502", times: 1 });
    const result = await stack.engine.up(async (d) => {
      await d.register(declare("Contact", "contact-0", { name: "Mine", email: "contact-0@example.com" }));
    });
    assert.equal(result.errors.length, 1);
    assert.match(result.errors[0]!.message, new RegExp(`contact ${existing.payload.contact.id}`));
    assert.match(result.errors[0]!.message, /adopt: true/);
    assert.deepEqual(stack.engine.state, []);
    assert.equal(stack.counts().contacts, 1);
  });

  it("names the contact holding a conversation's sourceId from Chatwoot's refusal, making nothing", async () => {
    const holder = await stack.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
      identifier: "holder",
      inbox_id: stack.emulator.inboxId,
      source_id: "taken-session",
    });
    const other = await stack.api<{ payload: { contact: { id: number } } }>("POST", "contacts", {
      identifier: "other",
    });
    stack.requests.length = 0;
    const result = await stack.engine.up(async (d) => {
      await d.register(
        declare("Conversation", "conversation-0", {
          contactId: other.payload.contact.id,
          inboxId: stack.emulator.inboxId,
          sourceId: "taken-session",
          messages: [{ content: "Hello", messageType: "outgoing" }],
        }),
      );
    });
    assert.equal(result.errors.length, 1);
    assert.match(
      result.errors[0]!.message,
      new RegExp(`\\[sourceId\\] "taken-session" belongs to contact ${holder.payload.contact.id}`),
    );
    // Chatwoot refused it before making anything (422); only then is the holder looked up.
    assert.deepEqual(requestsByRoute(), {
      "GET inboxes/:id": 1,
      "POST conversations": 1,
      "POST contact_inboxes/filter": 1,
    });
    assert.equal(stack.counts().conversations, 0);
  });
});
