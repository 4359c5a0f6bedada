import { strict as assert } from "node:assert";
import { describeRun } from "../../harness/program";
import type { ResourceState } from "../../harness/state";
import { stripSecrets } from "../../harness/wire";
import type { RunningEmulator } from "../../emulator";
import { conversationIdFromUrl, exampleDir, ExampleStack, plainOutputs } from "./support/exampleProjects";

const EXAMPLE = exampleDir("staging-seed");

const stagingConfig = (emulator: RunningEmulator) => ({
  "staging:inboxId": String(emulator.inboxId),
  "staging:agentId": String(emulator.agentId),
  "staging:teamId": String(emulator.teamId),
});

/** What the program declared for one resource type: the registered inputs, by resource name. */
function declared(state: readonly ResourceState[], kind: "Contact" | "ContactInbox" | "Conversation") {
  return state
    .filter((resource) => resource.type === `pulumi-nodejs:dynamic/chatwoot:${kind}`)
    .map((resource) => ({
      name: resource.urn.split("::").pop()!,
      inputs: stripSecrets(resource.inputs) as Record<string, unknown>,
      outputs: stripSecrets(resource.outputs) as Record<string, unknown>,
    }));
}

/**
 * examples/staging-seed, unmodified and run in place, against the emulator: the expectations come
 * from what the program itself declared (the registered inputs), never from copied numbers.
 */
describe("examples/staging-seed: Contact, ContactInbox and Conversation written directly", function () {
  // A guard against a hang, not a speed test: a whole program run took up to 112 s on the 2-core
  // machine while other test suites loaded it (load average 20).
  this.timeout(300_000);
  let stack: ExampleStack;
  let outputs: Record<string, unknown> = {};

  before(async () => {
    stack = await ExampleStack.start(EXAMPLE, stagingConfig);
  });
  after(async () => {
    await stack?.close();
  });

  it("previews (type-checked), creates, and then finds nothing to change", async () => {
    const preview = await stack.run(EXAMPLE, { preview: true, typeCheck: true });
    assert.equal(preview.exitCode, 0, describeRun(preview));
    assert.ok(
      (preview.summary.create ?? 0) > 1 && Object.keys(preview.summary).length === 1,
      describeRun(preview),
    );
    assert.equal(stack.counts().contacts, 0);

    const up = await stack.run(EXAMPLE);
    assert.equal(up.exitCode, 0, describeRun(up));
    assert.deepEqual(up.summary, preview.summary);
    outputs = plainOutputs(up);

    const again = await stack.run(EXAMPLE);
    assert.equal(again.exitCode, 0, describeRun(again));
    assert.deepEqual(again.summary, { same: up.summary.create });
  });

  it("covers every status and priority, with labels, private notes, an assignee and a team", () => {
    const conversations = declared(stack.engine.state, "Conversation").map((c) => c.inputs);
    assert.deepEqual(
      new Set(conversations.map((c) => c.status)),
      new Set(["open", "resolved", "pending", "snoozed"]),
    );
    assert.deepEqual(
      new Set(conversations.map((c) => c.priority)),
      new Set(["low", "medium", "high", "urgent"]),
    );
    assert.ok(conversations.some((c) => c.status === "snoozed" && typeof c.snoozedUntil === "string"));
    assert.ok(conversations.some((c) => (c.labels as string[] | undefined)?.length));
    assert.ok(conversations.some((c) => c.assigneeId === stack.emulator.agentId));
    assert.ok(conversations.some((c) => c.teamId === stack.emulator.teamId));
    const messages = conversations.flatMap((c) => c.messages as Array<Record<string, unknown>>);
    assert.ok(messages.some((message) => message.private === true));
    assert.ok(messages.some((message) => message.messageType === "incoming"));
  });

  it("leaves Chatwoot holding exactly what the program declared", async () => {
    const state = stack.engine.state;
    const contacts = declared(state, "Contact");
    const sessions = declared(state, "ContactInbox");
    const conversations = declared(state, "Conversation");
    const counts = stack.counts();
    assert.deepEqual(
      [counts.contacts, counts.contactInboxes, counts.conversations],
      [contacts.length, sessions.length, conversations.length],
    );

    for (const { name, inputs, outputs: created } of contacts) {
      const held = await stack.reader.contact(created.contactId as number);
      assert.ok(held, `contact ${name}`);
      assert.deepEqual(
        {
          name: held.name,
          email: held.email,
          phoneNumber: held.phoneNumber,
          identifier: held.identifier,
          customAttributes: held.customAttributes,
          labels: held.labels,
        },
        {
          name: inputs.name,
          email: (inputs.email as string | undefined)?.toLowerCase() ?? null,
          phoneNumber: inputs.phoneNumber ?? null,
          identifier: inputs.identifier ?? null,
          customAttributes: inputs.customAttributes ?? {},
          labels: [...((inputs.labels as string[] | undefined) ?? [])].sort(),
        },
        `contact ${name}`,
      );
      for (const [key, value] of Object.entries((inputs.additionalAttributes as object | undefined) ?? {})) {
        assert.deepEqual(
          held.additionalAttributes[key],
          value,
          `contact ${name} additional attribute ${key}`,
        );
      }
      const ownSessions = sessions.filter((session) => session.inputs.contactId === created.contactId);
      assert.deepEqual(
        held.sessions,
        ownSessions.map((session) => `${session.inputs.inboxId}:${session.outputs.sourceId}`).sort(),
        `contact ${name}'s contact inboxes`,
      );
    }

    for (const { name, inputs, outputs: created } of conversations) {
      const held = await stack.reader.conversation(created.conversationId as number);
      assert.ok(held, `conversation ${name}`);
      assert.deepEqual(
        {
          contactId: held.contactId,
          inboxId: held.inboxId,
          sourceId: held.sourceId,
          status: held.status,
          priority: held.priority,
          labels: held.labels,
          assigneeId: held.assigneeId,
          teamId: held.teamId,
          snoozedUntil: held.snoozedUntil === null ? null : Date.parse(held.snoozedUntil),
          messages: held.messages,
        },
        {
          contactId: inputs.contactId,
          inboxId: inputs.inboxId,
          sourceId: inputs.sourceId,
          status: inputs.status ?? "open",
          priority: inputs.priority ?? null,
          labels: [...((inputs.labels as string[] | undefined) ?? [])].sort(),
          assigneeId: inputs.assigneeId ?? null,
          teamId: inputs.teamId ?? null,
          snoozedUntil: inputs.snoozedUntil === undefined ? null : Date.parse(inputs.snoozedUntil as string),
          messages: (inputs.messages as Array<Record<string, unknown>>).map((message) => ({
            content: message.content,
            messageType: message.messageType ?? "outgoing",
            private: message.private ?? false,
          })),
        },
        `conversation ${name}`,
      );
    }
  });

  it("exports every contact's id and every conversation's URL", () => {
    const state = stack.engine.state;
    const contactIds = Object.values(outputs.contactIds as Record<string, unknown>).sort();
    assert.deepEqual(
      contactIds,
      declared(state, "Contact")
        .map((c) => c.outputs.contactId)
        .sort(),
    );
    const urls = Object.values(outputs.conversationUrls as Record<string, unknown>);
    for (const url of urls)
      assert.ok(String(url).startsWith(`${stack.emulator.url}/app/accounts/`), String(url));
    assert.deepEqual(
      urls.map(conversationIdFromUrl).sort(),
      declared(state, "Conversation")
        .map((c) => c.outputs.conversationId)
        .sort(),
    );
  });
});
