/** Limits of the process-wide request limiter. */
export interface LimiterSettings {
  /** Requests in flight at once. */
  readonly maxConcurrency: number;
  /** Requests per rolling minute; Chatwoot's rack-attack allows 3000 per IP by default. */
  readonly requestsPerMinute: number;
}

/** The limiter's time source; tests replace it with a virtual clock. */
export interface LimiterClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * Caps concurrent requests and the request rate.
 *
 * The Pulumi engine runs every resource of a stack in one provider host process, in parallel, so
 * one limiter per process is what keeps a large stack under Chatwoot's per-client rate limit.
 *
 * Chatwoot (rack-attack, `config/initializers/rack_attack.rb`) counts a request when it reaches
 * the server, which from here is some time between sending it and reading its answer: a loaded
 * machine, a proxy or Puma's queue can hold it for a while. So a request occupies one of the
 * `requestsPerMinute` places from the moment it may be sent until a minute after its answer (or
 * failure) arrived. Then no minute of the server's clock, rolling or one of rack-attack's fixed
 * windows, can hold more than the limit, whatever the delays on the way, while a small stack is
 * never slowed down.
 */
export class RequestLimiter {
  private settings: LimiterSettings;
  private active = 0;
  /** Requests sent whose answer has not arrived yet. */
  private inFlight = 0;
  /** When the answers of the last minute arrived, oldest first. */
  private readonly recentAnswers: number[] = [];
  private readonly waitingForSlot: Array<() => void> = [];
  /** Woken when an answer arrives, for requests waiting while every place is in flight. */
  private waitingForAnswer: Array<() => void> = [];
  /** Nothing is sent before this time (the server said its window is full). */
  private heldUntil = 0;

  constructor(
    settings: LimiterSettings,
    private readonly clock: LimiterClock = realClock,
  ) {
    this.settings = settings;
  }

  /** Applies new limits to requests that have not started yet. */
  reconfigure(settings: LimiterSettings): void {
    this.settings = settings;
    this.releaseSlots(0);
    this.wakeRateWaiters();
  }

  get limits(): LimiterSettings {
    return this.settings;
  }

  /**
   * Sends nothing more for `ms`: the server refused a request because its rate window is full, and
   * every request sent before the window ends would be refused (and counted) too.
   */
  holdFor(ms: number): void {
    this.heldUntil = Math.max(this.heldUntil, this.clock.now() + ms);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.acquireSlot();
    try {
      await this.waitForRate();
      try {
        return await task();
      } finally {
        this.answerArrived();
      }
    } finally {
      this.releaseSlots(1);
    }
  }

  private acquireSlot(): Promise<void> {
    if (this.active < this.settings.maxConcurrency) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waitingForSlot.push(resolve));
  }

  private releaseSlots(finished: number): void {
    this.active -= finished;
    while (this.active < this.settings.maxConcurrency && this.waitingForSlot.length > 0) {
      this.active += 1;
      this.waitingForSlot.shift()?.();
    }
  }

  private answerArrived(): void {
    this.inFlight -= 1;
    this.recentAnswers.push(this.clock.now());
    this.wakeRateWaiters();
  }

  private wakeRateWaiters(): void {
    const waiters = this.waitingForAnswer;
    this.waitingForAnswer = [];
    for (const wake of waiters) wake();
  }

  /** Waits until the request may be sent, and counts it as in flight. */
  private async waitForRate(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (now < this.heldUntil) {
        await this.clock.sleep(this.heldUntil - now);
        continue;
      }
      while (this.recentAnswers.length > 0 && this.recentAnswers[0]! <= now - WINDOW_MS) {
        this.recentAnswers.shift();
      }
      if (this.inFlight + this.recentAnswers.length < this.settings.requestsPerMinute) {
        this.inFlight += 1;
        return;
      }
      const oldest = this.recentAnswers[0];
      if (oldest === undefined) {
        // Every place is taken by a request still in flight: the first answer starts its minute.
        await new Promise<void>((resolve) => this.waitingForAnswer.push(resolve));
      } else {
        await this.clock.sleep(oldest + WINDOW_MS - now);
      }
    }
  }
}

const WINDOW_MS = 60_000;

const realClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
