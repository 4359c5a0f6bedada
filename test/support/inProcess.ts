import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";
import { stackConfigFrom } from "../../provider/config/settings";
import { setStackConfig } from "../../provider/dynamic/context";
import type { Implementation } from "../../provider/dynamic/implementation";
import { ADMIN_TOKEN, AGENT_TOKEN, type LoggedRequest } from "./stack";

/**
 * The provider's resource implementations called in this process, as the host calls them
 * (`check` first, then the operation), against an emulator: fast, and loading the TypeScript
 * sources, so the mutation run sees these tests. The engine's own rules are the lifecycle tier's.
 */
export class InProcessProvider {
  private constructor(
    readonly emulator: RunningEmulator,
    /** Every request the emulator answered, in order. */
    readonly requests: LoggedRequest[],
  ) {}

  static async start(
    options: { config?: Record<string, string>; emulator?: EmulatorOptions } = {},
  ): Promise<InProcessProvider> {
    const requests: LoggedRequest[] = [];
    const emulator = await startEmulator({
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
    const provider = new InProcessProvider(emulator, requests);
    provider.configure(options.config);
    return provider;
  }

  /** Sets the stack config the way `configure()` does (the same process-wide state). */
  configure(config: Record<string, string> = {}): void {
    const values: Record<string, string> = {
      "chatwoot:url": this.emulator.url,
      "chatwoot:accountId": String(this.emulator.accountId),
      "chatwoot:apiAccessToken": ADMIN_TOKEN,
      "chatwoot:retryBaseDelayMs": "5",
      "chatwoot:rateLimitWindowMs": "50",
      "chatwoot:requestsPerMinute": "100000",
      ...config,
    };
    setStackConfig(stackConfigFrom({ get: (key) => values[key] }));
  }

  /** `check`, failing on any check failure, then `create`. */
  async create(
    implementation: Implementation,
    raw: Record<string, unknown>,
  ): Promise<{ id: string; outs: Record<string, unknown> }> {
    const inputs = await checked(implementation, raw);
    const result = await implementation.create(inputs);
    return { id: result.id, outs: result.outs ?? {} };
  }

  /** `check` and `update` from a resource's recorded outputs, as the engine does after a diff. */
  async update(
    implementation: Implementation,
    id: string,
    olds: Record<string, unknown>,
    raw: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const inputs = await checked(implementation, raw);
    return (await implementation.update(id, olds, inputs)).outs ?? {};
  }

  /** A call to Chatwoot's API as an administrator. */
  async api<T = unknown>(method: string, route: string, body?: unknown): Promise<T> {
    const url = route.startsWith("/api/") ? route : `/api/v1/accounts/${this.emulator.accountId}/${route}`;
    const response = await fetch(`${this.emulator.url}${url}`, {
      method,
      headers: { api_access_token: ADMIN_TOKEN, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
    return (text === "" ? undefined : JSON.parse(text)) as T;
  }

  /** Empties Chatwoot and the request log, removes every fault and restores the default config. */
  reset(): void {
    this.emulator.reset();
    this.emulator.clearFaults();
    this.requests.length = 0;
    this.configure();
  }

  async close(): Promise<void> {
    setStackConfig({});
    await this.emulator.close();
  }
}

export async function checked(
  implementation: Implementation,
  raw: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = await implementation.check({}, raw);
  if (result.failures && result.failures.length > 0) {
    throw new Error(`check failed: ${result.failures.map((f) => f.reason).join("; ")}`);
  }
  return (result.inputs ?? {}) as Record<string, unknown>;
}
