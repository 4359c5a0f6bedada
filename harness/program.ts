/**
 * `runProgram`: runs an UNMODIFIED Pulumi TypeScript program out of process, the way the Node.js
 * language host does (`sdk/nodejs/cmd/pulumi-language-nodejs/main.go constructArguments`,
 * `constructConfig`, `execRuntime`):
 *
 *   node <sdk>/cmd/run --monitor <addr> --engine <addr> --organization organization --project P
 *        --root-directory <dir> --stack S --pwd <dir> [--dry-run] --parallel N .
 *
 * with `PULUMI_CONFIG` (keys rewritten to `<namespace>:config:<name>`, as the language host does),
 * `PULUMI_CONFIG_SECRET_KEYS` and `PULUMI_NODEJS_TYPESCRIPT=true`. Its registrations go to an Engine
 * deployment through the fake monitor of `monitor.ts`; several runs against one Engine behave like
 * consecutive `pulumi up`s on one stack.
 */
import * as os from "os";
import type { Engine } from "./engine";
import { ResourceMonitorServer, type ProgramLogEntry } from "./monitor";
import { GroupProcess } from "./processGroup";
import { loadPulumiSdk } from "./pulumiSdk";
import type { OperationResult } from "./steps";
import type { PropertyMap } from "./wire";

export interface RunProgramOptions {
  readonly engine: Engine;
  /** The program directory (with `package.json` and `index.ts`); `@pulumi/pulumi` must resolve from it. */
  readonly programDir: string;
  /** Must match the engine's (URNs are the engine's). @default the engine's project */
  readonly project?: string;
  /** Must match the engine's. @default the engine's stack */
  readonly stack?: string;
  /** The program's stack config (namespaced keys). @default the config the engine was started with */
  readonly config?: Readonly<Record<string, string>>;
  /** @default the engine's secret config keys */
  readonly secretConfigKeys?: readonly string[];
  /** `pulumi preview` instead of `pulumi up`. */
  readonly preview?: boolean;
  /** `--refresh`: refresh the state before the program runs. */
  readonly refresh?: boolean;
  readonly continueOnError?: boolean;
  /** Extra environment for the program process. */
  readonly env?: Readonly<Record<string, string>>;
  /** `PULUMI_NODEJS_TYPESCRIPT=true`, as for a TypeScript project. @default true */
  readonly typescript?: boolean;
  /** The entry point relative to `programDir`. @default "." */
  readonly entryPoint?: string;
  /** Node.js flags before the runner, like Pulumi.yaml's `runtime.options.nodeargs`. */
  readonly nodeArgs?: readonly string[];
  /** Kill the program (and fail the run) after this long. @default 120000 */
  readonly timeoutMs?: number;
}

export interface ProgramRun extends OperationResult {
  /** The program process's exit code (`null` if killed). */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** What the program logged through the engine service, unhandled errors included. */
  readonly logs: readonly ProgramLogEntry[];
  /** The program's exports, secret wrappers and unknown sentinels kept. */
  readonly stackOutputs: PropertyMap;
  readonly durationMs: number;
}

