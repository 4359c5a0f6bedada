/**
 * Runs Chatwoot's "background jobs" (delayed deletes) after a delay, and cancels whatever is still
 * pending when the emulator closes so no timer keeps the process alive.
 */
export class Scheduler {
  private readonly pending = new Set<NodeJS.Timeout>();

  later(delayMs: number, job: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      job();
    }, delayMs);
    timer.unref();
    this.pending.add(timer);
  }

  /** How many jobs are waiting to run. */
  get waiting(): number {
    return this.pending.size;
  }

  cancelAll(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}
