import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { requestJson } from "./http";
import { Agent } from "node:http";

/** The first line the emulator CLI prints: its URL and the primary account's ids and tokens. */
export interface EmulatorReady {
  readonly url: string;
  readonly accountId: number;
  readonly adminToken: string;
  readonly inboxId: number;
}

/** One API request as the emulator's request log shows it, with its route (ids replaced by `:id`). */
export interface RecordedRequest {
  readonly method: string;
  readonly route: string;
  readonly status: string;
  /** The fault the emulator injected into this request (`fault=<kind>` in its log line), if any. */
  readonly fault?: string;
}

export interface AccountCounts {
  readonly contacts: number;
  readonly contactInboxes: number;
  readonly conversations: number;
  readonly messages: number;
}

/**
 * The built emulator CLI in a child process, so that neither the load generator nor the engine
 * shares its event loop. Its request log (stderr) is the record of what every client sent.
 */
export class EmulatorProcess {
  private readonly log: RecordedRequest[] = [];
  private flushWaiters: Array<{ count: number; resolve: () => void }> = [];
  /** Inspection calls sent, and their log lines seen: a call's line marks the log as complete up to it. */
  private inspectionsSent = 0;
  private inspections = 0;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 2 });

  private constructor(
    private readonly child: ChildProcess,
    readonly ready: EmulatorReady,
  ) {}

  static async start(repositoryRoot: string): Promise<EmulatorProcess> {
    const cli = join(repositoryRoot, "dist", "emulator", "cli.js");
    const child = spawn(process.execPath, [cli, "--port", "0", "--no-web-view"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const ready = await new Promise<EmulatorReady>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`the emulator exited with ${code} before it was ready`)));
      createInterface({ input: child.stdout! }).once("line", (line) =>
        resolve(JSON.parse(line) as EmulatorReady),
      );
    });
    const emulator = new EmulatorProcess(child, ready);
    createInterface({ input: child.stderr! }).on("line", (line) => emulator.record(line));
    return emulator;
  }

  /**
   * Requests recorded so far; `since(mark)` gives those after a mark. The log arrives on the
   * emulator's stderr, which can trail the answers a client already holds, so the log is brought up
   * to date first: else a request answered just before the mark would count after it.
   */
  async mark(): Promise<number> {
    await this.flush();
    return this.log.length;
  }

  /** The API requests recorded after `mark` (inspection calls left out), once all have been logged. */
  async since(mark: number): Promise<RecordedRequest[]> {
    await this.flush();
    return this.log.slice(mark).filter((entry) => !entry.route.startsWith("/__emulator"));
  }

  /** Adds a fixed delay before every API request is handled (0 removes it). */
  async setLatency(ms: number): Promise<void> {
    // The emulator's `latency` fault, on every request: exactly a fixed added latency.
    const config = ms > 0 ? { probability: 1, mix: { latency: 1 }, latencyMs: ms } : {};
    await this.inspect("PUT", "/__emulator/faults", config);
  }

  /** Any fault configuration (see the emulator's `/__emulator/faults`). */
  async setFaults(config: unknown): Promise<void> {
    await this.inspect("PUT", "/__emulator/faults", config);
  }

  async reset(): Promise<void> {
    await this.inspect("POST", "/__emulator/reset", {});
  }

  async counts(): Promise<AccountCounts> {
    const summary = (await this.inspect("GET", "/__emulator/summary")) as {
      accounts: Array<AccountCounts & { accountId: number }>;
    };
    const account = summary.accounts.find((candidate) => candidate.accountId === this.ready.accountId);
    if (account === undefined) throw new Error("the emulator lost its primary account");
    const { contacts, contactInboxes, conversations, messages } = account;
    return { contacts, contactInboxes, conversations, messages };
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once("exit", () => resolve());
      this.child.kill("SIGTERM");
    });
  }

  /** Resolves once the log holds every request answered so far (an inspection call is the marker). */
  private async flush(): Promise<void> {
    await this.inspect("GET", "/__emulator/faults");
  }

  private record(line: string): void {
    // "<ISO time> <METHOD> <target> <status> <duration>ms [note]"
    const [, method, target, status] = line.split(" ");
    if (method === undefined || target === undefined || status === undefined) return;
    const fault = /\bfault=([\w]+)/.exec(line)?.[1];
    this.log.push({
      method,
      route: routeOf(target.split("?")[0] ?? ""),
      status,
      ...(fault === undefined ? {} : { fault }),
    });
    if (target.startsWith("/__emulator")) {
      this.inspections += 1;
      this.flushWaiters = this.flushWaiters.filter((waiter) => {
        if (this.inspections < waiter.count) return true;
        waiter.resolve();
        return false;
      });
    }
  }

  private async inspect(method: string, path: string, body?: unknown): Promise<unknown> {
    this.inspectionsSent += 1;
    const logged = new Promise<void>((resolve) =>
      this.flushWaiters.push({ count: this.inspectionsSent, resolve }),
    );
    const answer = await requestJson(
      this.agent,
      `${this.ready.url}${path}`,
      this.ready.adminToken,
      method,
      body,
    );
    await logged;
    return answer;
  }
}

/** `/api/v1/accounts/1/contacts/17/labels` → `contacts/:id/labels`. */
export function routeOf(path: string): string {
  const account = /^\/api\/v1\/accounts\/\d+\/?(.*)$/.exec(path);
  if (account === null) return path;
  return (account[1] ?? "").replace(/(^|\/)\d+(?=\/|$)/g, "$1:id");
}
