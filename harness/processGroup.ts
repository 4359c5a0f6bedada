/**
 * Child processes in their own process group, the way the engine runs plugins: the engine registers a
 * process group and interrupts, then kills, the whole group. The npm shim is `sh` → `node`, and killing
 * only the first process would leave the real host orphaned (`sdk/go/common/resource/plugin/plugin.go`).
 */
import { spawn, type ChildProcess } from "child_process";

export interface GroupProcessOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

/** A process started with `detached: true`, so that it leads its own process group. */
export class GroupProcess {
  readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;
  private stdoutText = "";
  private stderrText = "";

  constructor(command: string, args: readonly string[], options: GroupProcessOptions) {
    this.child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    liveGroups.add(this);
    this.child.stdout?.setEncoding("utf8");
    this.child.stderr?.setEncoding("utf8");
    this.child.stdout?.on("data", (chunk: string) => (this.stdoutText += chunk));
    this.child.stderr?.on("data", (chunk: string) => (this.stderrText += chunk));
    this.exited = new Promise((resolve) => {
      // "close" (not "exit") so that all output has been read when the promise resolves.
      this.child.on("close", (code, signal) => {
        liveGroups.delete(this);
        this.exitCode = code ?? (signal ? -1 : null);
        resolve(this.exitCode);
      });
      this.child.on("error", (error) => {
        this.stderrText += `\n[harness] failed to start ${command}: ${error.message}\n`;
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get stdout(): string {
    return this.stdoutText;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** `undefined` while running; the exit code (or -1 when killed by a signal) afterwards. */
  get exitStatus(): number | null | undefined {
    return this.exitCode;
  }

  /** Resolves with the exit code once the process has exited and its output is drained. */
  waitForExit(): Promise<number | null> {
    return this.exited;
  }

  /**
   * Resolves with the first line the process prints on stdout (without the newline), like the engine's
   * byte-by-byte read of a plugin's port. Rejects if the process exits first or `timeoutMs` passes.
   */
  firstStdoutLine(timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const newline = this.stdoutText.indexOf("\n");
        if (newline < 0) return false;
        finish();
        resolve(this.stdoutText.slice(0, newline).replace(/\r$/, ""));
        return true;
      };
      const onExit = (): void => {
        if (check()) return;
        finish();
        reject(
          new Error(
            `process exited (code ${String(this.exitCode)}) before printing a line${this.describeOutput()}`,
          ),
        );
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no line on stdout within ${timeoutMs} ms${this.describeOutput()}`));
      }, timeoutMs);
      const finish = (): void => {
        clearTimeout(timer);
        this.child.stdout?.off("data", check);
        this.child.off("close", onExit);
      };
      if (check()) return;
      this.child.stdout?.on("data", check);
      this.child.on("close", onExit);
    });
  }

  /** Interrupts the process group, then kills it if it has not exited within `graceMs`. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.exitCode !== undefined || this.child.pid === undefined) return;
    signalGroup(this.child.pid, "SIGTERM");
    const timer = setTimeout(() => signalGroup(this.child.pid as number, "SIGKILL"), graceMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private describeOutput(): string {
    const stderr = this.stderrText.trim();
    const stdout = this.stdoutText.trim();
    return (stdout ? `\nstdout:\n${stdout}` : "") + (stderr ? `\nstderr:\n${stderr}` : "");
  }
}

const liveGroups = new Set<GroupProcess>();

// A safety net for a test run that forgets to close a host: never leave process groups behind.
process.on("exit", () => {
  for (const group of liveGroups) {
    if (group.pid !== undefined) signalGroup(group.pid, "SIGKILL");
  }
});

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}
