import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { describeRun } from "../../harness/program";
import { parseUrn } from "../../harness/urn";
import { loadSeedData } from "../../provider";
import { contactKey } from "../../provider/seed/names";
import type { BareAccount } from "../../emulator";
import { DEMO_AGENT_EMAIL, openDemoAccount } from "../../scripts/demo/demoAccount";
import {
  assertChatwootHolds,
  datasetCounts,
  resourceNamesOf,
  type Lookups,
} from "./support/datasetExpectations";
import { copyExample, exampleDir, ExampleStack, plainOutputs } from "./support/exampleProjects";

const EXAMPLE = exampleDir("demo-dataset");
const DATASET_FILE = path.join(EXAMPLE, "dataset.yaml");

/** Where the demo's API inbox sends its callbacks: no receiver listens, and none is needed here. */
const CALLBACK_URL = "http://127.0.0.1:9/chatwoot-callbacks";

/** The program's own stack config (examples/demo-dataset/index.ts): names need no ids. */
const demoConfig = () => ({ "demo:callbackUrl": CALLBACK_URL });

/** Ids for the data's names: the inbox the program declared, the account's agent and team. */
const lookupsOf = (account: BareAccount, inboxId: number): Lookups => ({
  inboxes: { "Lumen API": inboxId },
  agents: { [DEMO_AGENT_EMAIL]: account.agentId },
  teams: { support: account.teamId },
});

/**
 * examples/demo-dataset, unmodified, run in place (Node resolves `pulumi-chatwoot` and
 * `@pulumi/pulumi` upwards, to the repository's node_modules) through Pulumi's program runner and
 * the real provider host, against the emulator.
 */
