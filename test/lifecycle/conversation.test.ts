import { strict as assert } from "node:assert";
import type { Registered } from "../../harness/engine";
import type { PropertyMap } from "../../harness/wire";
import { unknown } from "../../harness/wire";
import { conversationFields } from "../../provider/resources/conversation/spec";
import { ADMIN_TOKEN, AGENT_TOKEN, ChatwootStack, declare } from "../support/stack";

interface ConversationJson {
  id: number;
  status: string;
  priority: string | null;
  labels: string[];
  custom_attributes: Record<string, unknown>;
  additional_attributes: Record<string, unknown>;
  meta: { assignee?: { id: number }; team?: { id: number }; sender: { id: number } };
}
interface MessageJson {
  id: number;
  content: string;
  message_type: number;
  private: boolean;
  source_id: string | null;
}

/** What a refresh found, by resource name (steps finish in any order). */
function refreshResults(
  steps: ReadonlyArray<{ urn: string; refreshResult?: string }>,
): Record<string, string | undefined> {
  return Object.fromEntries(steps.map((step) => [step.urn.split("::").pop()!, step.refreshResult]));
}

/** The conversation resource through the real provider host, with an administrator's and an agent's token. */
for (const as of ["admin", "agent"] as const) {
  describe(`Conversation lifecycle (${as} token)`, function () {
    this.timeout(60_000);
    let stack: ChatwootStack;

    before(async () => {
      stack = await ChatwootStack.start({ as });
    });
    after(async () => stack?.close());
    beforeEach(() => stack.reset());

    const messages = [
      { content: "Hi, I was charged twice.", messageType: "incoming" },
      { content: "Sorry! Refunding now.", messageType: "outgoing" },
      { content: "Refund ticket R-77", messageType: "outgoing", private: true },
    ];
    const refund = (): PropertyMap => ({
      status: "resolved",
      priority: "high",
      labels: ["billing", "refund"],
      assigneeId: stack.emulator.agentId,
      teamId: stack.emulator.teamId,
      customAttributes: { order_id: "A-1001" },
      additionalAttributes: { channel: "api" },
      messages,
    });

    /** `pulumi up` of a contact, its contact inbox and one conversation with `fields`. */
    async function up(
      fields: PropertyMap,
      options: { contact?: PropertyMap; sessionSourceId?: string } = {},
    ) {
      const registered: Record<string, Registered> = {};
      const result = await stack.engine.up(async (d) => {
        const contact = await d.register(
          declare("Contact", "alice", options.contact ?? { identifier: "crm-1" }),
        );
        const session = await d.register(
          declare("ContactInbox", "alice-api", {
            contactId: contact.outputs.contactId!,
            inboxId: stack.emulator.inboxId,
            ...(options.sessionSourceId ? { sourceId: options.sessionSourceId } : {}),
          }),
        );
        registered.conversation = await d.register(
          declare(
            "Conversation",
            "refund",
            {
              inboxId: stack.emulator.inboxId,
              contactId: contact.outputs.contactId!,
              sourceId: session.outputs.sourceId!,
              ...fields,
            },
            { dependsOn: [contact.urn, session.urn] },
          ),
        );
      });
      assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
      const ops = result.steps.filter((s) => s.urn.endsWith("::refund")).map((s) => s.op);
      return {
        op: ops.includes("replace") ? "replace" : ops[0],
        outputs: registered.conversation!.outputs,
        replaceKeys: result.steps.find((s) => s.op === "replace")?.replaceKeys,
      };
    }

    /** The refund conversation as the first `up` creates it: made once, then put back for each test. */
    const refundCreated = () => stack.startFrom("refund created", () => up(refund()));

    const live = async (id: unknown) => stack.api<ConversationJson>("GET", `conversations/${String(id)}`);
    const liveMessages = async (id: unknown) =>
      (await stack.api<{ payload: MessageJson[] }>("GET", `conversations/${String(id)}/messages`)).payload;
    /** Chatwoot's state as the program describes it. */
    const liveState = async (id: unknown) => {
      const conversation = await live(id);
      return {
        status: conversation.status,
        priority: conversation.priority,
        labels: [...conversation.labels].sort(),
        assigneeId: conversation.meta.assignee?.id,
        teamId: conversation.meta.team?.id,
        customAttributes: conversation.custom_attributes,
      };
    };

    it("creates exactly the declared end state, whatever Chatwoot does on the way", async () => {
      const { op, outputs } = await up(refund());
      assert.equal(op, "create");
      assert.deepEqual(await liveState(outputs.conversationId), {
        status: "resolved",
        priority: "high",
        labels: ["billing", "refund"],
        assigneeId: stack.emulator.agentId,
        teamId: stack.emulator.teamId,
        customAttributes: { order_id: "A-1001" },
      });
      const posted = (await liveMessages(outputs.conversationId)).filter((m) => m.message_type !== 2);
      assert.deepEqual(
        posted.map((m) => [m.content, m.message_type, m.private]),
        [
          ["Hi, I was charged twice.", 0, false],
          ["Sorry! Refunding now.", 1, false],
          ["Refund ticket R-77", 1, true],
        ],
      );
      assert.deepEqual(
        outputs.messageIds,
        posted.map((m) => m.id),
      );
      assert.equal(
        outputs.url,
        `${stack.emulator.url}/app/accounts/${stack.emulator.accountId}/conversations/${String(outputs.conversationId)}`,
      );
      assert.equal(typeof outputs.uuid, "string");
      assert.deepEqual(outputs.messages, [
        { content: "Hi, I was charged twice.", messageType: "incoming" },
        { content: "Sorry! Refunding now.", messageType: "outgoing" },
        { content: "Refund ticket R-77", messageType: "outgoing", private: true },
      ]);
      const conversation = await live(outputs.conversationId);
      assert.equal(conversation.additional_attributes.channel, "api");
      assert.deepEqual(outputs.additionalAttributes, { channel: "api" });
      assert.equal(stack.counts().conversations, 1);
    });

    it("changes nothing on a second up, nor after a refresh; activity and human messages are not drift", async () => {
      const { outputs } = await refundCreated();
      assert.equal((await up(refund())).op, "same");
      await stack.api("POST", `conversations/${String(outputs.conversationId)}/messages`, {
        content: "Added by a person",
      });
      const refresh = await stack.engine.refresh();
      assert.deepEqual(refreshResults(refresh.steps), { alice: "same", "alice-api": "same", refund: "same" });
      assert.equal((await up(refund())).op, "same");
      assert.equal(stack.counts().conversations, 1);
    });

    it("reopening through an agent token does not leave the agent assigned", async () => {
      const { outputs } = await up({ status: "resolved", messages });
      const reopened = await up({ status: "open", messages });
      assert.equal(reopened.op, "update");
      assert.deepEqual(await liveState(outputs.conversationId), {
        status: "open",
        priority: null,
        labels: [],
        assigneeId: undefined,
        teamId: undefined,
        customAttributes: {},
      });
    });

    // `undefined` stands for leaving the field out of the program.
    const inPlace: Array<[string, Record<string, PropertyMap[string] | undefined>]> = [
      ["status", { status: "pending" }],
      ["snoozedUntil", { status: "snoozed", snoozedUntil: "2031-01-02T03:04:05Z" }],
      ["priority", { priority: "urgent" }],
      ["labels", { labels: ["escalated"] }],
      ["assigneeId (unassigned when left out)", { assigneeId: undefined }],
      ["teamId (none when left out)", { teamId: undefined }],
      ["customAttributes (replaced)", { customAttributes: { order_id: "A-2002", tier: 2 } }],
    ];
    for (const [field, change] of inPlace) {
      it(`updates ${field} in place`, async () => {
        const created = await refundCreated();
        const changed = withoutUndefined({ ...refund(), ...change });
        const { op, outputs } = await up(changed);
        assert.equal(op, "update");
        assert.equal(outputs.conversationId, created.outputs.conversationId);
        const state = await liveState(outputs.conversationId);
        const expected = {
          status: changed.status,
          priority: changed.priority ?? null,
          labels: changed.labels,
          assigneeId: changed.assigneeId,
          teamId: changed.teamId,
          customAttributes: changed.customAttributes,
        };
        assert.deepEqual(state, expected);
        if (change.snoozedUntil) assert.equal(outputs.snoozedUntil, "2031-01-02T03:04:05Z");
        assert.equal((await up(changed)).op, "same");
      });
    }

    it("appends new messages in place, in order, after the existing ones", async () => {
      const created = await refundCreated();
      const more = [...messages, { content: "Any update?", messageType: "incoming" }, { content: "Done!" }];
      const { op, outputs } = await up({ ...refund(), messages: more });
      assert.equal(op, "update");
      assert.equal(outputs.conversationId, created.outputs.conversationId);
      const posted = (await liveMessages(outputs.conversationId)).filter((m) => m.message_type !== 2);
      assert.deepEqual(
        posted.map((m) => m.content),
        more.map((m) => m.content),
      );
      // The new incoming message reopened it in Chatwoot; the provider put the declared status back.
      assert.equal((await live(outputs.conversationId)).status, "resolved");
      assert.deepEqual(
        outputs.messageIds,
        posted.map((m) => m.id),
      );
    });

    // Replacing deletes the old conversation, which Chatwoot allows administrators only.
    const replacing: Array<[string, (inputs: PropertyMap) => PropertyMap, string]> = [
      [
        "an edited message",
        (i) => ({ ...i, messages: [{ content: "Edited", messageType: "incoming" }, ...messages.slice(1)] }),
        "messages",
      ],
      ["a removed message", (i) => ({ ...i, messages: messages.slice(0, 2) }), "messages"],
      [
        "additionalAttributes",
        (i) => ({ ...i, additionalAttributes: { channel: "email" } }),
        "additionalAttributes",
      ],
      ["inboxId", (i) => ({ ...i, inboxId: stack.emulator.otherInboxId, sourceId: "moved" }), "inboxId"],
      ["sourceId", (i) => ({ ...i, sourceId: "another-session" }), "sourceId"],
    ];
    // Moving to another contact or account (separate programs, as they need other resources).
    if (as === "admin") {
      it("replaces the conversation for contactId and for accountId", async () => {
        await refundCreated();
        const toBob = await stack.engine.up(async (d) => {
          const bob = await d.register(declare("Contact", "bob", { identifier: "crm-2" }));
          await d.register(
            declare("Conversation", "refund", {
              ...refund(),
              inboxId: stack.emulator.inboxId,
              contactId: bob.outputs.contactId!,
            }),
          );
        });
        assert.deepEqual(toBob.errors, []);
        assert.deepEqual(toBob.steps.find((s) => s.op === "replace")?.replaceKeys, ["contactId"]);
        const second = stack.emulator.createAccount({ name: "Second", adminToken: ADMIN_TOKEN });
        const moved = await stack.engine.up(async (d) => {
          const carol = await d.register(
            declare("Contact", "carol", { identifier: "crm-3", accountId: second.accountId }),
          );
          await d.register(
            declare("Conversation", "refund", {
              ...refund(),
              assigneeId: second.agentId,
              teamId: second.teamId,
              accountId: second.accountId,
              inboxId: second.inboxId,
              contactId: carol.outputs.contactId!,
            }),
          );
        });
        assert.deepEqual(moved.errors, []);
        assert.ok(moved.steps.find((s) => s.op === "replace")?.replaceKeys?.includes("accountId"));
        const state = stack.engine.state.find((r) => r.urn.endsWith("::refund") && !r.delete)!;
        const conversation = await stack.api<ConversationJson>(
          "GET",
          `/api/v1/accounts/${second.accountId}/conversations/${state.id}`,
        );
        assert.equal(conversation.status, "resolved");
      });

      it("has a test for every documented field (README's Conversation table)", () => {
        const tested = new Set([
          ...inPlace.map(([label]) => label.split(" ")[0]),
          ...replacing.map(([, , key]) => key),
          "contactId",
          "accountId",
          "messages", // appended in place and replaced: their own tests
        ]);
        const documented = Object.entries(conversationFields)
          .filter(([, spec]) => spec.behaviour !== "computed")
          .map(([field]) => field);
        assert.deepEqual(
          documented.filter((field) => !tested.has(field)),
          [],
        );
      });
    }
    for (const [what, change, key] of as === "admin" ? replacing : []) {
      it(`replaces the conversation for ${what}`, async () => {
        const created = await refundCreated();
        const { op, outputs, replaceKeys } = await up(change(refund()));
        assert.equal(op, "replace");
        assert.ok(replaceKeys?.includes(key), `replace keys ${JSON.stringify(replaceKeys)}`);
        assert.notEqual(outputs.conversationId, created.outputs.conversationId);
        // The old one is deleted after the new one exists (Chatwoot deletes in the background).
        await waitFor(async () => stack.counts().conversations === 1);
        assert.equal((await live(outputs.conversationId)).status, "resolved");
      });
    }

    it("refresh shows drift in every field, and the next up puts the program back", async () => {
      const { outputs } = await refundCreated();
      const id = String(outputs.conversationId);
      await stack.api("POST", `conversations/${id}/toggle_status`, { status: "open" });
      await stack.api("POST", `conversations/${id}/toggle_priority`, { priority: "low" });
      await stack.api("POST", `conversations/${id}/labels`, { labels: ["other"] });
      await stack.api("POST", `conversations/${id}/assignments`, { assignee_id: stack.emulator.adminId });
      await stack.api("POST", `conversations/${id}/assignments`, { team_id: 0 });
      await stack.api("POST", `conversations/${id}/custom_attributes`, {
        custom_attributes: { order_id: "hand" },
      });
      const refresh = await stack.engine.refresh();
      assert.deepEqual(refreshResults(refresh.steps), {
        alice: "same",
        "alice-api": "same",
        refund: "update",
      });
      const recorded = stack.engine.state.find((r) => r.urn.endsWith("::refund"))!.outputs;
      assert.deepEqual(
        [
          recorded.status,
          recorded.priority,
          recorded.labels,
          recorded.assigneeId,
          recorded.teamId,
          recorded.customAttributes,
        ],
        ["open", "low", ["other"], stack.emulator.adminId, undefined, { order_id: "hand" }],
      );
      assert.equal((await up(refund())).op, "update");
      assert.deepEqual(await liveState(id), {
        status: "resolved",
        priority: "high",
        labels: ["billing", "refund"],
        assigneeId: stack.emulator.agentId,
        teamId: stack.emulator.teamId,
        customAttributes: { order_id: "A-1001" },
      });
    });

    it("refresh notices a seeded message deleted in Chatwoot, and the next up replaces the conversation", async () => {
      const { outputs } = await refundCreated();
      const [, second] = outputs.messageIds as number[];
      await stack.api("DELETE", `conversations/${String(outputs.conversationId)}/messages/${second}`);
      const refresh = await stack.engine.refresh();
      assert.deepEqual(refreshResults(refresh.steps), {
        alice: "same",
        "alice-api": "same",
        refund: "update",
      });
      const preview = await stack.engine.preview(async (d) => {
        const contact = await d.register(declare("Contact", "alice", { identifier: "crm-1" }));
        const session = await d.register(
          declare("ContactInbox", "alice-api", {
            contactId: contact.outputs.contactId!,
            inboxId: stack.emulator.inboxId,
          }),
        );
        await d.register(
          declare("Conversation", "refund", {
            ...refund(),
            inboxId: stack.emulator.inboxId,
            contactId: contact.outputs.contactId!,
            sourceId: session.outputs.sourceId!,
          }),
        );
      });
      assert.deepEqual(preview.steps.find((s) => s.op === "replace")?.replaceKeys, ["messages"]);
    });

    it("drops a conversation deleted in Chatwoot on refresh, and the next up recreates it", async () => {
      const { outputs } = await refundCreated();
      await stack.api("DELETE", `conversations/${String(outputs.conversationId)}`, undefined, ADMIN_TOKEN);
      await waitFor(async () => stack.counts().conversations === 0);
      const refresh = await stack.engine.refresh();
      assert.deepEqual(refreshResults(refresh.steps), {
        alice: "same",
        "alice-api": "same",
        refund: "delete",
      });
      const again = await up(refund());
      assert.equal(again.op, "create");
      assert.equal(stack.counts().conversations, 1);
    });

    it("previews without writing, with the contact not created yet", async () => {
      const preview = await stack.engine.preview(async (d) => {
        const contact = await d.register(declare("Contact", "alice", { identifier: "crm-1" }));
        // The conversation's check and diff see the contact id as not known yet.
        assert.equal(contact.outputs.contactId, unknown);
        await d.register(
          declare("Conversation", "refund", {
            ...refund(),
            inboxId: stack.emulator.inboxId,
            contactId: contact.outputs.contactId!,
          }),
        );
      });
      assert.deepEqual(preview.errors, []);
      assert.deepEqual(preview.summary, { create: 2 });
      assert.equal(stack.counts().conversations, 0);
    });

    if (as === "agent") {
      it("replacing makes the new conversation; the old one stays unless an administrator deletes it", async () => {
        const created = await refundCreated();
        const result = await stack.engine.up(async (d) => {
          const contact = await d.register(declare("Contact", "alice", { identifier: "crm-1" }));
          await d.register(
            declare("Conversation", "refund", {
              ...refund(),
              additionalAttributes: { channel: "email" },
              inboxId: stack.emulator.inboxId,
              contactId: contact.outputs.contactId!,
            }),
          );
        });
        assert.match(
          result.errors.map((e) => e.message).join("\n"),
          /only administrators delete conversations/,
        );
        const replacement = stack.engine.state.find((r) => r.urn.endsWith("::refund") && !r.delete)!;
        assert.notEqual(replacement.outputs.conversationId, created.outputs.conversationId);
        assert.equal((await live(replacement.outputs.conversationId)).status, "resolved");
        assert.equal(stack.counts().conversations, 2);
      });
    }

    if (as === "admin") {
      it("destroy deletes the conversation; one already gone is no error", async () => {
        await refundCreated();
        const destroy = await stack.engine.destroy();
        assert.deepEqual(destroy.errors, []);
        await waitFor(async () => stack.counts().conversations === 0 && stack.counts().contacts === 0);
        await up(refund());
        const id = stack.engine.state.find((r) => r.urn.endsWith("::refund"))!.id;
        await stack.api("DELETE", `conversations/${id}`);
        await waitFor(async () => stack.counts().conversations === 0);
        assert.deepEqual((await stack.engine.destroy()).errors, []);
      });
    } else {
      it("explains that deleting needs an administrator, and keeps the conversation in the state", async () => {
        await refundCreated();
        const result = await stack.engine.up(async (d) => {
          await d.register(declare("Contact", "alice", { identifier: "crm-1" }));
        });
        const message = result.errors.map((e) => e.message).join("\n");
        assert.match(message, /only administrators delete conversations .*401.*retainOnDelete/);
        assert.equal(stack.counts().conversations, 1);
        assert.ok(stack.engine.state.some((r) => r.urn.endsWith("::refund")));
      });
    }

    it("never writes a token into the state, the host log or an error", async () => {
      await refundCreated();
      await stack.engine.refresh();
      await up({ ...refund(), status: "open" });
      for (const surface of stack.leakSurfaces()) {
        assert.ok(!surface.includes(ADMIN_TOKEN) && !surface.includes(AGENT_TOKEN), "a token leaked");
      }
    });
  });
}

function withoutUndefined(record: Record<string, PropertyMap[string] | undefined>): PropertyMap {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as PropertyMap;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
