import { strict as assert } from "node:assert";
import {
  ChatwootApiError,
  ChatwootError,
  ChatwootNetworkError,
  ChatwootTimeoutError,
} from "../../provider/client/errors";
import { createExactlyOnce } from "../../provider/resources/createOnce";

const post = { method: "POST", path: "/api/v1/accounts/1/contacts" };
const lostAnswer = () =>
  new ChatwootApiError(post, { status: 500, chatwootMessage: "Internal Server Error", attributes: [] });
const timedOut = () => new ChatwootTimeoutError(post, 30_000);
const taken = () =>
  new ChatwootApiError(post, {
    status: 422,
    chatwootMessage: "Email has already been taken",
    attributes: [],
  });
const neverSent = () =>
  new ChatwootNetworkError(post, { code: "ECONNREFUSED", reason: "connection refused" });

/**
 * A create whose answer may be lost (README "No duplicates under faults"): each attempt's outcome is
 * scripted, and the test counts what reached Chatwoot and what was looked up, with no real waiting.
 */
function scripted(
  attempts: Array<ChatwootError | Error | "ok">,
  lookups: Array<string | undefined> = [],
  maxRetries = 2,
) {
  const log: string[] = [];
  const waits: number[] = [];
  let lostAnswers = 0;
  const run = createExactlyOnce<string>({
    create: async () => {
      const outcome = attempts[log.filter((entry) => entry === "create").length] ?? "ok";
      log.push("create");
      if (outcome === "ok") return "made";
      throw outcome;
    },
    findCreated: async () => {
      const found = lookups[log.filter((entry) => entry === "find").length];
      log.push("find");
      return found;
    },
    retry: { maxRetries, baseDelayMs: 100, maxDelayMs: 30_000, rateLimitWindowMs: 60_000 },
    onLostAnswer: () => (lostAnswers += 1),
    sleep: async (ms) => {
      log.push("wait");
      waits.push(ms);
    },
  });
  return { run, log, waits, lostAnswers: () => lostAnswers };
}

describe("create exactly once", () => {
  it("creates once and looks nothing up when the answer arrives", async () => {
    const create = scripted(["ok"]);
    assert.equal(await create.run, "made");
    assert.deepEqual(create.log, ["create"]);
    assert.equal(create.lostAnswers(), 0);
  });

  it("after a lost answer, takes the object the attempt made instead of creating a second", async () => {
    const create = scripted([lostAnswer()], ["found-at-once"]);
    assert.equal(await create.run, "found-at-once");
    assert.deepEqual(create.log, ["create", "find"]);
    assert.equal(create.lostAnswers(), 1, "the caller is told the write may still land");
  });

  it("looks again after the backoff, right before creating again, and takes a write that landed late", async () => {
    const create = scripted([timedOut()], [undefined, "landed-during-wait"]);
    assert.equal(await create.run, "landed-during-wait");
    assert.deepEqual(create.log, ["create", "find", "wait", "find"]);
  });

  it("creates again only when neither look finds it, with a growing backoff", async () => {
    const create = scripted([lostAnswer(), lostAnswer(), "ok"], [], 2);
    assert.equal(await create.run, "made");
    assert.deepEqual(create.log, [
      "create",
      "find",
      "wait",
      "find",
      "create",
      "find",
      "wait",
      "find",
      "create",
    ]);
    assert.equal(create.lostAnswers(), 2);
    // Half to all of 100 ms, then of 200 ms: the retry policy's jittered exponential backoff.
    assert.ok(create.waits[0]! >= 50 && create.waits[0]! <= 100, `first wait ${create.waits[0]}`);
    assert.ok(create.waits[1]! >= 100 && create.waits[1]! <= 200, `second wait ${create.waits[1]}`);
  });

  it("makes maxRetries + 1 attempts at most, then reports the last failure", async () => {
    const last = lostAnswer();
    const create = scripted([lostAnswer(), lostAnswer(), last, "ok"], [], 2);
    await assert.rejects(create.run, (error) => error === last);
    assert.equal(create.log.filter((entry) => entry === "create").length, 3);
    assert.deepEqual(create.log.slice(-2), ["create", "find"], "a last look, and no wait for nothing");
  });

  it("waits with a real timer when no sleep is given", async () => {
    let creates = 0;
    const made = await createExactlyOnce({
      create: async () => {
        creates += 1;
        if (creates === 1) throw lostAnswer();
        return "made";
      },
      findCreated: async () => undefined,
      retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1, rateLimitWindowMs: 60_000 },
    });
    assert.deepEqual([made, creates], ["made", 2]);
  });

  it("gives up at once on a refusal, without looking, when no earlier answer was lost", async () => {
    for (const refusal of [taken(), neverSent(), new Error("a bug, not Chatwoot")]) {
      const create = scripted([refusal, "ok"], ["would-be-wrong"]);
      await assert.rejects(create.run, (error) => error === refusal);
      assert.deepEqual(create.log, ["create"], refusal.message);
    }
  });

  it("after a lost answer, reads a unique-key refusal as its own late write and looks a third time", async () => {
    const create = scripted([lostAnswer(), taken()], [undefined, undefined, "the-late-write"]);
    assert.equal(await create.run, "the-late-write");
    assert.deepEqual(create.log, ["create", "find", "wait", "find", "create", "find"]);
  });

  it("reports the refusal when that third look finds nothing, and never looks after a not-applied failure", async () => {
    const refusal = taken();
    const create = scripted([lostAnswer(), refusal], []);
    await assert.rejects(create.run, (error) => error === refusal);
    assert.deepEqual(create.log, ["create", "find", "wait", "find", "create", "find"]);

    const refused = neverSent();
    const notApplied = scripted([lostAnswer(), refused], [undefined, undefined, "would-be-wrong"]);
    await assert.rejects(notApplied.run, (error) => error === refused);
    assert.deepEqual(notApplied.log, ["create", "find", "wait", "find", "create"]);
  });
});
