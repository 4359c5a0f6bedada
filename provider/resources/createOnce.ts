import { ChatwootError } from "../client/errors";
import { RetryPolicy, retryDelayMs } from "../client/retry";

export interface CreateOnceOptions<T> {
  /** The non-idempotent write (a POST that creates something). */
  readonly create: () => Promise<T>;
  /** Finds what `create` would have made, if an earlier attempt did make it. */
  readonly findCreated: () => Promise<T | undefined>;
  /** `create` is attempted `maxRetries + 1` times, with the policy's backoff in between. */
  readonly retry: RetryPolicy;
  /** Told when an attempt's answer was lost: its write may still land later, after the create. */
  readonly onLostAnswer?: () => void;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs a create so that a lost answer never produces a duplicate: when an attempt fails in a way
 * that leaves its outcome unknown (a 5xx, a timeout, a dropped connection), it looks for the object
 * the attempt may have made, at once and again after the backoff, and only creates again when
 * neither look finds it. A write the server applies later still (after the second look) cannot be
 * told from none: for a contact, Chatwoot's unique keys then refuse one of the two writes and the
 * refusal sends it looking a third time; objects without a unique key rely on the wait.
 */
export async function createExactlyOnce<T>(options: CreateOnceOptions<T>): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let outcomeUnknown = false;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await options.create();
    } catch (error) {
      if (!(error instanceof ChatwootError)) throw error;
      if (error.outcome !== "unknown") {
        // An earlier attempt whose answer was lost may have been applied after our lookup (Puma
        // finishes a request whose client gave up): a refusal now can be that write winning a
        // unique key (a contact's email, phone number or identifier). Look once more.
        if (outcomeUnknown && error.outcome === "refused") {
          const late = await options.findCreated();
          if (late !== undefined) return late;
        }
        throw error;
      }
      outcomeUnknown = true;
      options.onLostAnswer?.();
      const created = await options.findCreated();
      if (created !== undefined) return created;
      if (attempt > options.retry.maxRetries) throw error;
      await sleep(retryDelayMs(attempt, options.retry, error));
      // Puma finishes a request whose client gave up, so the lost write may land during the wait:
      // look once more right before writing again, which leaves it the whole backoff to appear.
      const landed = await options.findCreated();
      if (landed !== undefined) return landed;
    }
  }
}