describe("examples/demo-dataset: the Seed component over dataset.yaml", function () {
  // A guard against a hang, not a speed test: a whole program run took up to 112 s on the 2-core
  // machine while other test suites loaded it (load average 20).
  this.timeout(300_000);
  const data = loadSeedData(DATASET_FILE);
  const expected = datasetCounts(data);
  let stack: ExampleStack;
  let conversationUrls: Record<string, unknown> = {};
  let inboxId = 0;

  before(async () => {
    stack = await ExampleStack.start(EXAMPLE, demoConfig, { account: openDemoAccount });
  });
  after(async () => {
    await stack?.close();
  });

  it("is at least as rich as Chatwoot's own demo seeder for an API inbox", () => {
    const conversations = data.contacts.flatMap((contact) => contact.conversations ?? []);
    assert.ok(data.contacts.length >= 20, "20+ contacts");
    for (const contact of data.contacts) {
      assert.ok(contact.email, `${contactKey(contact)} has an email`);
      assert.ok(contact.identifier, `${contactKey(contact)} has an identifier`);
      assert.ok(
        contact.customAttributes && Object.keys(contact.customAttributes).length > 0,
        "custom attributes",
      );
      assert.ok((contact.conversations ?? []).length >= 1, `${contactKey(contact)} has a conversation`);
    }
    assert.ok(
      data.contacts.filter((contact) => contact.phoneNumber !== undefined).length >= 20,
      "phone numbers",
    );
    for (const conversation of conversations) {
      assert.ok(conversation.messages.length >= 1 && conversation.messages.length <= 4, "1-4 messages");
    }
    const messages = conversations.flatMap((conversation) => conversation.messages);
    assert.ok(messages.some((message) => message.messageType === "incoming"));
    assert.ok(messages.some((message) => message.messageType === "outgoing" && !message.private));
    assert.ok(messages.some((message) => message.private === true));
    assert.deepEqual(
      new Set(conversations.map((conversation) => conversation.priority)),
      new Set([undefined, "low", "medium", "high", "urgent"]),
    );
    assert.deepEqual(
      new Set(conversations.map((conversation) => conversation.status)),
      new Set(["open", "resolved", "pending", "snoozed"]),
    );
    const resolvedShare = conversations.filter((c) => c.status === "resolved").length / conversations.length;
    assert.ok(resolvedShare >= 0.55 && resolvedShare <= 0.65, `about 60% resolved (${resolvedShare})`);
    assert.ok(conversations.every((c) => c.status !== "snoozed" || c.snoozedUntil !== undefined));
    assert.ok(conversations.some((c) => (c.labels ?? []).length > 1));
  });

  it("previews every resource of the data set, type-checked, without touching Chatwoot", async () => {
    const preview = await stack.run(EXAMPLE, { preview: true, typeCheck: true });
    assert.equal(preview.exitCode, 0, describeRun(preview));
    assert.deepEqual(preview.summary, { create: expected.registrations });
    assert.equal(stack.counts().contacts, 0);
  });

  it("creates exactly the data set, then a second run changes nothing", async () => {
    const up = await stack.run(EXAMPLE);
    assert.equal(up.exitCode, 0, describeRun(up));
    assert.deepEqual(up.summary, { create: expected.registrations });
    const counts = stack.counts();
    assert.deepEqual(
      [counts.contacts, counts.contactInboxes, counts.conversations],
      [expected.contacts, expected.contactInboxes, expected.conversations],
    );
    const outputs = plainOutputs(up);
    assert.deepEqual(outputs.counts, {
      apiInboxes: expected.apiInboxes,
      labels: expected.labels,
      attributeDefinitions: expected.attributeDefinitions,
      contacts: expected.contacts,
      contactInboxes: expected.contactInboxes,
      conversations: expected.conversations,
      messages: expected.messages,
    });
    conversationUrls = outputs.conversationUrls as Record<string, unknown>;
    // From an empty account: the program made its own API inbox, with the callback URL it was given.
    inboxId = (outputs.apiInbox as { id: number }).id;
    const inboxes = await stack.reader.get<{
      payload: Array<{ id: number; name: string; webhook_url: string }>;
    }>("inboxes");
    assert.deepEqual(
      inboxes.payload.map((inbox) => [inbox.id, inbox.name, inbox.webhook_url]),
      [[inboxId, "Lumen API", CALLBACK_URL]],
    );
    // And its labels, as the dashboard shows them.
    const labels = await stack.reader.get<{
      payload: Array<{ title: string; color: string; description: string; show_on_sidebar: boolean }>;
    }>("labels");
    assert.deepEqual(
      labels.payload
        .map((label) => [label.title, label.color, label.description, label.show_on_sidebar])
        .sort(),
      (data.labels ?? [])
        .map((label) => [label.title, label.color, label.description, label.showOnSidebar])
        .sort(),
    );
    // And the definitions of the custom attributes it uses, by model, key, name and type.
    const definitions = await stack.reader.get<
      Array<{
        attribute_model: string;
        attribute_key: string;
        attribute_display_name: string;
        attribute_display_type: string;
      }>
    >("custom_attribute_definitions");
    const modelName = (model: string) => model.replace(/_attribute$/, "");
    assert.deepEqual(
      definitions
        .map((d) => [
          modelName(d.attribute_model),
          d.attribute_key,
          d.attribute_display_name,
          d.attribute_display_type,
        ])
        .sort(),
      (data.customAttributeDefinitions ?? [])
        .map((d) => [d.attributeModel, d.attributeKey, d.displayName, d.displayType ?? "text"])
        .sort(),
    );

    const again = await stack.run(EXAMPLE);
    assert.equal(again.exitCode, 0, describeRun(again));
    assert.deepEqual(again.summary, { same: expected.registrations });
  });

  it("leaves Chatwoot holding exactly the data set: contacts, sessions, conversations, messages in order", async () => {
    await assertChatwootHolds(data, stack.reader, lookupsOf(stack.account, inboxId), conversationUrls);
  });

  it("changes nothing when the data file is reordered", async () => {
    const raw = parseYaml(fs.readFileSync(DATASET_FILE, "utf8")) as {
      contacts: Array<Record<string, unknown>>;
    };
    const reordered = {
      ...raw,
      contacts: [...raw.contacts].reverse().map((contact) => ({
        ...Object.fromEntries(Object.entries(contact).reverse()),
        ...(Array.isArray(contact.conversations)
          ? { conversations: [...contact.conversations].reverse() }
          : {}),
      })),
    };
    const copy = copyExample("demo-dataset", { "dataset.yaml": stringifyYaml(reordered) });
    try {
      const run = await stack.run(copy.dir);
      assert.equal(run.exitCode, 0, describeRun(run));
      assert.deepEqual(run.summary, { same: expected.registrations });
    } finally {
      copy.remove();
    }
  });

  it("deletes exactly a removed contact's contact, sessions and conversations", async () => {
    const raw = parseYaml(fs.readFileSync(DATASET_FILE, "utf8")) as { contacts: Array<{ key?: string }> };
    // The richest entry: a contact with several conversations.
    const removed = data.contacts.find((contact) => (contact.conversations ?? []).length > 1)!;
    const remaining = { ...raw, contacts: raw.contacts.filter((contact) => contact.key !== removed.key) };
    const removedNames = resourceNamesOf("demo", removed);
    const removedContactId = (await stack.reader.contacts()).find((c) => c.email === removed.email)!.id;

    const copy = copyExample("demo-dataset", { "dataset.yaml": stringifyYaml(remaining) });
    try {
      const run = await stack.run(copy.dir);
      assert.equal(run.exitCode, 0, describeRun(run));
      const deleted = run.steps.filter((step) => step.op === "delete").map((step) => parseUrn(step.urn).name);
      assert.deepEqual(deleted.sort(), [...removedNames].sort());
      assert.deepEqual(run.summary, {
        same: expected.registrations - removedNames.length,
        delete: removedNames.length,
      });
    } finally {
      copy.remove();
    }

    const reduced = loadSeedData({
      ...data,
      contacts: data.contacts.filter((contact) => contact !== removed),
    });
    const counts = await eventually(
      () => stack.counts(),
      (c) => c.conversations === datasetCounts(reduced).conversations,
    );
    assert.deepEqual(
      [counts.contacts, counts.contactInboxes, counts.conversations],
      [
        datasetCounts(reduced).contacts,
        datasetCounts(reduced).contactInboxes,
        datasetCounts(reduced).conversations,
      ],
    );
    assert.equal(await stack.reader.contact(removedContactId), undefined);
    // Everything else is exactly as before.
    await assertChatwootHolds(reduced, stack.reader, lookupsOf(stack.account, inboxId), conversationUrls);
  });
});

/** Chatwoot deletes conversations in a background job: poll briefly for the condition. */
async function eventually<T>(read: () => T, done: (value: T) => boolean, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
