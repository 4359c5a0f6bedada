/**
 * `HostDriver`: the real Node.js dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`), spawned
 * and driven over gRPC the way the engine drives `pulumi-resource-pulumi-nodejs`
 * (`sdk/go/common/resource/plugin/provider_plugin.go`, `plugin.go`, `pkg/host/host.go`):
 *
 * 1. `node <sdk>/cmd/dynamic-provider/index.js <engine address>` with cwd = the project directory, the
 *    caller's environment plus `PULUMI_NODEJS_PROJECT`, `PULUMI_PROJECT` and `PULUMI_CONFIG`, in its own
 *    process group;
 * 2. read the port from the first stdout line; later output is the host's log (the engine's diagnostics);
 * 3. `Handshake` (the host answers UNIMPLEMENTED, so the engine takes the legacy path), `GetPluginInfo`,
 *    then `Configure` with the full namespaced stack config, secrets wrapped.
 *
 * The CRUD methods are raw: they send exactly what they are given (no secret stripping, no engine rules;
 * that is `Engine`'s job) and return plain objects.
 */
import { randomBytes, randomUUID } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { CallOptions, Metadata, ServiceError } from "@grpc/grpc-js";
import type * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import type * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { COMPILE_CACHE_ENV } from "./compileCache";
import { GroupProcess } from "./processGroup";
import { loadPulumiSdk, type PulumiSdk } from "./pulumiSdk";
import { HostCallError, toHostCallError } from "./hostErrors";
import { parseUrn } from "./urn";
import { secret, stripSecrets, type PropertyMap, type PropertyValue } from "./wire";

export interface HostOptions {
  /** The project directory: the host's cwd, and where `@pulumi/pulumi` is resolved from. */
  readonly projectDir: string;
  /** @default "p" */
  readonly project?: string;
  /** @default "dev" */
  readonly stack?: string;
  /** Stack config with namespaced keys, e.g. `{"chatwoot:url": "…"}`. */
  readonly config?: Readonly<Record<string, string>>;
  /** Config keys whose values are secret (`pulumi config set --secret`). */
  readonly secretConfigKeys?: readonly string[];
  /** Extra environment variables for the host, on top of this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** Send `Configure` during start, as the engine always does. @default true */
  readonly configure?: boolean;
  /** How long the host may take to print its port. @default 30000 */
  readonly startTimeoutMs?: number;
  /** Default gRPC deadline for every call; none when unset. */
  readonly callDeadlineMs?: number;
  /**
   * Start the host with the harness's preload (`hostPreload.ts`: a compile cache, and the libraries
   * a host never uses loaded on first use), which makes it start faster and lighter than the CLI's.
   * Off, it starts exactly as the CLI starts it: what a benchmark of startup or memory needs.
   * @default true
   */
  readonly preload?: boolean;
}

export interface CallOverrides {
  /** gRPC deadline for this call, in milliseconds. */
  readonly deadlineMs?: number;
}

/** What the host answered to `Configure` (the engine's `pluginProtocol`). */
export interface HostProtocol {
  readonly acceptSecrets: boolean;
  readonly supportsPreview: boolean;
  readonly acceptResources: boolean;
  readonly acceptOutputs: boolean;
}

export interface CheckCall {
  readonly urn: string;
  readonly olds: PropertyMap;
  readonly news: PropertyMap;
  readonly randomSeed?: Uint8Array;
}
export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}
export interface CheckResult {
  /** The checked inputs; `undefined` if the host sent none. */
  readonly inputs: PropertyMap | undefined;
  readonly failures: readonly CheckFailure[];
}

export interface DiffCall {
  readonly id: string;
  readonly urn: string;
  /** Old OUTPUTS (the engine's `olds` field). */
  readonly olds: PropertyMap;
  /** New (checked) inputs. */
  readonly news: PropertyMap;
  readonly oldInputs: PropertyMap;
  readonly ignoreChanges?: readonly string[];
}
export type DiffChanges = "unknown" | "none" | "some";
export interface DiffResult {
  readonly changes: DiffChanges;
  readonly replaces: readonly string[];
  readonly stables: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly diffs: readonly string[];
  readonly hasDetailedDiff: boolean;
}

