import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findPulumiBinary } from "../../../harness/pulumiCli";
import { REPOSITORY_ROOT } from "../../support/stack";

export const DEMO_SCRIPT = path.join(REPOSITORY_ROOT, "dist", "scripts", "demo.js");

export interface DemoExit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `node dist/scripts/demo.js`, spawned asynchronously: the test process may be running an
 * emulator the demo talks to, which a synchronous spawn would starve.
 */
export class DemoProcess {
  private readonly child: ChildProcess;
  private out = "";
  private err = "";
  private readonly exited: Promise<DemoExit>;

  constructor(args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [DEMO_SCRIPT, ...args], {
      cwd: REPOSITORY_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (this.out += chunk));
    this.child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.err += chunk));
    this.exited = new Promise((resolve) =>
      this.child.on("close", (code) => resolve({ code, stdout: this.out, stderr: this.err })),
    );
  }

  get stdout(): string {
    return this.out;
  }

  exit(): Promise<DemoExit> {
    return this.exited;
  }

  /**
   * Resolves once stdout matches, rejects if the process exits first. No deadline of its own: how
   * long the demo takes depends on the machine's load, and the test's timeout guards against a hang.
   */
  async waitForOutput(pattern: RegExp): Promise<RegExpExecArray> {
    for (;;) {
      const match = pattern.exec(this.out);
      if (match) return match;
      if (this.child.exitCode !== null) {
        throw new Error(`no ${String(pattern)} in the demo's output:\n${this.out}\n--- stderr\n${this.err}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Kills the demo if it is still running (test clean-up). */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
    await this.exited;
  }
}

/**
 * The environment without any `pulumi` binary: PATH without directories holding one, and a HOME
 * and PULUMI_HOME where none is installed. Throws if `findPulumiBinary` would still find one.
 */
export function environmentWithoutPulumi(extra: NodeJS.ProcessEnv = {}): {
  env: NodeJS.ProcessEnv;
  remove(): void;
} {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "demo-home-"));
  const binary = findPulumiBinary();
  const pathWithout = (process.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => dir !== "" && findPulumiBinary({ PATH: dir }) === undefined)
    .join(path.delimiter);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: pathWithout,
    HOME: home,
    PULUMI_HOME: home,
    ...extra,
  };
  const found = findPulumiBinary(env);
  if (found !== undefined)
    throw new Error(`could not hide the pulumi binary ${found} (first found: ${String(binary)})`);
  return { env, remove: () => fs.rmSync(home, { recursive: true, force: true }) };
}
