import { MINIMUM_REQUESTS } from "./raw";
import { OPERATIONS, type OperationMeasure, type ScenarioMeasure } from "./measure";

/** The issue's targets, judged at N = 400 with 20 ms of latency (or the closest scenario run). */
export const TARGETS = {
  requestsPerPair: 10,
  timeRatio: 1.25,
  refreshRequestsPerResource: 2,
  stateBytesPerResource: 1500,
  /** Largest spread of provider create time per pair across N for "linear in N". */
  linearSpread: 1.5,
} as const;

export interface TargetVerdict {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

const RESOURCES_PER_PAIR = 2;

export function formatScenario(scenario: ScenarioMeasure): string {
  const { pairs } = scenario;
  const lines: string[] = [];
  lines.push(`## N = ${pairs}, latency ${scenario.latencyMs} ms`);
  lines.push("");
  lines.push(
    "| operation | raw | provider | provider/raw | requests a pair: raw (minimum) | provider | host peak |",
  );
  lines.push("| --- | --- | --- | --- | --- | --- | --- |");
  for (const measure of scenario.operations) {
    lines.push(
      `| ${measure.operation} | ${seconds(measure.raw.ms)} | ${seconds(measure.provider.ms)} | ${ratio(measure.ratio)} | ` +
        `${perPair(measure.raw.requests, pairs)} | ${perPair(measure.provider.requests, pairs)} | ${mib(measure.provider.hostPeakBytes)} |`,
    );
  }
  lines.push("");
  lines.push("Requests a pair by route (provider / minimum):");
  for (const measure of scenario.operations) lines.push(...routeLines(measure, pairs));
  const { state } = scenario;
  lines.push("");
  lines.push(
    `State: ${state.bytes} bytes for ${state.resources} resources, ${state.bytesPerResource.toFixed(0)} bytes a resource; ` +
      `__provider ${Object.entries(state.providerBytes)
        .map(([kind, bytes]) => `${kind} ${bytes}`)
        .join(", ")} bytes (stored twice a resource).`,
  );
  const { raw, provider } = scenario.countsAfterCreate;
  const same = JSON.stringify(raw) === JSON.stringify(provider);
  lines.push(
    `End state after create: ${same ? "the same" : "DIFFERENT"} (raw ${JSON.stringify(raw)}` +
      `${same ? "" : `, provider ${JSON.stringify(provider)}`}).`,
  );
  return lines.join("\n");
}

function routeLines(measure: OperationMeasure, pairs: number): string[] {
  const minimum = MINIMUM_REQUESTS[measure.operation];
  const routes = [...new Set([...Object.keys(measure.provider.byRoute), ...Object.keys(minimum)])].sort();
  if (routes.length === 0) return [`- ${measure.operation}: none (minimum none)`];
  const parts = routes.map((route) => {
    const provider = (measure.provider.byRoute[route] ?? 0) / pairs;
    const least = minimum[route] ?? 0;
    return `${route} ${format(provider)}/${format(least)}`;
  });
  const failed = Object.entries(measure.provider.failedAnswers)
    .map(([status, count]) => `${status}×${count}`)
    .join(", ");
  return [`- ${measure.operation}: ${parts.join("; ")}${failed ? ` (non-2xx answers: ${failed})` : ""}`];
}

/** Each target, judged on the scenario the issue names (N = 400, 20 ms), else the nearest one run. */
export function judgeTargets(scenarios: readonly ScenarioMeasure[]): {
  basis: string;
  verdicts: TargetVerdict[];
} {
  const withLatency = scenarios.filter((scenario) => scenario.latencyMs > 0);
  const pool = withLatency.length > 0 ? withLatency : scenarios;
  const basisScenario =
    pool.find((scenario) => scenario.pairs === 400) ??
    [...pool].sort((a, b) => Math.abs(a.pairs - 400) - Math.abs(b.pairs - 400))[0];
  if (basisScenario === undefined) return { basis: "nothing measured", verdicts: [] };
  const op = (name: string) => basisScenario.operations.find((measure) => measure.operation === name)!;
  const pairs = basisScenario.pairs;
  const verdicts: TargetVerdict[] = [];
  const createPerPair = op("create").provider.requests / pairs;
  verdicts.push({
    target: `create ≤ ${TARGETS.requestsPerPair} requests a pair`,
    measured: format(createPerPair),
    met: createPerPair <= TARGETS.requestsPerPair,
  });
  for (const name of ["create", "refresh", "destroy"]) {
    const measured = op(name).ratio;
    verdicts.push({
      target: `${name} ≤ ${TARGETS.timeRatio}× raw time`,
      measured: ratio(measured),
      met: measured !== null && measured <= TARGETS.timeRatio,
    });
  }
  verdicts.push({
    target: "no-op up makes no request",
    measured: String(op("noop").provider.requests),
    met: op("noop").provider.requests === 0,
  });
  const refreshPerResource = op("refresh").provider.requests / (pairs * RESOURCES_PER_PAIR);
  verdicts.push({
    target: `refresh ≤ ${TARGETS.refreshRequestsPerResource} requests a resource`,
    measured: format(refreshPerResource),
    met: refreshPerResource <= TARGETS.refreshRequestsPerResource,
  });
  verdicts.push({
    target: `state ≤ ${TARGETS.stateBytesPerResource} bytes a resource`,
    measured: basisScenario.state.bytesPerResource.toFixed(0),
    met: basisScenario.state.bytesPerResource <= TARGETS.stateBytesPerResource,
  });
  const linear = linearity(pool);
  if (linear !== undefined) verdicts.push(linear);
  return { basis: `N = ${pairs}, latency ${basisScenario.latencyMs} ms`, verdicts };
}

/** Provider create time per pair across N (same latency): linear when the spread stays small. */
function linearity(pool: readonly ScenarioMeasure[]): TargetVerdict | undefined {
  const latency = pool[0]?.latencyMs;
  const same = pool.filter((scenario) => scenario.latencyMs === latency);
  if (same.length < 2) return undefined;
  const perPair = same.map((scenario) => {
    const create = scenario.operations.find((measure) => measure.operation === "create")!;
    return { pairs: scenario.pairs, ms: create.provider.ms / scenario.pairs };
  });
  const values = perPair.map((entry) => entry.ms);
  const spread = Math.max(...values) / Math.min(...values);
  return {
    target: `create time linear in N (time a pair within ${TARGETS.linearSpread}× across N)`,
    measured: perPair.map((entry) => `N=${entry.pairs}: ${entry.ms.toFixed(2)} ms`).join(", "),
    met: spread <= TARGETS.linearSpread,
  };
}

export function formatTargets(judged: { basis: string; verdicts: TargetVerdict[] }): string {
  const lines = [
    `## Targets (judged at ${judged.basis})`,
    "",
    "| target | measured | met |",
    "| --- | --- | --- |",
  ];
  for (const verdict of judged.verdicts) {
    lines.push(`| ${verdict.target} | ${verdict.measured} | ${verdict.met ? "yes" : "**MISSED**"} |`);
  }
  return lines.join("\n");
}

export { OPERATIONS };

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function ratio(value: number | null): string {
  return value === null ? "—" : `${value.toFixed(2)}×`;
}

function perPair(requests: number, pairs: number): string {
  return format(requests / pairs);
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? "—" : `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}