export interface CreateCall {
  readonly urn: string;
  readonly properties: PropertyMap;
  /** Seconds (the engine's `CustomTimeouts.Create`); 0 = none. */
  readonly timeout?: number;
  readonly preview?: boolean;
}
export interface CreateResult {
  readonly id: string;
  readonly properties: PropertyMap;
}

export interface ReadCall {
  readonly id: string;
  readonly urn: string;
  /** The resource's state (old outputs). */
  readonly properties: PropertyMap;
  /** The resource's old inputs. */
  readonly inputs?: PropertyMap;
  readonly timeout?: number;
}
export interface ReadResult {
  /** Empty when the resource no longer exists. */
  readonly id: string;
  readonly properties: PropertyMap;
  /** Present when the provider returned `inputs` (SDK ≥ 3.216). */
  readonly inputs?: PropertyMap;
}

export interface UpdateCall {
  readonly id: string;
  readonly urn: string;
  /** Old OUTPUTS. */
  readonly olds: PropertyMap;
  readonly news: PropertyMap;
  readonly oldInputs: PropertyMap;
  readonly timeout?: number;
  readonly preview?: boolean;
  readonly ignoreChanges?: readonly string[];
}
export interface UpdateResult {
  readonly properties: PropertyMap;
}

export interface DeleteCall {
  readonly id: string;
  readonly urn: string;
  /** Old OUTPUTS. */
  readonly properties: PropertyMap;
  readonly oldInputs?: PropertyMap;
  readonly timeout?: number;
}

type Callback<Response> = (error: ServiceError | null, response?: Response) => void;

const engineAddressPlaceholder = "127.0.0.1:1";
const dynamicProviderType = "pulumi:providers:pulumi-nodejs";

/**
 * What each host preloads (`hostPreload.ts`, as built into `dist/`: the compile cache and the
 * deferral of the libraries a host never uses), and where the cache keeps its data; `undefined`
 * before the first build, when hosts start exactly as the CLI starts them. Looked up once per
 * process, not at every host start.
 */
const hostPreload: { preload: string; directory: string } | undefined = (() => {
  const candidates = [
    path.join(__dirname, "hostPreload.js"),
    path.join(__dirname, "..", "dist", "harness", "hostPreload.js"),
  ];
  const preload = candidates.find((candidate) => fs.existsSync(candidate));
  if (preload === undefined) return undefined;
  return {
    preload,
    directory: path.join(os.tmpdir(), "pulumi-chatwoot-host-compile-cache", process.version),
  };
})();

export class HostDriver {
  /** What the host answered to `Configure`; until then the engine's defaults for a legacy plugin. */
  protocol: HostProtocol = {
    acceptSecrets: false,
    supportsPreview: false,
    acceptResources: false,
    acceptOutputs: false,
  };
  /** The SDK version the host reported through `GetPluginInfo`. */
  pluginVersion = "";
  /** gRPC status of the `Handshake` call: 12 (UNIMPLEMENTED) for every known Node.js host. */
  handshakeCode: number | undefined;
  /** Milliseconds from spawn until the host was ready (port read, channel connected). */
  readonly startupMs: number;

  private constructor(
    readonly sdk: PulumiSdk,
    private readonly process: GroupProcess,
    private readonly client: providerGrpc.ResourceProviderClient,
    private readonly portLine: string,
    private readonly options: HostOptions,
    startupMs: number,
  ) {
    this.startupMs = startupMs;
  }

  /** Spawns the host and connects; also handshakes and configures unless `configure: false`. */
  static async start(options: HostOptions): Promise<HostDriver> {
    const sdk = loadPulumiSdk(options.projectDir);
    const project = options.project ?? "p";
    const startedAt = Date.now();
    const preload = options.preload === false ? undefined : hostPreload;
    const hostProcess = new GroupProcess(
      process.execPath,
      [
        ...(preload === undefined ? [] : ["--require", preload.preload]),
        sdk.dynamicProviderHostScript,
        engineAddressPlaceholder,
      ],
      {
        cwd: options.projectDir,
        env: {
          ...process.env,
          ...options.env,
          ...(preload === undefined ? {} : { [COMPILE_CACHE_ENV]: preload.directory }),
          PULUMI_NODEJS_PROJECT: project,
          PULUMI_PROJECT: project,
          PULUMI_CONFIG: JSON.stringify(nodejsNamespaceConfig(options.config ?? {})),
        },
      },
    );
    let client: providerGrpc.ResourceProviderClient | undefined;
    try {
      const portLine = await hostProcess.firstStdoutLine(options.startTimeoutMs ?? 30_000);
      const port = Number.parseInt(portLine, 10);
      if (!Number.isInteger(port)) throw new Error(`the host printed "${portLine}" instead of a port`);
      client = new sdk.providerGrpc.ResourceProviderClient(
        `127.0.0.1:${port}`,
        sdk.grpc.credentials.createInsecure(),
      );
      await waitForReady(client, options.startTimeoutMs ?? 30_000);
      const host = new HostDriver(sdk, hostProcess, client, portLine, options, Date.now() - startedAt);
      await host.handshake();
      await host.getPluginInfo();
      if (options.configure !== false)
        await host.configure(options.config ?? {}, options.secretConfigKeys ?? []);
      return host;
    } catch (error) {
      client?.close();
      await hostProcess.stop();
      throw error;
    }
  }

