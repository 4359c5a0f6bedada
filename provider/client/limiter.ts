/** Limits of the process-wide request limiter. */
export interface LimiterSettings {
  /** Requests in flight at once. */
  readonly maxConcurrency: number;
  /** Requests started per rolling minute; Chatwoot's rack-attack allows 3000 per IP by default. */
  readonly requestsPerMinute: number;
}

/**
 * Caps concurrent requests and the request rate.
 *
 * The Pulumi engine runs every resource of a stack in one provider host process, in parallel, so
 * one limiter per process is what keeps a large stack under Chatwoot's per-client rate limit.
 * Request starts are spaced evenly (60 000 / requestsPerMinute ms apart) rather than allowed in
 * bursts, which keeps any rolling one-minute window under the limit.
 */
export class RequestLimiter {
  private settings: LimiterSettings;
  private active = 0;
  private nextStartAt = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    settings: LimiterSettings,
    private readonly clock: { now(): number; sleep(ms: number): Promise<void> } = realClock,
  ) {
    this.settings = settings;
  }

  /** Applies new limits to requests that have not started yet. */
  reconfigure(settings: LimiterSettings): void {
    this.settings = settings;
    this.release(0);
  }

  get limits(): LimiterSettings {
    return this.settings;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquireSlot();
    try {
      await this.waitForRate();
      return await task();
    } finally {
      this.release(1);
    }
  }

  private acquireSlot(): Promise<void> {
    if (this.active < this.settings.maxConcurrency) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(finished: number): void {
    this.active -= finished;
    while (this.active < this.settings.maxConcurrency && this.waiting.length > 0) {
      this.active += 1;
      this.waiting.shift()?.();
    }
  }

  private async waitForRate(): Promise<void> {
    const spacing = 60_000 / this.settings.requestsPerMinute;
    const now = this.clock.now();
    const startAt = Math.max(now, this.nextStartAt);
    this.nextStartAt = startAt + spacing;
    if (startAt > now) await this.clock.sleep(startAt - now);
  }
}

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
