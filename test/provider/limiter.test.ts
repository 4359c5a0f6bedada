import { strict as assert } from "node:assert";
import { mock } from "node:test";
import { RequestLimiter } from "../../provider/client/limiter";
import { virtualClock } from "../support/virtualClock";

/** The most of `times` that fall within one rolling minute. */
function busiestMinute(times: readonly number[]): number {
  return Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + 60_000).length));
}

/** A small deterministic PRNG (mulberry32), so the model test is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe("request limiter", () => {
  it("never runs more tasks at once than maxConcurrency", async () => {
    const time = virtualClock();
    const limiter = new RequestLimiter({ maxConcurrency: 3, requestsPerMinute: 1e9 }, time.clock);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await time.clock.sleep(5);
      running -= 1;
    };
    await time.runUntil(Promise.all(Array.from({ length: 20 }, () => limiter.run(task))));
    assert.equal(peak, 3);
  });

  it("sends at most requestsPerMinute requests in any rolling minute, without slowing a small burst", async () => {
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
  });

  it("counts a request until a minute after its answer, since it may reach the server that late", async () => {
    const time = virtualClock();
    const limiter = new RequestLimiter({ maxConcurrency: 10, requestsPerMinute: 2 }, time.clock);
    const starts: Record<string, number> = {};
    const request = (name: string, durationMs: number) =>
      limiter.run(async () => {
        starts[name] = time.now;
        await time.clock.sleep(durationMs);
      });
    // a is answered at 10 s and b at once; counting from the sends would start c and d at 60 s,
    // three requests within the minute from 10 s if a reached the server just before its answer.
    await time.runUntil(
      Promise.all([request("a", 10_000), request("b", 0), request("c", 0), request("d", 0)]),
    );
    assert.deepEqual(starts, { a: 0, b: 0, c: 60_000, d: 70_000 });
  });

  it("holds back a request while the places are taken by requests still waiting for their answer", async () => {
    const time = virtualClock();
    const limiter = new RequestLimiter({ maxConcurrency: 10, requestsPerMinute: 1 }, time.clock);
    const starts: number[] = [];
    const request = (durationMs: number) =>
      limiter.run(async () => {
        starts.push(time.now);
        await time.clock.sleep(durationMs);
      });
    await time.runUntil(Promise.all([request(120_000), request(0)]));
    assert.deepEqual(starts, [0, 180_000]);
  });

  it("keeps every rolling minute of the server's arrival times within the limit, whatever the delays", async () => {
    // Each request reaches the server at a random moment between its send and its answer, as a
    // loaded machine, a proxy or Puma's queue may make it; its answer comes 0 to 20 s after the send.
    const random = seededRandom(20261129);
    const time = virtualClock();
    const limit = 7;
    const limiter = new RequestLimiter({ maxConcurrency: 5, requestsPerMinute: limit }, time.clock);
    const arrivals: number[] = [];
    await time.runUntil(
      Promise.all(
        Array.from({ length: 60 }, () =>
          limiter.run(async () => {
            const durationMs = Math.round(random() * 20_000);
            arrivals.push(time.now + Math.round(random() * durationMs));
            await time.clock.sleep(durationMs);
          }),
        ),
      ),
    );
    assert.equal(arrivals.length, 60);
    assert.ok(busiestMinute(arrivals) <= limit, `${busiestMinute(arrivals)} arrivals in one minute`);
    assert.equal(busiestMinute(arrivals), limit, "the limit is used, not undercut");
  });

  it("sends nothing while held for a full server window, then resumes", async () => {
    const time = virtualClock();
    const limiter = new RequestLimiter({ maxConcurrency: 10, requestsPerMinute: 100 }, time.clock);
    const starts: number[] = [];
    await time.runUntil(limiter.run(async () => void starts.push(time.now)));
    limiter.holdFor(30_000);
    limiter.holdFor(10_000); // a shorter hold never shortens a longer one
    await time.runUntil(Promise.all([1, 2].map(() => limiter.run(async () => void starts.push(time.now)))));
    assert.deepEqual(starts, [0, 30_000, 30_000]);
  });

  it("keeps time with the process's clock and timers when given no clock of its own", async () => {
    // Node's mock timers stand in for Date and setTimeout, which the default clock calls when used;
    // setImmediate stays real, so `settled` lets every woken task run.
    mock.timers.enable({ apis: ["setTimeout", "Date"], now: 1_000_000 });
    const settled = () => new Promise((resolve) => setImmediate(resolve));
    try {
      const limiter = new RequestLimiter({ maxConcurrency: 10, requestsPerMinute: 100 });
      limiter.holdFor(60_000);
      let ran = false;
      const held = limiter.run(async () => void (ran = true));
      await settled();
      mock.timers.tick(59_999);
      await settled();
      assert.equal(ran, false, "sent before the hold ended");
      mock.timers.tick(1);
      await held;
      assert.equal(ran, true);
    } finally {
      mock.timers.reset();
    }
  });

  it("wakes a request waiting for a place when the limit per minute is raised", async () => {
    const time = virtualClock();
    const limiter = new RequestLimiter({ maxConcurrency: 10, requestsPerMinute: 1 }, time.clock);
    const starts: number[] = [];
    let answer!: () => void;
    const first = limiter.run(
      () =>
        new Promise<void>((resolve) => {
          starts.push(time.now);
          answer = resolve;
        }),
    );
    const second = limiter.run(async () => void starts.push(time.now));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(starts, [0], "one place, taken by a request in flight");
    limiter.reconfigure({ maxConcurrency: 10, requestsPerMinute: 2 });
    await second;
    assert.deepEqual(starts, [0, 0]);
    answer();
    await first;
  });

  it("releases its slot when a task fails", async () => {
    const limiter = new RequestLimiter({ maxConcurrency: 1, requestsPerMinute: 1e9 });
    await assert.rejects(
      limiter.run(() => Promise.reject(new Error("boom"))),
      /boom/,
    );
    assert.equal(await limiter.run(async () => "next"), "next");
  });

  it("counts a failed request like an answered one", async () => {
    const time = virtualClock();
    const limiter = new RequestLimiter({ maxConcurrency: 10, requestsPerMinute: 1 }, time.clock);
    const starts: number[] = [];
    const failing = limiter.run(async () => {
      starts.push(time.now);
      await time.clock.sleep(5_000);
      throw new Error("dropped");
    });
    await time.runUntil(
      Promise.all([failing.catch(() => undefined), limiter.run(async () => void starts.push(time.now))]),
    );
    assert.deepEqual(starts, [0, 65_000]);
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
