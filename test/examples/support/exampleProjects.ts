import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { Engine } from "../../../harness/engine";
import { runProgram, type ProgramRun } from "../../../harness/program";
import { stripSecrets } from "../../../harness/wire";
import { startEmulator, type BareAccount, type RunningEmulator } from "../../../emulator";
import { ADMIN_TOKEN, REPOSITORY_ROOT } from "../../support/stack";
import { ChatwootReader } from "./chatwootReader";

export type ExampleName = "staging-seed" | "demo-dataset" | "connection-from-stack";

export function exampleDir(name: ExampleName): string {
  return path.join(REPOSITORY_ROOT, "examples", name);
}

/** The `name` in a project's Pulumi.yaml: URNs carry it, so the engine must use the same. */
export function projectName(projectDir: string): string {
  const project = parseYaml(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as {
    name: string;
  };
  return project.name;
}

/**
 * A copy of an example in a temporary directory, some files replaced, with `node_modules` linked
 * to the repository's (where `pulumi-chatwoot` is this checkout's build), as a user's copy would
 * have after `npm install`. The example itself stays untouched.
 */
export function copyExample(
  name: ExampleName,
  replace: Record<string, string> = {},
): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `example-${name}-`));
  for (const file of fs.readdirSync(exampleDir(name))) {
    if (file === "node_modules") continue;
    fs.copyFileSync(path.join(exampleDir(name), file), path.join(dir, file));
  }
  for (const [file, text] of Object.entries(replace)) fs.writeFileSync(path.join(dir, file), text);
  fs.symlinkSync(path.join(REPOSITORY_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The emulator and a stack for one example: its provider host runs in the example's directory, as
 * `pulumi up` there would start it, with `chatwoot:*` config (the token a secret) plus the
 * example's own keys.
 */
export class ExampleStack {
  private constructor(
    readonly emulator: RunningEmulator,
    readonly engine: Engine,
    readonly reader: ChatwootReader,
    /** The account the stack seeds: the emulator's primary one, or the one `account` made. */
    readonly account: BareAccount,
  ) {}

  static async start(
    projectDir: string,
    exampleConfig: (emulator: RunningEmulator, account: BareAccount) => Record<string, string>,
    options: { account?: (emulator: RunningEmulator) => BareAccount } = {},
  ): Promise<ExampleStack> {
    const emulator = await startEmulator({ adminToken: ADMIN_TOKEN });
    try {
      const account = options.account?.(emulator) ?? emulator;
      const engine = await Engine.start({
        projectDir,
        project: projectName(projectDir),
        config: {
          "chatwoot:url": emulator.url,
          "chatwoot:accountId": String(account.accountId),
          "chatwoot:apiAccessToken": ADMIN_TOKEN,
          ...exampleConfig(emulator, account),
        },
        secretConfigKeys: ["chatwoot:apiAccessToken"],
      });
      return new ExampleStack(
        emulator,
        engine,
        new ChatwootReader(emulator.url, account.accountId, ADMIN_TOKEN),
        account,
      );
    } catch (error) {
      await emulator.close();
      throw error;
    }
  }

  /**
   * Runs a program directory against this stack. Type-checking costs seconds per run, so only the
   * runs that are about the program compiling ask for it.
   */
  run(programDir: string, options: { preview?: boolean; typeCheck?: boolean } = {}): Promise<ProgramRun> {
    return runProgram({
      engine: this.engine,
      programDir,
      preview: options.preview ?? false,
      env: options.typeCheck ? {} : { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
  }

  counts() {
    const counts = this.emulator.summary().find((account) => account.accountId === this.account.accountId);
    if (counts === undefined) throw new Error("the emulator lost the stack's account");
    return counts;
  }

  async close(): Promise<void> {
    await this.engine.close();
    await this.emulator.close();
  }
}

/** A run's stack outputs as plain values. */
export function plainOutputs(run: ProgramRun): Record<string, unknown> {
  return stripSecrets(run.stackOutputs) as Record<string, unknown>;
}

/** The id at the end of a conversation's dashboard URL. */
export function conversationIdFromUrl(url: unknown): number {
  const match = /\/app\/accounts\/\d+\/conversations\/(\d+)$/.exec(String(url));
  if (match === null) throw new Error(`not a conversation URL: ${String(url)}`);
  return Number(match[1]);
}
