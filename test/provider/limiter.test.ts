import { strict as assert } from "node:assert";
import { RequestLimiter } from "../../provider/client/limiter";

/**
 * Virtual time: `sleep` parks the caller until the test advances the clock to its wake-up time,
 * so rate tests are exact and take no real time.
 */
function virtualClock() {
  let now = 0;
  const timers: Array<{ at: number; wake: () => void }> = [];
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    get now() {
      return now;
    },
    clock: {
      now: () => now,
      sleep: (ms: number) => new Promise<void>((wake) => timers.push({ at: now + ms, wake })),
    },
    /** Runs until `work` settles, jumping from one timer to the next. */
    async runUntil<T>(work: Promise<T>): Promise<T> {
      let done = false;
      const result = work.finally(() => (done = true));
      await settle();
      while (!done) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (next === undefined) throw new Error("deadlock: nothing left to wake");
        now = next.at;
        next.wake();
        await settle();
      }
      return result;
    },
  };
}

describe("request limiter", () => {
  it("never runs more tasks at once than maxConcurrency", async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 3, requestsPerMinute: 1e9 });
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
    };
    await Promise.all(Array.from({ length: 20 }, () => limiter.run(task)));
    assert.equal(peak, 3);
  });

  it("starts at most requestsPerMinute requests in any rolling minute, without slowing a small burst", async () => {
    const time = virtualClock();
    const limiter = new RequestLimiter({ maxConcurrency: 100, requestsPerMinute: 4 }, time.clock);
    const starts: number[] = [];
    await time.runUntil(
      Promise.all(Array.from({ length: 10 }, () => limiter.run(async () => void starts.push(time.now)))),
    );
    assert.deepEqual(
      [...starts].sort((a, b) => a - b),
      [0, 0, 0, 0, 60_000, 60_000, 60_000, 60_000, 120_000, 120_000],
    );
    for (const start of starts) {
      const inWindow = starts.filter((other) => other >= start && other < start + 60_000).length;
      assert.ok(inWindow <= 4, `${inWindow} requests in the minute from ${start}`);
    }
  });

  it("releases its slot when a task fails", async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 1, requestsPerMinute: 1e9 });
    await assert.rejects(
      limiter.run(() => Promise.reject(new Error("boom"))),
      /boom/,
    );
    assert.equal(await limiter.run(async () => "next"), "next");
  });

  it("applies new limits to waiting tasks", async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 1, requestsPerMinute: 1e9 });
    let release!: () => void;
    const blocker = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
    let secondStarted = false;
    const second = limiter.run(async () => void (secondStarted = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(secondStarted, false);
    limiter.reconfigure({ maxConcurrency: 2, requestsPerMinute: 1e9 });
    await second;
    assert.equal(secondStarted, true);
    release();
    await blocker;
  });
});