export async function runProgram(options: RunProgramOptions): Promise<ProgramRun> {
  const { engine, programDir } = options;
  if (
    (options.project ?? engine.project) !== engine.project ||
    (options.stack ?? engine.stack) !== engine.stack
  ) {
    throw new Error(`runProgram: project/stack must be the engine's (${engine.project}/${engine.stack})`);
  }
  const sdk = loadPulumiSdk(programDir);
  const startedAt = Date.now();
  const preview = options.preview ?? false;
  const config = options.config ?? engine.config;
  const secretConfigKeys = options.secretConfigKeys ?? engine.secretConfigKeys;
  const deployment = engine.beginDeployment({
    preview,
    refresh: options.refresh ?? false,
    continueOnError: options.continueOnError ?? false,
    config,
    secretConfigKeys,
  });

  let monitor: ResourceMonitorServer | undefined;
  let program: GroupProcess | undefined;
  try {
    // `up --refresh` refreshes before the language host starts; a failed read ends the update there.
    if (!(await deployment.prepared())) {
      const result = await deployment.finish();
      return { ...result, exitCode: null, stdout: "", stderr: "", logs: [], stackOutputs: {}, durationMs: 0 };
    }
    monitor = await ResourceMonitorServer.start(sdk, deployment);
    const args = [
      ...(options.nodeArgs ?? []),
      ...programArguments(sdk.programRunnerScript, monitor.address, options),
    ];
    program = new GroupProcess(process.execPath, args, {
      cwd: programDir,
      env: {
        ...process.env,
        ...options.env,
        PULUMI_CONFIG: JSON.stringify(languageHostConfig(config)),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(secretConfigKeys),
        ...(options.typescript === false ? {} : { PULUMI_NODEJS_TYPESCRIPT: "true" }),
      },
    });
    const exitCode = await withTimeout(program, options.timeoutMs ?? 120_000);
    const failure = exitCode === 0 ? undefined : programFailure(exitCode, monitor.logs, program.stderr);
    const result = await deployment.finish(failure);
    return {
      ...result,
      exitCode,
      stdout: program.stdout,
      stderr: program.stderr,
      logs: [...monitor.logs],
      stackOutputs: monitor.stackOutputs,
      durationMs: Date.now() - startedAt,
    };
  } catch (error) {
    await program?.stop();
    await deployment.finish(`runProgram failed: ${String(error)}`);
    throw error;
  } finally {
    monitor?.close();
  }
}

/** Throws, with everything needed to see why, unless the run succeeded. */
export function assertProgramSucceeded(run: ProgramRun): void {
  if (run.exitCode === 0 && run.succeeded) return;
  throw new Error(`program run failed\n${describeRun(run)}`);
}

/** The exit code, engine errors, program logs and output of a run, for failure messages. */
export function describeRun(run: ProgramRun): string {
  const section = (title: string, text: string): string =>
    text.trim() ? `--- ${title}\n${text.trim()}\n` : "";
  return [
    `exit code: ${String(run.exitCode)}`,
    section("engine errors", run.errors.map((e) => `${e.urn ?? "(deployment)"}: ${e.message}`).join("\n")),
    section("program log", run.logs.map((entry) => `[${entry.severity}] ${entry.message}`).join("\n")),
    section("stdout", run.stdout),
    section("stderr", run.stderr),
  ].join("\n");
}

function programArguments(runner: string, address: string, options: RunProgramOptions): string[] {
  const { engine, programDir } = options;
  return [
    runner,
    "--monitor",
    address,
    "--engine",
    address,
    "--organization",
    "organization",
    "--project",
    engine.project,
    "--root-directory",
    programDir,
    "--stack",
    engine.stack,
    "--pwd",
    programDir,
    ...(options.preview ? ["--dry-run"] : []),
    "--parallel",
    String(4 * os.cpus().length),
    options.entryPoint ?? ".",
  ];
}

/** `chatwoot:url` → `chatwoot:config:url`: the language host still presents the old key format. */
function languageHostConfig(config: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => {
      const separator = key.indexOf(":");
      return [separator < 0 ? key : `${key.slice(0, separator)}:config:${key.slice(separator + 1)}`, value];
    }),
  );
}

function programFailure(exitCode: number | null, logs: readonly ProgramLogEntry[], stderr: string): string {
  const errors = logs.filter((entry) => entry.severity === "error").map((entry) => entry.message.trim());
  const detail = errors.length > 0 ? errors.join("\n") : stderr.trim().split("\n").slice(-20).join("\n");
  return `the program exited with code ${String(exitCode)}${detail ? `:\n${detail}` : ""}`;
}

async function withTimeout(program: GroupProcess, timeoutMs: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the program did not finish within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([program.waitForExit(), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
