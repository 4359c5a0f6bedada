import { strict as assert } from "node:assert";
import { randomBytes } from "node:crypto";
import { Engine, type Registered } from "../../harness/engine";
import type { PropertyMap } from "../../harness/wire";
import { declare, REPOSITORY_ROOT } from "../support/stack";

/**
 * The opt-in tier against a real Chatwoot. Set CHATWOOT_LIVE_URL, CHATWOOT_LIVE_TOKEN (an
 * administrator's API access token), CHATWOOT_LIVE_ACCOUNT_ID and CHATWOOT_LIVE_INBOX_ID (an API
 * inbox). Every object carries this run's prefix, and a sweep deletes whatever carries it at the end.
 */
const live = {
  url: process.env.CHATWOOT_LIVE_URL,
  token: process.env.CHATWOOT_LIVE_TOKEN,
  accountId: process.env.CHATWOOT_LIVE_ACCOUNT_ID,
  inboxId: process.env.CHATWOOT_LIVE_INBOX_ID,
};

describe("live Chatwoot: the provider lifecycle against a real server", function () {
  this.timeout(300_000);
  const prefix = `pcw-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
  let engine: Engine | undefined;

  before(async function () {
    const missing = Object.entries({
      CHATWOOT_LIVE_URL: live.url,
      CHATWOOT_LIVE_TOKEN: live.token,
      CHATWOOT_LIVE_ACCOUNT_ID: live.accountId,
      CHATWOOT_LIVE_INBOX_ID: live.inboxId,
    })
      .filter(([, value]) => !value)
      .map(([name]) => name);
    if (missing.length > 0) {
      console.warn(`      SKIPPED: set ${missing.join(", ")} to run the lifecycle against a real Chatwoot`);
      this.skip();
    }
    engine = await Engine.start({
      projectDir: REPOSITORY_ROOT,
      config: {
        "chatwoot:url": live.url!,
        "chatwoot:accountId": live.accountId!,
        "chatwoot:apiAccessToken": live.token!,
      },
      secretConfigKeys: ["chatwoot:apiAccessToken"],
    });
  });

  after(async function () {
    if (engine === undefined) return;
    try {
      await engine.destroy({ continueOnError: true });
    } finally {
      await engine.close();
      await sweep(prefix);
    }
  });

  const inboxId = () => Number(live.inboxId);
  const contactInputs = (extra: PropertyMap = {}): PropertyMap => ({
    name: `${prefix} Alice`,
    email: `${prefix}-alice@example.invalid`,
    identifier: `${prefix}-alice`,
    customAttributes: { run: prefix },
    labels: ["pcw-live"],
    ...extra,
  });
  const conversationInputs = (extra: PropertyMap = {}): PropertyMap => ({
    status: "resolved",
    priority: "high",
    labels: ["pcw-live"],
    customAttributes: { run: prefix },
    messages: [
      { content: `${prefix}: hello`, messageType: "incoming" },
      { content: `${prefix}: hi there`, messageType: "outgoing" },
      { content: `${prefix}: note`, messageType: "outgoing", private: true },
    ],
    ...extra,
  });

  async function up(contact: PropertyMap, conversation: PropertyMap) {
    const outputs: Record<string, Registered> = {};
    const result = await engine!.up(async (d) => {
      outputs.contact = await d.register(declare("Contact", "alice", contact));
      outputs.session = await d.register(
        declare("ContactInbox", "alice-api", {
          contactId: outputs.contact.outputs.contactId!,
          inboxId: inboxId(),
        }),
      );
      outputs.conversation = await d.register(
        declare("Conversation", "hello", {
          inboxId: inboxId(),
          contactId: outputs.contact.outputs.contactId!,
          sourceId: outputs.session.outputs.sourceId!,
          ...conversation,
        }),
      );
    });
    assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
    return { result, outputs };
  }

  it("creates, then a second up and a refresh find nothing to change", async () => {
    const { result } = await up(contactInputs(), conversationInputs());
    assert.deepEqual(result.summary, { create: 3 });
    assert.deepEqual((await up(contactInputs(), conversationInputs())).result.summary, { same: 3 });
    const refresh = await engine!.refresh();
    assert.deepEqual(refresh.errors, []);
    assert.ok(
      refresh.steps.every((step) => step.refreshResult === "same"),
      JSON.stringify(refresh.steps),
    );
  });

  it("updates in place and appends a message", async () => {
    const conversation = conversationInputs({
      status: "open",
      messages: [
        ...(conversationInputs().messages as PropertyMap[]),
        { content: `${prefix}: appended`, messageType: "outgoing" },
      ],
    });
    const { result, outputs } = await up(contactInputs({ name: `${prefix} Alice Renamed` }), conversation);
    assert.deepEqual(result.summary, { update: 2, same: 1 });
    assert.equal((outputs.conversation!.outputs.messageIds as number[]).length, 4);
    assert.deepEqual(
      (await up(contactInputs({ name: `${prefix} Alice Renamed` }), conversation)).result.summary,
      {
        same: 3,
      },
    );
  });

  it("destroys what it created", async () => {
    const destroy = await engine!.destroy();
    assert.deepEqual(destroy.errors, []);
    assert.deepEqual(engine!.state, []);
  });
});

/** Deletes every contact whose identifier carries the run prefix (their conversations go with them). */
async function sweep(prefix: string): Promise<void> {
  const base = `${live.url!.replace(/\/+$/, "")}/api/v1/accounts/${live.accountId}`;
  const headers = { api_access_token: live.token!, "content-type": "application/json" };
  const search = await fetch(`${base}/contacts/search?q=${encodeURIComponent(prefix)}`, { headers });
  if (!search.ok) return;
  const found = (await search.json()) as { payload: Array<{ id: number; identifier: string | null }> };
  for (const contact of found.payload.filter((c) => c.identifier?.startsWith(prefix))) {
    await fetch(`${base}/contacts/${contact.id}`, { method: "DELETE", headers });
  }
}
