import { startEmulator, type RunningEmulator } from "../../emulator";
import { CallbackReceiver } from "./callbackReceiver";
import { openDemoAccount } from "./demoAccount";
import type { DemoTarget } from "./options";

/** The Chatwoot account the demo seeds. */
export interface SeedTarget {
  readonly url: string;
  readonly accountId: number;
  /** An administrator's token: creating an inbox and deleting contacts and conversations need one. */
  readonly token: string;
  /** Ids for the data's agent and team, where the user gave them; else their names are looked up. */
  readonly agentId: number | undefined;
  readonly teamId: number | undefined;
  /** The stack that records what was seeded there. */
  readonly stack: string;
  /** The embedded emulator, when the demo started one. */
  readonly emulator: RunningEmulator | undefined;
  /**
   * Where the API inbox's callbacks go, when the demo receives them: with the emulator only, since
   * a real Chatwoot elsewhere cannot reach this machine's loopback address.
   */
  readonly callbacks: CallbackReceiver | undefined;
  close(): Promise<void>;
}

/** The emulator's stack is thrown away on every run; see `stackDirectories`. */
export const EMULATOR_STACK = "emulator";

/**
 * Starts the embedded emulator (on a free port; `CHATWOOT_EMULATOR_ADMIN_TOKEN` fixes its admin
 * token, as for the emulator's own CLI) with an empty demo account and a callback receiver, or
 * describes the real Chatwoot of `--url`.
 */
export async function openTarget(target: DemoTarget, env: NodeJS.ProcessEnv): Promise<SeedTarget> {
  if (target.kind === "chatwoot") {
    return {
      ...target,
      stack: chatwootStackName(target.url, target.accountId),
      emulator: undefined,
      callbacks: undefined,
      close: async () => {},
    };
  }
  const adminToken = env.CHATWOOT_EMULATOR_ADMIN_TOKEN;
  const emulator = await startEmulator({ port: 0, ...(adminToken ? { adminToken } : {}) });
  const callbacks = await CallbackReceiver.start().catch(async (error: unknown) => {
    await emulator.close();
    throw error;
  });
  const account = openDemoAccount(emulator);
  return {
    url: emulator.url,
    accountId: account.accountId,
    token: account.adminToken,
    agentId: undefined,
    teamId: undefined,
    stack: EMULATOR_STACK,
    emulator,
    callbacks,
    close: async () => {
      await emulator.close();
      await callbacks.close();
    },
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
    ...(target.callbacks === undefined ? {} : { "demo:callbackUrl": target.callbacks.url }),
    ...(target.agentId === undefined ? {} : { "demo:agentId": String(target.agentId) }),
    ...(target.teamId === undefined ? {} : { "demo:teamId": String(target.teamId) }),
  };
}

export const TOKEN_KEY = "chatwoot:apiAccessToken";
