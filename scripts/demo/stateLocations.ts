import * as path from "node:path";
import type { SeedTarget } from "./target";

/** Where the demo keeps what it seeded, inside the repository (`.pulumi/`, git-ignored). */
export interface StateLocations {
  /** The `pulumi` CLI's file backend (`PULUMI_BACKEND_URL=file://…`). */
  readonly cliBackendDir: string;
  /** The engine harness's state, for a real Chatwoot; none for the emulator. */
  readonly harnessStateFile: string | undefined;
  /** Start from an empty stack: the emulator's data dies with it, so its old state means nothing. */
  readonly fresh: boolean;
  /** The stack config file the CLI writes next to Pulumi.yaml, removed for a fresh start. */
  readonly stackConfigFile: string;
}

export function stateLocations(projectDir: string, target: SeedTarget): StateLocations {
  const root = path.join(projectDir, ".pulumi");
  const stackConfigFile = path.join(projectDir, `Pulumi.${target.stack}.yaml`);
  if (target.emulator !== undefined) {
    return {
      cliBackendDir: path.join(root, "emulator"),
      harnessStateFile: undefined,
      fresh: true,
      stackConfigFile,
    };
  }
  // A real Chatwoot keeps its data, so the stack must remember it: the next run changes only
  // what the data set changed, instead of creating everything again.
  return {
    cliBackendDir: path.join(root, "chatwoot"),
    harnessStateFile: path.join(root, "harness", `${target.stack}.json`),
    fresh: false,
    stackConfigFile,
  };
}