  /** The host's process id (it leads its own process group). */
  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Whether the host process has exited. */
  get exited(): boolean {
    return this.process.exitStatus !== undefined;
  }

  /** Everything the host printed after its port line: provider `console.log`s, stack traces. */
  hostLog(): string {
    const stdout = this.process.stdout;
    const afterPort = stdout.startsWith(`${this.portLine}\n`)
      ? stdout.slice(this.portLine.length + 1)
      : stdout;
    return afterPort + this.process.stderr;
  }

  /**
   * Sends `Configure` as the engine does for the default `pulumi-nodejs` provider: `args` = the whole
   * namespaced stack config with secret values wrapped (`target.go GetPackageConfig`), `variables` =
   * `pulumi-nodejs:config:<key>` → plain string, and the engine's capability flags.
   */
  async configure(
    config: Readonly<Record<string, string>>,
    secretKeys: readonly string[] = [],
  ): Promise<HostProtocol> {
    const { provider, struct } = this.sdk;
    const args: PropertyMap = {};
    for (const [key, value] of Object.entries(config))
      args[key] = secretKeys.includes(key) ? secret(value) : value;

    const request = new provider.ConfigureRequest();
    request.setArgs(struct.Struct.fromJavaScript(args));
    const variables = request.getVariablesMap();
    for (const [key, value] of Object.entries(args)) {
      if (key === "version") continue;
      const plain = stripSecrets(value);
      variables.set(`pulumi-nodejs:config:${key}`, typeof plain === "string" ? plain : JSON.stringify(plain));
    }
    request.setAcceptsecrets(true);
    request.setAcceptresources(true);
    request.setSendsOldInputs(true);
    request.setSendsOldInputsToDelete(true);
    request.setType(dynamicProviderType);
    request.setName("default");
    request.setUrn(`urn:pulumi:${this.stack}::${this.project}::${dynamicProviderType}::default`);
    request.setId(randomUUID());

    const response = await this.call<providerProto.ConfigureResponse>(
      "Configure",
      undefined,
      (metadata, options, callback) => this.client.configure(request, metadata, options, callback),
    );
    this.protocol = {
      acceptSecrets: response.getAcceptsecrets(),
      supportsPreview: response.getSupportspreview(),
      acceptResources: response.getAcceptresources(),
      acceptOutputs: response.getAcceptoutputs(),
    };
    return this.protocol;
  }

  async check(call: CheckCall, overrides?: CallOverrides): Promise<CheckResult> {
    const { provider, struct } = this.sdk;
    const { name, type } = parseUrn(call.urn);
    const request = new provider.CheckRequest();
    request.setUrn(call.urn);
    request.setName(name);
    request.setType(type);
    request.setOlds(struct.Struct.fromJavaScript(call.olds));
    request.setNews(struct.Struct.fromJavaScript(call.news));
    // The engine sends 32 random bytes per registration (for providers that generate names).
    request.setRandomseed(call.randomSeed ?? randomBytes(32));
    const response = await this.call<providerProto.CheckResponse>(
      "Check",
      overrides,
      (metadata, options, callback) => this.client.check(request, metadata, options, callback),
    );
    return {
      inputs: response.getInputs()?.toJavaScript() as PropertyMap | undefined,
      failures: response.getFailuresList().map((failure) => ({
        property: failure.getProperty(),
        reason: failure.getReason(),
      })),
    };
  }

