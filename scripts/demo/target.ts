import { startEmulator, type RunningEmulator } from "../../emulator";
import type { DemoTarget } from "./options";

/** The Chatwoot the demo seeds, with the ids the data set's names map to. */
export interface SeedTarget {
  readonly url: string;
  readonly accountId: number;
  /** An administrator's token: deleting contacts and conversations needs one. */
  readonly token: string;
  readonly inboxId: number;
  readonly agentId: number;
  readonly teamId: number;
  /** The stack that records what was seeded there. */
  readonly stack: string;
  /** The embedded emulator, when the demo started one. */
  readonly emulator: RunningEmulator | undefined;
  close(): Promise<void>;
}

/** The emulator's stack is thrown away on every run; see `stackDirectories`. */
export const EMULATOR_STACK = "emulator";

/**
 * Starts the embedded emulator (on a free port; `CHATWOOT_EMULATOR_ADMIN_TOKEN` fixes its admin
 * token, as for the emulator's own CLI), or describes the real Chatwoot of `--url`.
 */
export async function openTarget(target: DemoTarget, env: NodeJS.ProcessEnv): Promise<SeedTarget> {
  if (target.kind === "chatwoot") {
    return {
      ...target,
      stack: chatwootStackName(target.url, target.accountId),
      emulator: undefined,
      close: async () => {},
    };
  }
  const adminToken = env.CHATWOOT_EMULATOR_ADMIN_TOKEN;
  const emulator = await startEmulator({
    port: 0,
    accountName: "Lumen & Co. (demo)",
    ...(adminToken ? { adminToken } : {}),
  });
  return {
    url: emulator.url,
    accountId: emulator.accountId,
    token: emulator.adminToken,
    inboxId: emulator.inboxId,
    agentId: emulator.agentId,
    teamId: emulator.teamId,
    stack: EMULATOR_STACK,
    emulator,
    close: () => emulator.close(),
  };
}

/** One stack per Chatwoot installation and account, so seeding a second one never touches the first. */
export function chatwootStackName(url: string, accountId: number): string {
  const { host } = new URL(url);
  const slug = host
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `chatwoot-${slug}-${accountId}`;
}

/** The demo program's stack config for a target. */
export function demoStackConfig(target: SeedTarget, options: { withToken: boolean }): Record<string, string> {
  return {
    "chatwoot:url": target.url,
    "chatwoot:accountId": String(target.accountId),
    ...(options.withToken ? { [TOKEN_KEY]: target.token } : {}),
    "demo:inboxId": String(target.inboxId),
    "demo:agentId": String(target.agentId),
    "demo:teamId": String(target.teamId),
  };
}

export const TOKEN_KEY = "chatwoot:apiAccessToken";
