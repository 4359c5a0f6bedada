/**
 * Provider host processes, one set per command, as the CLI has them.
 *
 * Every `pulumi` command is a new process with a new plugin host: it spawns the dynamic-provider host
 * for each provider reference it loads (`pkg/host/host.go defaultHost.Provider` starts a new plugin on
 * every call; nothing is cached across commands), and stops them all when it ends. So no module state
 * of the provider (the config it was given, its request limiter, its caches) outlives a command.
 *
 * Within one command, a provider configured with the same inputs is reused: the refresh half of
 * `up --refresh` loads the stored provider, and when the program's default provider turns out unchanged
 * the registry keeps that configured instance (`providers/registry.go Same`: "If this provider is
 * already configured, then we're done").
 *
 * Spawning a host costs about a second of CPU (loading `@pulumi/pulumi`). The harness used to start
 * the next command's host ahead of time; on the busy 2-core machines the suite runs on that saved no
 * time and every engine's last spare was thrown away unused. Measured on the whole suite: 20.5 minutes
 * of CPU with spares, 16.8 without, and 10.6 minutes of wall time against 9.1. So a host starts when
 * its command first needs it.
 */
import type { StackConfig } from "./defaultProvider";
import { HostDriver, type HostOptions } from "./host";

export class HostFactory {
  private readonly started: HostDriver[] = [];
  private closed = false;

  constructor(private readonly options: Omit<HostOptions, "config" | "secretConfigKeys" | "configure">) {}

  /** A fresh host process configured with `stackConfig`, as the engine's `Configure` would. */
  async start(stackConfig: StackConfig): Promise<HostDriver> {
    if (this.closed) throw new Error("the engine is closed");
    const host = await HostDriver.start({ ...this.options, configure: false });
    this.started.push(host);
    try {
      await host.configure(stackConfig.config, stackConfig.secretKeys);
    } catch (error) {
      await host.close();
      throw error;
    }
    return host;
  }

  /** Everything every host of this engine printed, in the order they were started. */
  hostLog(): string {
    return this.started.map((host) => host.hostLog()).join("");
  }

  /** Every host this engine started, oldest first (stopped ones too). */
  hostsStarted(): readonly HostDriver[] {
    return this.started;
  }

  /** Refuses further hosts; each command stops its own hosts when it ends. */
  close(): void {
    this.closed = true;
  }
}

/** The hosts of one command: one per distinct provider config, stopped together when it ends. */
export class CommandHosts {
  private readonly hosts = new Map<string, Promise<HostDriver>>();
  private closed = false;

  constructor(private readonly factory: HostFactory) {}

  /** The host configured with `stackConfig`, started on first use. */
  host(stackConfig: StackConfig): Promise<HostDriver> {
    // A command whose hosts were stopped (it ended, or was killed mid-step) starts no more.
    if (this.closed)
      return Promise.reject(new Error("the command has ended: its provider hosts are stopped"));
    const key = JSON.stringify([
      Object.entries(stackConfig.config).sort(),
      [...stackConfig.secretKeys].sort(),
    ]);
    let host = this.hosts.get(key);
    if (!host) {
      host = this.factory.start(stackConfig);
      this.hosts.set(key, host);
    }
    return host;
  }

  /** Stops every host this command started. */
  async close(): Promise<void> {
    this.closed = true;
    const hosts = [...this.hosts.values()];
    this.hosts.clear();
    await Promise.all(hosts.map((host) => host.then((h) => h.close()).catch(() => undefined)));
  }
}