  async diff(call: DiffCall, overrides?: CallOverrides): Promise<DiffResult> {
    const { provider, struct } = this.sdk;
    const { name, type } = parseUrn(call.urn);
    const request = new provider.DiffRequest();
    request.setId(call.id);
    request.setUrn(call.urn);
    request.setName(name);
    request.setType(type);
    request.setOlds(struct.Struct.fromJavaScript(call.olds));
    request.setNews(struct.Struct.fromJavaScript(call.news));
    request.setOldInputs(struct.Struct.fromJavaScript(call.oldInputs));
    request.setIgnorechangesList([...(call.ignoreChanges ?? [])]);
    const response = await this.call<providerProto.DiffResponse>(
      "Diff",
      overrides,
      (metadata, options, callback) => this.client.diff(request, metadata, options, callback),
    );
    const changes = response.getChanges();
    const { DiffChanges } = provider.DiffResponse;
    return {
      changes:
        changes === DiffChanges.DIFF_SOME ? "some" : changes === DiffChanges.DIFF_NONE ? "none" : "unknown",
      replaces: response.getReplacesList(),
      stables: response.getStablesList(),
      deleteBeforeReplace: response.getDeletebeforereplace(),
      diffs: response.getDiffsList(),
      hasDetailedDiff: response.getHasdetaileddiff(),
    };
  }

  /** Rejects with a {@link HostCallError}; its `initFailure` is set for a partially created resource. */
  async create(call: CreateCall, overrides?: CallOverrides): Promise<CreateResult> {
    const { provider, struct } = this.sdk;
    const { name, type } = parseUrn(call.urn);
    const request = new provider.CreateRequest();
    request.setUrn(call.urn);
    request.setName(name);
    request.setType(type);
    request.setProperties(struct.Struct.fromJavaScript(call.properties));
    request.setTimeout(call.timeout ?? 0);
    request.setPreview(call.preview ?? false);
    const response = await this.call<providerProto.CreateResponse>(
      "Create",
      overrides,
      (metadata, options, callback) => this.client.create(request, metadata, options, callback),
    );
    return { id: response.getId(), properties: toPropertyMap(response.getProperties()) };
  }

  async read(call: ReadCall, overrides?: CallOverrides): Promise<ReadResult> {
    const { provider, struct } = this.sdk;
    const { name, type } = parseUrn(call.urn);
    const request = new provider.ReadRequest();
    request.setId(call.id);
    request.setUrn(call.urn);
    request.setName(name);
    request.setType(type);
    request.setProperties(struct.Struct.fromJavaScript(call.properties));
    if (call.inputs) request.setInputs(struct.Struct.fromJavaScript(call.inputs));
    request.setTimeout(call.timeout ?? 0);
    const response = await this.call<providerProto.ReadResponse>(
      "Read",
      overrides,
      (metadata, options, callback) => this.client.read(request, metadata, options, callback),
    );
    const inputs = response.getInputs();
    return {
      id: response.getId() ?? "",
      properties: toPropertyMap(response.getProperties()),
      ...(inputs ? { inputs: toPropertyMap(inputs) } : {}),
    };
  }

  /** Rejects with a {@link HostCallError}; its `initFailure` is set for a partially updated resource. */
  async update(call: UpdateCall, overrides?: CallOverrides): Promise<UpdateResult> {
    const { provider, struct } = this.sdk;
    const { name, type } = parseUrn(call.urn);
    const request = new provider.UpdateRequest();
    request.setId(call.id);
    request.setUrn(call.urn);
    request.setName(name);
    request.setType(type);
    request.setOlds(struct.Struct.fromJavaScript(call.olds));
    request.setNews(struct.Struct.fromJavaScript(call.news));
    request.setOldInputs(struct.Struct.fromJavaScript(call.oldInputs));
    request.setTimeout(call.timeout ?? 0);
    request.setPreview(call.preview ?? false);
    request.setIgnorechangesList([...(call.ignoreChanges ?? [])]);
    const response = await this.call<providerProto.UpdateResponse>(
      "Update",
      overrides,
      (metadata, options, callback) => this.client.update(request, metadata, options, callback),
    );
    return { properties: toPropertyMap(response.getProperties()) };
  }

