import * as fs from "node:fs";
import { PulumiCli, PulumiCommandError } from "../../harness";
import type { RootProject } from "./rootProject";
import { SeedRunError, type SeedRun } from "./seedRun";
import type { StateLocations } from "./stateLocations";
import { demoStackConfig, TOKEN_KEY, type SeedTarget } from "./target";

/**
 * Fixed on purpose: the local backend holds nothing worth protecting (the emulator's throw-away
 * token, and for a real Chatwoot no token at all: it goes through the environment instead).
 */
export const DEMO_PASSPHRASE = "pulumi-chatwoot-demo";

/**
 * `pulumi up --yes` on the root project with a file backend inside the repository (no Pulumi
 * Cloud login), then `pulumi preview --expect-no-changes` to show the program is in sync.
 */
export async function seedWithCli(
  binary: string,
  project: RootProject,
  target: SeedTarget,
  locations: StateLocations,
  redact: (text: string) => string,
  progress: (line: string) => void,
): Promise<SeedRun> {
  if (locations.fresh) {
    fs.rmSync(locations.cliBackendDir, { recursive: true, force: true });
    fs.rmSync(locations.stackConfigFile, { force: true });
  }
  fs.mkdirSync(locations.cliBackendDir, { recursive: true });
  // For a real Chatwoot the token never goes into the stack config file (whose passphrase is
  // fixed); the provider reads CHATWOOT_API_ACCESS_TOKEN from the environment instead.
  const tokenInConfig = target.emulator !== undefined;
  try {
    const cli = await PulumiCli.open({
      projectDir: project.projectDir,
      stack: target.stack,
      binary,
      backendDir: locations.cliBackendDir,
      passphrase: DEMO_PASSPHRASE,
      env: tokenInConfig ? {} : { CHATWOOT_API_ACCESS_TOKEN: target.token },
    });
    await cli.setAllConfig(
      demoStackConfig(target, { withToken: tokenInConfig }),
      tokenInConfig ? [TOKEN_KEY] : [],
    );
    progress(`pulumi up --yes --stack ${target.stack}`);
    const up = await cli.up();
    progress(`pulumi preview --expect-no-changes --stack ${target.stack}`);
    await cli.preview(["--expect-no-changes"]);
    const outputs = await cli.stackOutputs();
    return {
      outputs,
      report: [...resourceSummary(redact(up.stdout)), "pulumi preview --expect-no-changes: no changes."],
    };
  } catch (error) {
    if (error instanceof PulumiCommandError) {
      throw new SeedRunError(`pulumi ${error.result.args[0] ?? ""} failed`, redact(error.message));
    }
    throw error;
  }
}

/** The "Resources:" block at the end of `pulumi up`'s output, and its duration line. */
function resourceSummary(stdout: string): string[] {
  const lines = stdout.replace(/\r/g, "").split("\n");
  const start = lines.findIndex((line) => line.trim().startsWith("Resources:"));
  if (start < 0) return ["pulumi up: done."];
  return lines
    .slice(start)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "");
}
