import { performance } from "node:perf_hooks";
import type { OperationResult } from "../../harness";
import { EmulatorProcess } from "../seed/emulatorProcess";
import { ProviderRun } from "../seed/providerRun";
import { readAccount } from "./contents";
import { problemsWith } from "./verdict";

export interface SoakOptions {
  /** Pairs to seed, one soak each. */
  readonly sizes: readonly number[];
  /** Share of requests that get a fault, every kind the emulator has weighted alike. */
  readonly faultRate: number;
  /** Seed of the emulator's fault generator, so a failing soak can be replayed. */
  readonly seed: number;
  /** How many times a command is run while it reports errors, as a user would rerun it. */
  readonly attempts: number;
  readonly repositoryRoot: string;
  readonly progress?: (line: string) => void;
}

export interface CommandOutcome {
  /** Runs it took, the last one without errors unless `attempts` ran out. */
  readonly runs: number;
  /** Whether the last run reported no error. */
  readonly lastSucceeded: boolean;
  /** The errors of the runs that had some, a few of each. */
  readonly errors: readonly string[];
  readonly seconds: number;
}

export interface SoakResult {
  readonly pairs: number;
  readonly faultsByKind: Readonly<Record<string, number>>;
  /** Every API request the emulator answered in this soak: the commands' and the read-backs'. */
  readonly requests: number;
  readonly up: CommandOutcome;
  /** What the account held after `up`, against the declaration; empty when exactly as declared. */
  readonly problemsAfterUp: readonly string[];
  /** The second `up`, without faults: its steps other than `same`, and the requests it sent. */
  readonly secondUp: {
    readonly changes: number;
    readonly requests: number;
    readonly errors: number;
    /** The routes of the requests it sent, if any (a few). */
    readonly routes: readonly string[];
  };
  readonly destroy: CommandOutcome;
  /** Contacts and conversations left after `destroy`. */
  readonly leftAfterDestroy: { readonly contacts: number; readonly conversations: number };
  readonly passed: boolean;
}

/**
 * The soak: the bench's pairs seeded through the real host while the emulator faults a share of
 * every request (429, 5xx, latency, dropped connections, commits followed by a 500 or a dropped
 * connection, and commits that land after the client gave up), each command rerun while it reports
 * errors; then the account is read through the API and must hold exactly what was declared, a
 * second `up` without faults must change nothing and send nothing, and a `destroy` under the same
 * faults must leave nothing behind.
 */
/** Requests in flight at once: the provider's `chatwoot:maxConcurrency`, and the read-back's. */
const CONCURRENCY = 8;

export async function runSoak(options: SoakOptions): Promise<SoakResult[]> {
  const progress = options.progress ?? (() => undefined);
  const emulator = await EmulatorProcess.start(options.repositoryRoot);
  const provider = await ProviderRun.start(emulator.ready, options.repositoryRoot, CONCURRENCY, {
    preload: true,
    config: {
      // The emulator's injected 429s carry no Retry-After and stand for a full rate-limit window;
      // a short window keeps waiting them out quick (the wait itself is tested in test/provider).
      "chatwoot:rateLimitWindowMs": "100",
      "chatwoot:retryBaseDelayMs": "20",
    },
  });
  const results: SoakResult[] = [];
  try {
    for (const pairs of options.sizes) {
      progress(`N = ${pairs} …`);
      results.push(await soakOnce(emulator, provider, options, pairs));
    }
  } finally {
    await provider.close();
    await emulator.stop();
  }
  return results;
}

async function soakOnce(
  emulator: EmulatorProcess,
  provider: ProviderRun,
  options: SoakOptions,
  pairs: number,
): Promise<SoakResult> {
  await emulator.reset();
  const faults = { probability: options.faultRate, seed: options.seed, latencyMs: 50 };
  const start = await emulator.mark();

  await emulator.setFaults(faults);
  const up = await rerunWhileFailing(options.attempts, () => provider.up(pairs));
  await emulator.setFaults({});
  const problemsAfterUp = problemsWith(await readAccount(emulator.ready, CONCURRENCY), pairs);

  const beforeSecond = await emulator.mark();
  const second = await provider.up(pairs);
  const sentBySecond = await emulator.since(beforeSecond);
  const secondUp = {
    changes: second.steps.filter((step) => step.op !== "same").length,
    requests: sentBySecond.length,
    errors: second.errors.length,
    routes: sentBySecond.slice(0, 5).map((request) => `${request.method} ${request.route} ${request.status}`),
  };

  await emulator.setFaults(faults);
  const destroy = await rerunWhileFailing(options.attempts, () => provider.destroy());
  await emulator.setFaults({});
  const left = await readAccount(emulator.ready, CONCURRENCY);
  const leftAfterDestroy = { contacts: left.contacts.length, conversations: left.conversations.length };

  const requests = await emulator.since(start);
  const faultsByKind: Record<string, number> = {};
  for (const request of requests)
    if (request.fault !== undefined) faultsByKind[request.fault] = (faultsByKind[request.fault] ?? 0) + 1;

  return {
    pairs,
    faultsByKind,
    requests: requests.length,
    up,
    problemsAfterUp,
    secondUp,
    destroy,
    leftAfterDestroy,
    passed:
      up.lastSucceeded &&
      problemsAfterUp.length === 0 &&
      secondUp.changes === 0 &&
      secondUp.requests === 0 &&
      secondUp.errors === 0 &&
      destroy.lastSucceeded &&
      leftAfterDestroy.contacts === 0 &&
      leftAfterDestroy.conversations === 0,
  };
}

/** The command's outcome, rerun while its run reports errors, at most `attempts` times. */
async function rerunWhileFailing(
  attempts: number,
  command: () => Promise<OperationResult>,
): Promise<CommandOutcome> {
  const started = performance.now();
  const errors: string[] = [];
  for (let run = 1; ; run += 1) {
    const result = await command();
    for (const error of result.errors.slice(0, 3)) errors.push(`run ${run}: ${error.message}`);
    if (result.errors.length === 0 || run === attempts) {
      return {
        runs: run,
        errors,
        seconds: (performance.now() - started) / 1000,
        lastSucceeded: result.errors.length === 0,
      };
    }
  }
}