  async delete(call: DeleteCall, overrides?: CallOverrides): Promise<void> {
    const { provider, struct } = this.sdk;
    const { name, type } = parseUrn(call.urn);
    const request = new provider.DeleteRequest();
    request.setId(call.id);
    request.setUrn(call.urn);
    request.setName(name);
    request.setType(type);
    request.setProperties(struct.Struct.fromJavaScript(call.properties));
    request.setOldInputs(struct.Struct.fromJavaScript(call.oldInputs ?? {}));
    request.setTimeout(call.timeout ?? 0);
    await this.call("Delete", overrides, (metadata, options, callback) =>
      this.client.delete(request, metadata, options, callback),
    );
  }

  /** Closes the channel and stops the host's process group (SIGTERM, then SIGKILL). */
  async close(): Promise<void> {
    this.peakResidentBytes ??= this.readPeakResidentBytes();
    this.client.close();
    await this.process.stop();
  }

  /**
   * The host's peak resident memory (Linux `VmHWM`), read as it is stopped; `undefined` while it
   * runs, or where `/proc` does not say.
   */
  peakResidentBytes: number | undefined;

  private readPeakResidentBytes(): number | undefined {
    if (this.process.pid === undefined || this.exited) return undefined;
    try {
      const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${this.process.pid}/status`, "utf8"));
      return match ? Number(match[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  private get project(): string {
    return this.options.project ?? "p";
  }

  private get stack(): string {
    return this.options.stack ?? "dev";
  }

  private async handshake(): Promise<void> {
    const { provider } = this.sdk;
    const request = new provider.ProviderHandshakeRequest();
    request.setEngineAddress(engineAddressPlaceholder);
    request.setRootDirectory(this.options.projectDir);
    request.setProgramDirectory(this.options.projectDir);
    request.setConfigureWithUrn(true);
    request.setSupportsViews(true);
    request.setSupportsRefreshBeforeUpdate(true);
    request.setInvokeWithPreview(true);
    try {
      const response = await this.call<providerProto.ProviderHandshakeResponse>(
        "Handshake",
        undefined,
        (metadata, options, callback) => this.client.handshake(request, metadata, options, callback),
      );
      this.handshakeCode = this.sdk.grpc.status.OK;
      // A host that handshakes fixes its protocol here, as the engine's `handshake()` does.
      this.protocol = {
        acceptSecrets: response.getAcceptSecrets(),
        supportsPreview: false,
        acceptResources: response.getAcceptResources(),
        acceptOutputs: response.getAcceptOutputs(),
      };
    } catch (error) {
      if (!(error instanceof HostCallError) || error.code !== this.sdk.grpc.status.UNIMPLEMENTED) throw error;
      this.handshakeCode = error.code;
    }
  }

  private async getPluginInfo(): Promise<void> {
    const response = await this.call<{ getVersion(): string }>(
      "GetPluginInfo",
      undefined,
      (metadata, options, callback) =>
        this.client.getPluginInfo(new this.sdk.empty.Empty(), metadata, options, callback),
    );
    this.pluginVersion = response.getVersion();
  }

  private call<Response>(
    method: string,
    overrides: CallOverrides | undefined,
    invoke: (metadata: Metadata, options: Partial<CallOptions>, callback: Callback<Response>) => void,
  ): Promise<Response> {
    const deadlineMs = overrides?.deadlineMs ?? this.options.callDeadlineMs;
    const options: Partial<CallOptions> =
      deadlineMs === undefined ? {} : { deadline: Date.now() + deadlineMs };
    return new Promise((resolve, reject) => {
      invoke(new this.sdk.grpc.Metadata(), options, (error, response) => {
        if (error) reject(toHostCallError(this.sdk, method, error));
        else if (response === undefined) reject(new HostCallError(method, -1, "empty response"));
        else resolve(response);
      });
    });
  }
}

function toPropertyMap(struct: { toJavaScript(): Record<string, unknown> } | undefined): PropertyMap {
  return (struct?.toJavaScript() ?? {}) as PropertyMap;
}

function waitForReady(client: providerGrpc.ResourceProviderClient, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) =>
    client.waitForReady(Date.now() + timeoutMs, (error) => (error ? reject(error) : resolve())),
  );
}

/**
 * `PULUMI_CONFIG` for the host: only config in the `pulumi-nodejs` namespace, prefix removed
 * (`pkg/host/host.go`; test `TestPulumiConfig`). Usually `{}`.
 */
function nodejsNamespaceConfig(config: Readonly<Record<string, string>>): Record<string, PropertyValue> {
  const prefix = "pulumi-nodejs:";
  return Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
}
