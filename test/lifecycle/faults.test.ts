import { strict as assert } from "node:assert";
import type { PropertyMap } from "../../harness/wire";
import { ADMIN_TOKEN, ChatwootStack, declare } from "../support/stack";

/**
 * Faults between the provider and Chatwoot (checklist items 9, 10, 13, 14): retries with backoff,
 * creates that are never blindly repeated, half-made creates finished by the next run, timeouts,
 * and a stack that stays under the server's rate limit.
 */
describe("Faults: Contact and ContactInbox", function () {
  this.timeout(60_000);
  let stack: ChatwootStack;

  before(async () => {
    stack = await ChatwootStack.start();
  });
  after(async () => stack?.close());
  let firedBefore = 0;
  beforeEach(() => {
    stack.reset();
    firedBefore = stack.emulator.faults().fired;
  });
  /** Faults the emulator injected during this test. */
  const fired = () => stack.emulator.faults().fired - firedBefore;

  const alice: PropertyMap = {
    name: "Alice",
    email: "alice@example.com",
    identifier: "crm-1",
    labels: ["vip"],
  };
  const upAlice = () =>
    stack.engine.up(async (d) => {
      const contact = await d.register(declare("Contact", "alice", alice));
      await d.register(
        declare("ContactInbox", "alice-api", {
          contactId: contact.outputs.contactId!,
          inboxId: stack.emulator.inboxId,
        }),
      );
    });

  for (const fault of ["commit_then_500", "commit_then_drop"] as const) {
    it(`a create whose answer is lost (${fault}) is looked up, not repeated: exactly one contact`, async () => {
      stack.emulator.addFaultRule({ method: "POST", path: "/contacts", fault, times: 1 });
      const result = await upAlice();
      assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
      assert.equal(fired(), 1, "the fault must have fired");
      assert.deepEqual(
        { contacts: stack.counts().contacts, sessions: stack.counts().contactInboxes },
        { contacts: 1, sessions: 1 },
      );
      const contactPosts = stack.requests.filter((r) => r.method === "POST" && /\/contacts$/.test(r.path));
      assert.equal(contactPosts.length, 1, "the POST was repeated although it had been applied");
      assert.equal((await upAlice()).summary.same, 2);
    });
  }

  for (const applyAfter of [1, 2, 3, 4]) {
    it(`a contact create applied after the client gave up (commit_late, ${applyAfter} requests later) leaves exactly one contact`, async () => {
      // 1: the recovery lookup sees it; 2: the second lookup, after the backoff, sees it; 3: both
      // lookups miss it and the repeated POST collides with it (422, the phone number is taken), so
      // the provider looks again; 4: the repeated POST wins and the late write is refused by
      // Chatwoot's uniqueness check.
      stack.emulator.addFaultRule({
        method: "POST",
        path: "/contacts",
        fault: "commit_late",
        applyAfter,
        times: 1,
      });
      const program = () =>
        stack.engine.up(async (d) => {
          await d.register(declare("Contact", "bob", { phoneNumber: "+14155550123" }));
        });
      const result = await program();
      assert.deepEqual(result.errors, [], JSON.stringify(result.errors));
      assert.equal(fired(), 1);
      await stack.api("GET", "contacts");
      const contacts = await stack.api<{ payload: Array<{ phone_number: string }> }>("GET", "contacts");
      assert.deepEqual(
        contacts.payload.map((contact) => contact.phone_number),
        ["+14155550123"],
      );
      assert.equal((await program()).summary.same, 1);
    });
  }

  it("a session create whose answer is lost is repeated safely (an explicit source id makes it idempotent)", async () => {
    stack.emulator.addFaultRule({
      method: "POST",
      path: "**/contacts/*/contact_inboxes",
      fault: "commit_then_drop",
      times: 1,
    });
    const result = await upAlice();
    assert.deepEqual(result.errors, []);
    assert.equal(fired(), 1, "the fault must have fired");
    assert.equal(stack.counts().contactInboxes, 1);
  });

  it("a create refused before it ran (500, 502, 503) is tried again: exactly one contact", async () => {
    stack.emulator.addFaultRule({ method: "POST", path: "/contacts", fault: "503", times: 1 });
    stack.emulator.addFaultRule({ method: "POST", path: "/contacts", fault: "500", times: 1 });
    const result = await upAlice();
    assert.deepEqual(result.errors, []);
    assert.equal(stack.counts().contacts, 1);
    assert.equal(stack.requests.filter((r) => r.method === "POST" && /\/contacts$/.test(r.path)).length, 3);
  });

  it("reads and writes are retried through 429s and dropped connections", async () => {
    stack.emulator.addFaultRule({ path: "**", fault: "429", times: 3 });
    stack.emulator.addFaultRule({ method: "GET", path: "**", fault: "drop", times: 2 });
    const result = await upAlice();
    assert.deepEqual(result.errors, []);
    assert.equal(fired(), 5);
    assert.equal(stack.requests.filter((r) => r.status === "429").length, 3);
    assert.deepEqual(
      { contacts: stack.counts().contacts, sessions: stack.counts().contactInboxes },
      { contacts: 1, sessions: 1 },
    );
  });

  it("survives a 30% random fault mix of every kind with no duplicate and nothing lost", async () => {
    const chaos = await ChatwootStack.start({ config: { "chatwoot:maxRetries": "8" } });
    try {
      chaos.emulator.setFaults({ probability: 0.3, seed: 20261126 });
      const names = Array.from({ length: 12 }, (_, index) => `c${index}`);
      let result = await chaos.engine.up(async (d) => {
        await Promise.all(
          names.map((name) => d.register(declare("Contact", name, { identifier: name, labels: ["seed"] }))),
        );
      });
      // Like a user, run again while any resource failed; a failure must never leave a duplicate.
      for (let attempt = 0; attempt < 3 && result.errors.length > 0; attempt += 1) {
        result = await chaos.engine.up(async (d) => {
          await Promise.all(
            names.map((name) => d.register(declare("Contact", name, { identifier: name, labels: ["seed"] }))),
          );
        });
      }
      assert.deepEqual(result.errors, []);
      // The generator is seeded, so the faults among the first N requests are fixed, but N depends
      // on which request each fault meets. Without faults this up makes 24 requests (a create and
      // a label post per contact); a fault only adds requests, and this seed puts 7 faults in the
      // first 24 (requests 3, 12, 15, 16, 21, 23 and 24), however the concurrent requests interleave.
      assert.ok(chaos.emulator.faults().fired >= 7, `only ${chaos.emulator.faults().fired} faults fired`);
      chaos.emulator.clearFaults();
      assert.equal(chaos.counts().contacts, names.length);
      const listed = await chaos.api<{ payload: Array<{ identifier: string }> }>("GET", "contacts");
      assert.deepEqual(listed.payload.map((c) => c.identifier).sort(), [...names].sort());
    } finally {
      await chaos.close();
    }
  });

  it("finishes a half-made create on the next up instead of leaving an orphan", async () => {
    // The labels call fails past every retry: the contact exists, its labels do not.
    stack.emulator.addFaultRule({ method: "POST", path: "**/contacts/*/labels", fault: "500", times: 50 });
    const failed = await stack.engine.up(
      async (d) => void (await d.register(declare("Contact", "alice", alice))),
    );
    assert.equal(failed.errors.length, 1);
    assert.equal(fired(), 5, "one labels call and its four retries");
    assert.match(
      failed.errors[0]!.message,
      /Contact \d+ exists in Chatwoot, but finishing it failed: .*labels failed with 500.*next `pulumi up` will finish it/,
    );
    const [recorded] = stack.engine.state;
    assert.ok(recorded?.initErrors?.length, "the engine must record the partial creation");
    assert.equal(stack.counts().contacts, 1);
    stack.emulator.clearFaults();
    const finished = await stack.engine.up(
      async (d) => void (await d.register(declare("Contact", "alice", alice))),
    );
    assert.deepEqual(finished.errors, []);
    assert.deepEqual(finished.summary, { update: 1 });
    assert.equal(stack.counts().contacts, 1);
    const labels = await stack.api<{ payload: string[] }>("GET", `contacts/${recorded!.id}/labels`);
    assert.deepEqual(labels.payload, ["vip"]);
    assert.equal(stack.engine.state[0]!.initErrors, undefined);
  });

  it("fails a hung request within its timeout budget, naming the request", async () => {
    const slow = await ChatwootStack.start({
      config: { "chatwoot:requestTimeoutMs": "300", "chatwoot:maxRetries": "1" },
    });
    try {
      await slow.engine.up(async (d) => void (await d.register(declare("Contact", "alice", alice))));
      // The server answers after 20 s: much longer than the refresh takes on any machine, however busy.
      slow.emulator.addFaultRule({
        method: "GET",
        path: "**/contacts/*",
        fault: "latency",
        latencyMs: 20_000,
      });
      slow.requests.length = 0;
      const refresh = await slow.engine.refresh();
      assert.equal(refresh.errors.length, 1);
      assert.match(
        refresh.errors[0]!.message,
        /GET \/api\/v1\/accounts\/1\/contacts\/\d+ timed out after 300 ms/,
      );
      // Two attempts (maxRetries 1), and the refresh ended before the server answered either: the
      // emulator logs a request when it answers, so none is in the log yet. This reads the server's
      // side, not a clock, so a loaded machine cannot fail it.
      assert.equal(slow.emulator.faults().fired, 2, "one attempt and one retry");
      assert.deepEqual(
        slow.requests.filter((r) => r.path.includes("/contacts/")),
        [],
        "the provider waited for the server's answer",
      );
    } finally {
      await slow.close();
    }
  });

  it("keeps a parallel stack under the server's rate limit (this test spans a minute)", async function () {
    this.timeout(150_000);
    // Chatwoot counts requests per client in one-minute windows; the provider is set below that.
    const limited = await ChatwootStack.start({
      emulator: { rateLimitPerMinute: 50 },
      config: { "chatwoot:requestsPerMinute": "40", "chatwoot:maxConcurrency": "8" },
    });
    try {
      // Two requests a contact (create, labels): 60 in all, more than the server's 50.
      const names = Array.from({ length: 30 }, (_, index) => `p${index}`);
      const result = await limited.engine.up(async (d) => {
        await Promise.all(
          names.map((name) => d.register(declare("Contact", name, { identifier: name, labels: ["load"] }))),
        );
      });
      assert.deepEqual(result.errors, []);
      assert.equal(limited.counts().contacts, names.length);
      assert.ok(limited.requests.length > 50, `${limited.requests.length} requests do not need the limiter`);
      assert.equal(
        limited.requests.filter((r) => r.status === "429").length,
        0,
        "the server had to refuse requests",
      );
      assert.ok(
        limited.requests.every((r) => Number.isFinite(r.arrivedAt)),
        "every request needs its arrival time",
      );
      // Counted as Chatwoot counts: when each request reached the server. The limiter guarantees
      // this on any machine, however late a loaded host sends a request; the margin only absorbs
      // the log's millisecond rounding.
      const arrivals = limited.requests.map((r) => r.arrivedAt);
      const busiestMinute = Math.max(
        ...arrivals.map((start) => arrivals.filter((t) => t >= start && t < start + 60_000 - 5).length),
      );
      assert.ok(busiestMinute > 0 && busiestMinute <= 40, `${busiestMinute} requests in one minute`);
    } finally {
      await limited.close();
    }
  });

  it("rides out the server's rate limit when the provider is set above it", async () => {
    const limited = await ChatwootStack.start({
      emulator: { rateLimitPerMinute: 1_000 },
      config: { "chatwoot:maxRetries": "4" },
    });
    try {
      limited.emulator.addFaultRule({ path: "**", fault: "429", times: 6 });
      const names = Array.from({ length: 6 }, (_, index) => `q${index}`);
      const result = await limited.engine.up(async (d) => {
        await Promise.all(names.map((name) => d.register(declare("Contact", name, { identifier: name }))));
      });
      assert.deepEqual(result.errors, []);
      assert.equal(limited.requests.filter((r) => r.status === "429").length, 6);
      assert.equal(limited.counts().contacts, 6);
    } finally {
      await limited.close();
    }
  });

  it("keeps the token out of every error, log and state, faults included", async () => {
    stack.emulator.setFaults({ probability: 0.5, seed: 7 });
    await upAlice();
    await stack.engine.refresh();
    stack.emulator.clearFaults();
    const result = await stack.engine.destroy();
    const texts = [...stack.leakSurfaces(), JSON.stringify(result)];
    for (const text of texts) assert.ok(!text.includes(ADMIN_TOKEN), "the token leaked");
  });
});
