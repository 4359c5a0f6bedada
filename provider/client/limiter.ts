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
 * It keeps the start times of the last minute: a request starts at once while fewer than
 * `requestsPerMinute` started in the past 60 seconds, else when the oldest of them turns a minute
 * old. No rolling minute (and so none of rack-attack's fixed one-minute windows) ever holds more
 * than the limit, while a small stack is never slowed down.
 */
export class RequestLimiter {
  private settings: LimiterSettings;
  private active = 0;
  /** Start times within the last minute, oldest first. */
  private readonly recentStarts: number[] = [];
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
    for (;;) {
      const now = this.clock.now();
      while (this.recentStarts.length > 0 && this.recentStarts[0]! <= now - WINDOW_MS)
        this.recentStarts.shift();
      if (this.recentStarts.length < this.settings.requestsPerMinute) {
        this.recentStarts.push(now);
        return;
      }
      await this.clock.sleep(this.recentStarts[0]! + WINDOW_MS - now);
    }
  }
}

const WINDOW_MS = 60_000;

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
