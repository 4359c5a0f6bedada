import * as fs from "node:fs";
import * as path from "node:path";
import { Engine } from "../../harness/engine";
import type { RegisterArgs } from "../../harness/engine";
import { secret, type PropertyMap } from "../../harness/wire";
import type { ResourceKind } from "../../provider/dynamic/kinds";
import type { DeploymentDocument } from "../../harness/checkpoint";
import {
  startEmulator,
  type EmulatorOptions,
  type EmulatorSnapshot,
  type RunningEmulator,
} from "../../emulator";

/** Tokens that must never show up in a state, an output, an error or a log. */
export const ADMIN_TOKEN = "sentinel-admin-token-7c41d9e2";
export const AGENT_TOKEN = "sentinel-agent-token-3b8fa605";

export const REPOSITORY_ROOT = path.join(__dirname, "..", "..");

/** The exact `__provider` text each resource class sends (pinned by serialized-provider.test.ts). */
export function providerText(kind: ResourceKind): string {
  return fs.readFileSync(path.join(REPOSITORY_ROOT, "test", "golden", `provider-${kind}.js`), "utf8");
}

/** One emulator request as the request log shows it. */
export interface LoggedRequest {
  /** When the emulator logged it, after answering (milliseconds since the epoch). */
  readonly at: number;
  /**
   * When it reached the emulator: the log time less the duration the line reports. This is the
   * moment Chatwoot's rate limiter counts a request.
   */
  readonly arrivedAt: number;
  readonly method: string;
  readonly path: string;
  readonly status: string;
}

/**
 * The Chatwoot release the lifecycle tier runs against: `CHATWOOT_EMULATOR_VERSION` (npm test runs
 * the tier once on the newest release and again on the oldest), else the emulator's default.
 */
export function lifecycleRelease(): string | undefined {
  const version = process.env.CHATWOOT_EMULATOR_VERSION?.trim();
  return version === undefined || version === "" ? undefined : version;
}

export interface StackOptions {
  /** Which of the emulator's users the provider acts as. @default "admin" */
  readonly as?: "admin" | "agent";
  /** Extra or overriding stack config (namespaced keys). */
  readonly config?: Record<string, string>;
  readonly emulator?: EmulatorOptions;
}

/**
 * The emulator plus an engine whose provider host runs this repository's installed package
 * (`pulumi-chatwoot/dynamic` resolves to `dist/`), configured the way a user configures a stack:
 * `chatwoot:*` stack config with the token as a secret.
 */
export class ChatwootStack {
  /** What `startFrom` recorded, by key. */
  private readonly startingPoints = new Map<
    string,
    { emulator: EmulatorSnapshot; state: DeploymentDocument; result: unknown }
  >();

  private constructor(
    readonly emulator: RunningEmulator,
    readonly engine: Engine,
    /** Every request the emulator answered, in order. */
    readonly requests: LoggedRequest[],
  ) {}

  static async start(options: StackOptions = {}): Promise<ChatwootStack> {
    const requests: LoggedRequest[] = [];
    const release = lifecycleRelease();
    const emulator = await startEmulator({
      ...(release === undefined ? {} : { chatwootVersion: release }),
      adminToken: ADMIN_TOKEN,
      agentToken: AGENT_TOKEN,
      log: (line: string) => {
        const [time, method, target, status, duration] = line.split(" ");
        const at = Date.parse(time ?? "");
        requests.push({
          at,
          arrivedAt: at - Number.parseFloat(duration ?? ""),
          method: method ?? "",
          path: (target ?? "").split("?")[0] ?? "",
          status: status ?? "",
        });
      },
      ...options.emulator,
    });
    const token = options.as === "agent" ? AGENT_TOKEN : ADMIN_TOKEN;
    const engine = await Engine.start({
      projectDir: REPOSITORY_ROOT,
      config: {
        "chatwoot:url": emulator.url,
        "chatwoot:accountId": String(emulator.accountId),
        "chatwoot:apiAccessToken": token,
        // Fast retries keep fault tests quick; the behaviour is the same as with the defaults.
        "chatwoot:retryBaseDelayMs": "5",
        "chatwoot:requestTimeoutMs": "5000",
        "chatwoot:requestsPerMinute": "100000",
        // The emulator's injected 429s stand for a full rate-limit window; a short window keeps
        // waiting them out quick (test/provider/client.test.ts covers Chatwoot's one minute).
        "chatwoot:rateLimitWindowMs": "50",
        ...options.config,
      },
      secretConfigKeys: ["chatwoot:apiAccessToken"],
      // A guard against a hung test, well above any operation (the rate-limit test waits a minute).
      callDeadlineMs: 180_000,
    });
    return new ChatwootStack(emulator, engine, requests);
  }

