import assert from "node:assert/strict";
import { runRubyScript, skipWithoutRuby } from "../support/ruby";
import { ApiClient, createContact, createConversation, useEmulator } from "./helpers";

/**
 * Labels are acts-as-taggable-on tags (Chatwoot `app/models/concerns/labelable.rb`,
 * `config/initializers/acts_as_taggable_on.rb`; acts-as-taggable-on v12.0.0 `lib/acts-as-taggable-on/`).
 */
describe("emulator: labels are shared tags", () => {
  const bed = useEmulator();

  type Taggable = "contact" | "conversation";
  interface Step {
    taggable: Taggable;
    id: number;
    labels: unknown[];
  }
  interface Outcome {
    answer: string[];
    read: string[];
    shown?: string[];
  }

  /** Runs the steps against the emulator: record `id` n is the n-th contact or conversation made. */
  async function runOnEmulator(
    steps: readonly Step[],
    clients: (id: number) => ApiClient,
  ): Promise<Outcome[]> {
    const made = new Map<string, number>();
    const outcomes: Outcome[] = [];
    for (const step of steps) {
      const client = clients(step.id);
      const key = `${step.taggable}:${step.id}`;
      if (!made.has(key)) {
        const record =
          step.taggable === "contact"
            ? (await createContact(client, { email: `tagged-${step.id}@example.com` })).contact.id
            : (await createConversation(client, bed.emulator.inboxId)).conversationId;
        made.set(key, record);
      }
      const path = `/${step.taggable}s/${made.get(key)}`;
      const answer = await client.post(`${path}/labels`, { labels: step.labels });
      assert.equal(answer.status, 200, answer.text);
      const outcome: Outcome = {
        answer: answer.body.payload,
        read: (await client.get(`${path}/labels`)).body.payload,
      };
      if (step.taggable === "conversation") outcome.shown = (await client.get(path)).body.labels;
      outcomes.push(outcome);
    }
    return outcomes;
  }

  const adminOf = () => bed.admin;

  it("reuses a tag's first spelling for contacts in every account, ignoring case", async () => {
    const other = bed.emulator.createAccount({ name: "Other" });
    const otherAdmin = new ApiClient(
      `${bed.emulator.url}/api/v1/accounts/${other.accountId}`,
      other.adminToken,
    );
    const first = await createContact(otherAdmin, { email: "first@example.com" });
    await otherAdmin.post(`/contacts/${first.contact.id}/labels`, { labels: ["vip"] });

    const contact = await createContact(bed.admin, { email: "later@example.com" });
    const answer = await bed.admin.post(`/contacts/${contact.contact.id}/labels`, {
      labels: ["VIP", "New-One"],
    });
    assert.deepEqual(answer.body.payload, ["VIP", "New-One"], "the answer is the list as sent");
    const read = await bed.admin.get(`/contacts/${contact.contact.id}/labels`);
    assert.deepEqual(read.body.payload, ["vip", "New-One"], "a read shows the installation's spelling");
  });

  it("shows a conversation's labels as sent (its cached_label_list), while still sharing the tags", async () => {
    const { conversationId } = await createConversation(bed.admin, bed.emulator.inboxId);
    await bed.admin.post(`/conversations/${conversationId}/labels`, { labels: ["Billing"] });
    const contact = await createContact(bed.admin, { email: "c@example.com" });
    await bed.admin.post(`/contacts/${contact.contact.id}/labels`, { labels: ["BILLING"] });
    assert.deepEqual((await bed.admin.get(`/conversations/${conversationId}`)).body.labels, ["Billing"]);
    assert.deepEqual((await bed.admin.get(`/contacts/${contact.contact.id}/labels`)).body.payload, [
      "Billing",
    ]);
  });

  it("splits on commas, honours quotes, strips and drops duplicates ignoring case", async () => {
    const contact = await createContact(bed.admin, { email: "p@example.com" });
    const answer = await bed.admin.post(`/contacts/${contact.contact.id}/labels`, {
      labels: ["a,b", " spaced ", "SPACED", '"x, y"', "", "A"],
    });
    assert.deepEqual(answer.body.payload, ["x, y", "a", "b", "spaced"]);
  });

  it("matches acts-as-taggable-on itself (Debian's ruby-acts-as-taggable-on on SQLite)", async function () {
    const steps: Step[] = [
      { taggable: "conversation", id: 1, labels: ["VIP", "b, c", " vip ", '"x, y"', "'quoted'"] },
      { taggable: "contact", id: 1, labels: ["vip", "X, Y", "Billing-2"] },
      { taggable: "contact", id: 2, labels: ["BILLING-2", "billing-2", "new_tag", "  ", "c"] },
      { taggable: "conversation", id: 2, labels: ["NEW_TAG", "Zeta"] },
      { taggable: "conversation", id: 1, labels: ["zeta", "VIP"] },
      { taggable: "contact", id: 1, labels: [] },
      { taggable: "contact", id: 3, labels: ["ZETA", 'say "hi"', "x,", ",lead"] },
    ];
    const ruby = runRubyScript("tags.rb", steps);
    if (!ruby.ok) skipWithoutRuby(this, ruby.reason, "ruby-acts-as-taggable-on ruby-sqlite3");
    const emulated = await runOnEmulator(steps, adminOf);
    // Contacts read their tags without ORDER BY (`tags_on`), so only the set is defined.
    const comparable = (outcomes: Outcome[]) =>
      outcomes.map((outcome, index) =>
        steps[index]!.taggable === "contact" ? { ...outcome, read: [...outcome.read].sort() } : outcome,
      );
    assert.deepEqual(comparable(emulated), comparable(ruby.output as Outcome[]));
  });
});
