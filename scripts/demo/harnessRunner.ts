import * as fs from "node:fs";
import * as path from "node:path";
import { Engine, describeRun, runProgram, stripSecrets, type ResourceState } from "../../harness";
import type { RootProject } from "./rootProject";
import { describeStepCounts, SeedRunError, type SeedRun } from "./seedRun";
import type { StateLocations } from "./stateLocations";
import { demoStackConfig, TOKEN_KEY, type SeedTarget } from "./target";

/**
 * Runs the root program once, like `pulumi up --skip-preview`, through the engine harness: Pulumi's
 * own program runner and dynamic-provider host, with the engine's rules reproduced around them.
 */
export async function seedWithHarness(
  project: RootProject,
  target: SeedTarget,
  locations: StateLocations,
  redact: (text: string) => string,
): Promise<SeedRun> {
  const engine = await Engine.start({
    projectDir: project.projectDir,
    project: project.name,
    stack: target.stack,
    // The token is a secret in memory only: the harness writes no stack config file.
    config: demoStackConfig(target, { withToken: true }),
    secretConfigKeys: [TOKEN_KEY],
    initialState: readState(locations.harnessStateFile),
  });
  try {
    const run = await runProgram({
      engine,
      programDir: project.programDir,
      entryPoint: project.entryPoint,
    });
    // Like the CLI's checkpoint: whatever was created is recorded, even by a run that failed later.
    writeState(locations.harnessStateFile, engine.state);
    if (run.exitCode !== 0 || !run.succeeded) {
      throw new SeedRunError("the program run failed", redact(describeRun(run)));
    }
    return {
      outputs: stripSecrets(run.stackOutputs) as Record<string, unknown>,
      report: [`Done in ${(run.durationMs / 1000).toFixed(1)} s: ${describeStepCounts(run.summary)}.`],
    };
  } finally {
    await engine.close();
  }
}

function readState(file: string | undefined): ResourceState[] {
  if (file === undefined || !fs.existsSync(file)) return [];
  return JSON.parse(fs.readFileSync(file, "utf8")) as ResourceState[];
}

function writeState(file: string | undefined, state: readonly ResourceState[]): void {
  if (file === undefined) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}
