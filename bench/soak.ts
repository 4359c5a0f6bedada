/**
 * `npm run soak`: seeds through the provider while the emulator faults a share of every request,
 * then checks through the API that the account holds exactly what was declared (see
 * `soak/run.ts`). Exits 1 when any check fails.
 *
 *   npm run soak                          N = 24 (the demo data set's scale) and 2,000
 *   npm run soak -- --sizes 24            one size
 *   npm run soak -- --rate 0.2 --seed 7   the share of requests faulted, and the fault generator's seed
 */
import { join } from "node:path";
import { runSoak, type SoakResult } from "./soak/run";

const REPOSITORY_ROOT = join(__dirname, "..");

function parseArguments(argv: readonly string[]) {
  let sizes = [24, 2000];
  let faultRate = 0.2;
  let seed = 20261130;
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    const value = (): string => {
      const next = argv[index + 1];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      index += 1;
      return next;
    };
    if (arg === "--sizes") sizes = value().split(",").map(positiveInteger);
    else if (arg === "--rate") faultRate = Number(value());
    else if (arg === "--seed") seed = positiveInteger(value());
    else {
      console.log("usage: npm run soak -- [--sizes 24,2000] [--rate 0.2] [--seed N]");
      process.exit(arg === "--help" ? 0 : 2);
    }
  }
  if (!(faultRate >= 0 && faultRate < 1)) throw new Error("--rate must be at least 0 and below 1");
  return { sizes, faultRate, seed };
}

function positiveInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`"${text}" is not a positive integer`);
  return value;
}

function report(result: SoakResult, faultRate: number): string {
  const faults = Object.entries(result.faultsByKind)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, count]) => `${kind} ${count}`)
    .join(", ");
  const fired = Object.values(result.faultsByKind).reduce((sum, count) => sum + count, 0);
  const lines = [
    `## N = ${result.pairs} (${result.pairs * 2} resources)`,
    "",
    `- Requests: ${result.requests} (the read-backs' included), ${fired} of them faulted (rate ${faultRate}): ${faults || "none"}`,
    `- up: ${result.up.runs} run(s), ${result.up.seconds.toFixed(1)} s; last run ${result.up.lastSucceeded ? "succeeded" : "FAILED"}`,
    ...result.up.errors.map((error) => `  - ${error}`),
    `- After up, through the API: ${result.problemsAfterUp.length === 0 ? "exactly what was declared" : "NOT as declared"}`,
    ...result.problemsAfterUp.map((problem) => `  - ${problem}`),
    `- Second up without faults: ${result.secondUp.changes} change(s), ${result.secondUp.requests} request(s), ${result.secondUp.errors} error(s)`,
    ...result.secondUp.routes.map((route) => `  - ${route}`),
    `- destroy: ${result.destroy.runs} run(s), ${result.destroy.seconds.toFixed(1)} s; last run ${result.destroy.lastSucceeded ? "succeeded" : "FAILED"}`,
    ...result.destroy.errors.map((error) => `  - ${error}`),
    `- Left after destroy: ${result.leftAfterDestroy.contacts} contact(s), ${result.leftAfterDestroy.conversations} conversation(s)`,
    `- Verdict: ${result.passed ? "passed" : "FAILED"}`,
    "",
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  const args = parseArguments(process.argv.slice(2));
  const results = await runSoak({
    ...args,
    attempts: 5,
    repositoryRoot: REPOSITORY_ROOT,
    progress: (line) => console.error(line),
  });
  console.log("# Soak\n");
  for (const result of results) console.log(report(result, args.faultRate));
  const failed = results.filter((result) => !result.passed);
  console.log(failed.length === 0 ? "All soaks passed." : `${failed.length} soak(s) FAILED.`);
  process.exitCode = failed.length === 0 ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
