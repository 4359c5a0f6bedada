/**
 * rack-attack's `throttle` with a fixed window: requests are counted per key in the current
 * period (`Time.now.to_i / period`), and once the count exceeds the limit the rest of the window is
 * refused. Throttled requests still count, as they do in rack-attack.
 */
export class FixedWindowLimiter {
  private windowStart = 0;
  private counts = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly periodMs: number = 60_000,
  ) {}

  /** Counts one request for `key`; true when it must be refused. */
  hit(key: string, nowMs: number = Date.now()): boolean {
    if (this.limit <= 0) return false;
    const window = Math.floor(nowMs / this.periodMs) * this.periodMs;
    if (window !== this.windowStart) {
      this.windowStart = window;
      this.counts = new Map();
    }
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count > this.limit;
  }

  reset(): void {
    this.counts = new Map();
  }
}

/** The body rack-attack's default throttled responder sends (no `Retry-After` header). */
export const RATE_LIMITED_BODY = "Retry later\n";
