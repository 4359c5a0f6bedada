/**
 * Seeding benchmark (not a test): the provider through Pulumi's real dynamic-provider host against
 * the same end state made with raw keep-alive HTTP and the fewest requests the API allows, on one
 * emulator, for create, a no-op `up`, refresh and destroy.
 *
 *   npm run bench                  N = 100, 400 and 2,000, with and without 20 ms latency
 *   npm run bench -- --quick       N = 100 only
 *   npm run bench -- --sizes 50,200 --latencies 20 --json out.json
 *
 * 20 ms of added latency per request stands for a Chatwoot in the same region as the machine
 * running Pulumi: a regional round trip is 10–20 ms and a Rails action adds a few more (see
 * README "Performance"). Prints Markdown tables; writes the same figures as JSON.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { formatScenario, formatTargets, judgeTargets } from "./seed/report";
import { runBench } from "./seed/run";

const REPOSITORY_ROOT = join(__dirname, "..");
const CONCURRENCY = 8;

function parseArgs(argv: readonly string[]) {
  let sizes = [100, 400, 2000];
  let latencies = [0, 20];
  let json = join(REPOSITORY_ROOT, "bench", "results", "seed-latest.json");
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    const value = () => {
      const next = argv[index + 1];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      index += 1;
      return next;
    };
    const numbers = (text: string) =>
      text.split(",").map((part) => {
        const parsed = Number(part);
        if (!Number.isInteger(parsed) || parsed < 0)
          throw new Error(`${arg}: "${part}" is not a whole number`);
        return parsed;
      });
    if (arg === "--quick") sizes = [100];
    else if (arg === "--sizes") sizes = numbers(value());
    else if (arg === "--latencies") latencies = numbers(value());
    else if (arg === "--json") json = resolve(value());
    else if (arg === "--help") {
      console.log("usage: npm run bench -- [--quick] [--sizes 100,400] [--latencies 0,20] [--json path]");
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  return { sizes, latencies, json };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const result = await runBench({
    sizes: args.sizes,
    latenciesMs: args.latencies,
    concurrency: CONCURRENCY,
    repositoryRoot: REPOSITORY_ROOT,
    progress: (line) => process.stderr.write(`${line}\n`),
  });
  const { machine } = result;
  const judged = judgeTargets(result.scenarios);
  console.log("# Seeding benchmark");
  console.log("");
  console.log(
    `${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; ` +
      `load average ${machine.loadBefore.toFixed(1)} before, ${(machine.loadAfter ?? 0).toFixed(1)} after` +
      `${Math.max(machine.loadBefore, machine.loadAfter ?? 0) > machine.cpus ? " (the machine was shared)" : ""}. ` +
      `Concurrency ${result.options.concurrency} on both sides; no rate limit on either.`,
  );
  for (const scenario of result.scenarios) {
    console.log("");
    console.log(formatScenario(scenario));
  }
  console.log("");
  console.log(formatTargets(judged));
  mkdirSync(dirname(args.json), { recursive: true });
  writeFileSync(args.json, `${JSON.stringify({ ...result, targets: judged }, null, 2)}\n`);
  console.log("");
  console.log(`JSON: ${args.json}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
