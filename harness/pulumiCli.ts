/**
 * The acceptance tier: the REAL `pulumi` CLI, where one is installed, against a throw-away local
 * backend (`pkg/backend/diy`). Only this tier covers the engine's own step generator, state
 * encryption and checkpoint format; tests must skip (loudly) when `findPulumiBinary()` finds nothing.
 *
 * Every command runs in the project directory with `PULUMI_BACKEND_URL=file://<temp dir>`,
 * `PULUMI_CONFIG_PASSPHRASE`, `PULUMI_SKIP_UPDATE_CHECK=true`, `--non-interactive`, `--color never`,
 * and `--yes` where a command would ask.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { GroupProcess } from "./processGroup";

/** The `pulumi` executable on `PATH`, else in `$PULUMI_HOME/bin` or `~/.pulumi/bin`; `undefined` if none. */
export function findPulumiBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const names = process.platform === "win32" ? ["pulumi.exe", "pulumi.cmd"] : ["pulumi"];
  const directories = [
    ...(env.PATH ?? "").split(path.delimiter).filter(Boolean),
    ...(env.PULUMI_HOME ? [path.join(env.PULUMI_HOME, "bin")] : []),
    ...(env.HOME ? [path.join(env.HOME, ".pulumi", "bin")] : []),
  ];
  for (const directory of directories) {
    for (const name of names) {
      const candidate = path.join(directory, name);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

export interface PulumiCliOptions {
  /** The project directory (with `Pulumi.yaml`). */
  readonly projectDir: string;
  /** @default "dev" */
  readonly stack?: string;
  /** @default findPulumiBinary() */
  readonly binary?: string;
  /** Where the file backend keeps its state. @default a new temporary directory, removed by `dispose()` */
  readonly backendDir?: string;
  /** @default "harness-passphrase" */
  readonly passphrase?: string;
  /** Extra environment for every command. */
  readonly env?: Readonly<Record<string, string>>;
  /** Per command. @default 300000 */
  readonly timeoutMs?: number;
}

export interface CliResult {
  readonly args: readonly string[];
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A failed `pulumi` command, with its output. */
export class PulumiCommandError extends Error {
  override readonly name = "PulumiCommandError";

  constructor(readonly result: CliResult) {
    super(
      `pulumi ${result.args.join(" ")} exited with ${String(result.exitCode)}\n` +
        `--- stdout\n${result.stdout.trim()}\n--- stderr\n${result.stderr.trim()}`,
    );
  }
}

export class PulumiCli {
  readonly stack: string;
  readonly backendDir: string;
  private readonly ownsBackend: boolean;

  private constructor(
    readonly binary: string,
    private readonly options: PulumiCliOptions,
  ) {
    this.stack = options.stack ?? "dev";
    this.ownsBackend = options.backendDir === undefined;
    this.backendDir = options.backendDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-backend-"));
  }

  /**
   * Prepares a CLI session and creates (or selects) the stack. Throws if there is no binary: check
   * `findPulumiBinary()` first and skip the test when it returns `undefined`.
   */
  static async open(options: PulumiCliOptions): Promise<PulumiCli> {
    const binary = options.binary ?? findPulumiBinary();
    if (!binary) throw new Error("no pulumi binary found (PATH, $PULUMI_HOME/bin, ~/.pulumi/bin)");
    const cli = new PulumiCli(binary, options);
    try {
      await cli.run(["stack", "select", "--create", cli.stack, "--non-interactive"]);
    } catch (error) {
      cli.dispose();
      throw error;
    }
    return cli;
  }

  /** The environment every command gets. */
  get env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...this.options.env,
      PULUMI_BACKEND_URL: `file://${this.backendDir}`,
      PULUMI_CONFIG_PASSPHRASE: this.options.passphrase ?? "harness-passphrase",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_SKIP_CONFIRMATIONS: "true",
    };
  }

  /** Runs `pulumi <args>` in the project directory; rejects with {@link PulumiCommandError} on failure. */
  async run(args: readonly string[], options: { allowFailure?: boolean } = {}): Promise<CliResult> {
    const fullArgs = [...args, "--color", "never"];
    const child = new GroupProcess(this.binary, fullArgs, { cwd: this.options.projectDir, env: this.env });
    const timeoutMs = this.options.timeoutMs ?? 300_000;
    const timer = setTimeout(() => void child.stop(), timeoutMs);
    let exitCode: number | null;
    try {
      exitCode = await child.waitForExit();
    } finally {
      clearTimeout(timer);
    }
    const result: CliResult = { args: fullArgs, exitCode, stdout: child.stdout, stderr: child.stderr };
    if (exitCode !== 0 && !options.allowFailure) throw new PulumiCommandError(result);
    return result;
  }

  /** `pulumi config set [--secret] <key> -- <value>` on this stack. */
  setConfig(key: string, value: string, options: { secret?: boolean } = {}): Promise<CliResult> {
    return this.run([
      "config",
      "set",
      ...(options.secret ? ["--secret"] : []),
      "--stack",
      this.stack,
      "--non-interactive",
      key,
      "--",
      value,
    ]);
  }

  /** Sets every key, secret ones with `--secret`. */
  async setAllConfig(
    config: Readonly<Record<string, string>>,
    secretKeys: readonly string[] = [],
  ): Promise<void> {
    for (const [key, value] of Object.entries(config))
      await this.setConfig(key, value, { secret: secretKeys.includes(key) });
  }

  up(extraArgs: readonly string[] = []): Promise<CliResult> {
    return this.run(["up", "--yes", "--non-interactive", "--stack", this.stack, ...extraArgs]);
  }

  preview(extraArgs: readonly string[] = []): Promise<CliResult> {
    return this.run(["preview", "--non-interactive", "--stack", this.stack, ...extraArgs]);
  }

  refresh(extraArgs: readonly string[] = []): Promise<CliResult> {
    return this.run(["refresh", "--yes", "--non-interactive", "--stack", this.stack, ...extraArgs]);
  }

  destroy(extraArgs: readonly string[] = []): Promise<CliResult> {
    return this.run(["destroy", "--yes", "--non-interactive", "--stack", this.stack, ...extraArgs]);
  }

  /** `pulumi stack output --json` (secrets shown only with `showSecrets`). */
  async stackOutputs(options: { showSecrets?: boolean } = {}): Promise<Record<string, unknown>> {
    const result = await this.run([
      "stack",
      "output",
      "--json",
      "--stack",
      this.stack,
      ...(options.showSecrets ? ["--show-secrets"] : []),
    ]);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  /** `pulumi stack export`: the checkpoint as stored (secrets encrypted), for "never in state" checks. */
  async exportState(): Promise<string> {
    return (await this.run(["stack", "export", "--stack", this.stack])).stdout;
  }

  /** Removes the temporary backend (when this session created it). */
  dispose(): void {
    if (this.ownsBackend) fs.rmSync(this.backendDir, { recursive: true, force: true });
  }
}

function isExecutableFile(candidate: string): boolean {
  try {
    if (!fs.statSync(candidate).isFile()) return false;
    fs.accessSync(candidate, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
