/**
 * Virtual time: `sleep` parks the caller until the test advances the clock to its wake-up time,
 * so rate tests are exact, take no real time and cannot be upset by a busy machine.
 */
export function virtualClock(start = 0) {
  let now = start;
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
    /** Moves the clock forward without waking anything (time spent inside a task). */
    advance(ms: number) {
      now += ms;
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
        now = Math.max(now, next.at);
        next.wake();
        await settle();
      }
      return result;
    },
  };
}