  /** Empties Chatwoot, the stack's state and the request log, and removes every fault. */
  reset(): void {
    this.emulator.reset();
    this.emulator.clearFaults();
    this.engine.resetState([]);
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    await this.engine.close();
    await this.emulator.close();
  }

  /**
   * Starts a test from the point `make` leaves Chatwoot and the stack at. The first test that asks
   * runs `make` (an `up` that creates what the test goes on to change); later tests get Chatwoot's
   * data and the stack's state put back as `make` left them (an emulator snapshot, and the state
   * through `pulumi stack export`/`import`), and `make`'s result, without paying for its
   * commands again. Either way the request log starts empty afterwards. Call it after `reset()` and
   * before setting any fault: a starting point is made without faults.
   */
  async startFrom<T>(key: string, make: () => Promise<T>): Promise<T> {
    const faults = this.emulator.faults();
    if ((faults.rules?.length ?? 0) > 0 || (faults.probability ?? 0) > 0) {
      throw new Error("startFrom: a starting point is made without faults; set them after it");
    }
    const recorded = this.startingPoints.get(key);
    if (recorded !== undefined) {
      this.emulator.restore(recorded.emulator);
      this.engine.importState(recorded.state);
      this.requests.length = 0;
      return structuredClone(recorded.result) as T;
    }
    const result = await make();
    this.startingPoints.set(key, {
      emulator: this.emulator.snapshot(),
      state: this.engine.exportState({ showSecrets: true }),
      result: structuredClone(result),
    });
    this.requests.length = 0;
    return result;
  }

  /** Counts in the primary account. */
  counts() {
    const summary = this.emulator.summary().find((account) => account.accountId === this.emulator.accountId);
    if (summary === undefined) throw new Error("the emulator lost its primary account");
    return summary;
  }

  /** A call to Chatwoot's API as an administrator, for setting up and inspecting beside the provider. */
  async api<T = unknown>(method: string, route: string, body?: unknown, token = ADMIN_TOKEN): Promise<T> {
    const url = route.startsWith("/api/") ? route : `/api/v1/accounts/${this.emulator.accountId}/${route}`;
    const response = await fetch(`${this.emulator.url}${url}`, {
      method,
      headers: { api_access_token: token, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  /**
   * Everything that could leak the token: the state as a checkpoint stores it, the host's log. The
   * engine records the stack config in the default provider's inputs, the token there as a secret
   * (encrypted in a real checkpoint), so only the encrypted form can be token-free.
   */
  leakSurfaces(): string[] {
    return [this.engine.stateJson(), this.engine.hostLog()];
  }
}

/** A registration of one of this package's resources, as the SDK would send it. */
export function declare(
  kind: ResourceKind,
  name: string,
  inputs: PropertyMap,
  options: Omit<RegisterArgs, "type" | "name" | "inputs"> = {},
): RegisterArgs {
  return {
    type: `pulumi-nodejs:dynamic/chatwoot:${kind}`,
    name,
    inputs: { ...inputs, __provider: providerText(kind) },
    ...options,
  };
}

export { secret };
