import { performance } from "node:perf_hooks";
import * as os from "node:os";
import type { OperationResult } from "../../harness";
import { EmulatorProcess } from "./emulatorProcess";
import {
  OPERATIONS,
  type OperationMeasure,
  type OperationName,
  type ScenarioMeasure,
  sideMeasure,
} from "./measure";
import { ProviderRun } from "./providerRun";
import { RawClient } from "./raw";

export interface BenchOptions {
  readonly sizes: readonly number[];
  readonly latenciesMs: readonly number[];
  /** Requests in flight at once, for both sides (the provider's `chatwoot:maxConcurrency`). */
  readonly concurrency: number;
  readonly repositoryRoot: string;
  /** Progress lines. */
  readonly progress?: (line: string) => void;
}

export interface BenchResult {
  readonly startedAt: string;
  readonly machine: MachineInfo;
  readonly options: { sizes: readonly number[]; latenciesMs: readonly number[]; concurrency: number };
  readonly scenarios: ScenarioMeasure[];
}

export interface MachineInfo {
  readonly cpu: string;
  readonly cpus: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  /** One-minute load average before and after: above the CPU count, other work shared the machine. */
  readonly loadBefore: number;
  loadAfter?: number;
}

/** Every scenario on one emulator process: raw first, then the provider, for each N and latency. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const progress = options.progress ?? (() => undefined);
  const machine: MachineInfo = {
    cpu: os.cpus()[0]?.model ?? "unknown",
    cpus: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadBefore: os.loadavg()[0] ?? 0,
  };
  const result: BenchResult = {
    startedAt: new Date().toISOString(),
    machine,
    options: { sizes: options.sizes, latenciesMs: options.latenciesMs, concurrency: options.concurrency },
    scenarios: [],
  };
  const emulator = await EmulatorProcess.start(options.repositoryRoot);
  const provider = await ProviderRun.start(emulator.ready, options.repositoryRoot, options.concurrency);
  try {
    for (const latencyMs of options.latenciesMs) {
      for (const pairs of options.sizes) {
        progress(`N = ${pairs}, latency ${latencyMs} ms …`);
        result.scenarios.push(await runScenario(emulator, provider, options, pairs, latencyMs));
      }
    }
  } finally {
    await provider.close();
    await emulator.stop();
  }
  machine.loadAfter = os.loadavg()[0] ?? 0;
  return result;
}

async function runScenario(
  emulator: EmulatorProcess,
  provider: ProviderRun,
  options: BenchOptions,
  pairs: number,
  latencyMs: number,
): Promise<ScenarioMeasure> {
  await emulator.reset();
  await emulator.setLatency(latencyMs);

  const raw = new RawClient(emulator.ready, options.concurrency);
  const rawSide: Partial<Record<OperationName, ReturnType<typeof sideMeasure>>> = {};
  let made: Awaited<ReturnType<RawClient["create"]>> = [];
  rawSide.create = await timed(emulator, async () => {
    made = await raw.create(pairs);
  });
  const rawCounts = await emulator.counts();
  rawSide.noop = sideMeasure(0, []);
  rawSide.refresh = await timed(emulator, () => raw.refresh(made));
  rawSide.destroy = await timed(emulator, () => raw.destroy(made));
  raw.close();
  await emulator.reset();

  const providerSide: Partial<Record<OperationName, OperationMeasure["provider"]>> = {};
  const run = async (name: OperationName, operation: () => Promise<OperationResult>) => {
    const hostsBefore = provider.hostsStarted();
    let outcome: OperationResult | undefined;
    const side = await timed(emulator, async () => {
      outcome = await operation();
    });
    if (outcome === undefined || !outcome.succeeded) {
      const errors = outcome?.errors.slice(0, 3).map((error) => error.message) ?? [];
      throw new Error(`provider ${name} at N = ${pairs} failed: ${errors.join("; ")}`);
    }
    providerSide[name] = { ...side, hostPeakBytes: provider.hostPeakMemorySince(hostsBefore) };
    return outcome;
  };
  await run("create", () => provider.up(pairs));
  const providerCounts = await emulator.counts();
  const state = provider.stateSize();
  const noop = await run("noop", () => provider.up(pairs));
  const changed = noop.steps.filter((step) => step.op !== "same");
  if (changed.length > 0)
    throw new Error(`the second up changed ${changed.length} resources (${changed[0]!.op})`);
  await run("refresh", () => provider.refresh());
  await run("destroy", () => provider.destroy());
  await emulator.reset();

  const operations = OPERATIONS.map((operation): OperationMeasure => {
    const rawMeasure = rawSide[operation]!;
    const providerMeasure = providerSide[operation]!;
    return {
      operation,
      raw: rawMeasure,
      provider: providerMeasure,
      ratio: rawMeasure.requests === 0 ? null : providerMeasure.ms / rawMeasure.ms,
    };
  });
  return {
    pairs,
    latencyMs,
    operations,
    state: {
      ...state,
      bytesPerResource: state.bytes / state.resources,
      providerBytes: provider.providerBytes(),
    },
    countsAfterCreate: { raw: rawCounts, provider: providerCounts },
  };
}

/** Runs `work`, timing it and collecting the requests the emulator answered meanwhile. */
async function timed(emulator: EmulatorProcess, work: () => Promise<void>) {
  const mark = await emulator.mark();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  return sideMeasure(ms, await emulator.since(mark));
}
