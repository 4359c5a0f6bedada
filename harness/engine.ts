/**
 * `Engine`: an emulation of the Pulumi engine's deployment rules, driving the REAL dynamic-provider host
 * (see `host.ts`) and keeping the stack state in memory.
 *
 * Rules reproduced (from `pkg/resource/deploy/step_generator.go`, `step.go`, `step_executor.go`,
 * `deployment_executor.go`, `pkg/engine/update.go`, `pkg/backend/snapshot.go` and
 * `sdk/go/common/resource/plugin/provider_plugin.go`):
 * - Check(olds = {} for a create, old INPUTS otherwise; news = program inputs); failures are errors
 *   "… property <p> value {…} has a problem: <reason>" and fail the deployment.
 * - Diff(olds = old OUTPUTS, news = checked inputs, old_inputs); DIFF_UNKNOWN → the engine compares old and
 *   new inputs itself, secrets unwrapped, `__provider` included.
 * - DIFF_NONE → same (new inputs, old outputs, so the old `__provider` stays in the outputs); DIFF_SOME →
 *   Update(olds = old outputs); replaces → Check again without olds, then create-replacement + replace, and
 *   delete-replaced after the program ends, or (deleteBeforeReplace, from the option or the provider)
 *   delete-replaced, replace, create-replacement in one chain.
 * - A delete-before-replace first deletes the dependents it would orphan (`calculateDependentReplacements`,
 *   `dependentReplacements.ts`): each is diffed with its inputs from the condemned resources unknown (in
 *   a real update too), and those answering "replace" are deleted, dependents of dependents first; when
 *   the program registers them again they are re-created (Check without olds, no Diff).
 * - A resource with init errors is updated even when Diff reports no changes.
 * - Create errors carrying ErrorResourceInitFailed keep the resource in state with its id, outputs and
 *   init errors; a partially failed update keeps the old inputs with the new outputs; plain errors change
 *   nothing.
 * - Secrets are stripped from every payload (the host answers `acceptSecrets: false`), outputs and checked
 *   inputs are re-marked by name (`annotateSecrets`), then `additionalSecretOutputs` and secret top-level
 *   inputs mark outputs secret.
 * - Preview: Check and Diff see unknowns; Create/Update are not sent (the inputs stand in for the state);
 *   nothing is deleted or stored.
 * - Check/Diff run one registration at a time (the step generator is an event loop; no parallel diff);
 *   steps run concurrently up to `parallel` (default 4 × CPUs, as the CLI's `--parallel`).
 * - Fail-fast: the first error stops new steps (in-flight ones finish) and skips the deletes;
 *   `continueOnError` keeps going and skips only dependents (`--continue-on-error`).
 * - Resources not registered by the program are deleted after it ends, dependents first, in antichains.
 * - Refresh: Read(id, inputs = old inputs, state = old outputs); an empty id removes the resource;
 *   returned inputs replace the stored ones; changes are judged by an inverted Diff. A failed read in
 *   `up --refresh` stops the update before the program runs (`deployment_executor.go Execute`).
 * - The default provider `pulumi:providers:pulumi-nodejs::default` is a resource of the state whose inputs
 *   are the whole stack config (`defaultProvider.ts`); every custom resource refers to it. `up` and
 *   `preview` configure the provider from the current stack config; `refresh`, `destroy` and the refresh
 *   half of `up --refresh` from the config stored in that resource — unless `refresh`/`destroy` run the
 *   program (`--run-program`, `programModes.ts`), which registers it from the current config.
 * - Every operation starts its own host processes (`providerHosts.ts`), as every CLI command does.
 * - The state can be exported as, and imported from, a `pulumi stack export` document (`checkpoint.ts`).
 * - Pending operations (`pkg/backend/snapshot.go`): every create, update and delete is pending from its
 *   `BeginMutation` until its step ends, successfully or not; the checkpoint keeps one only when the
 *   command dies in between (`UpOptions.interrupt`). Every new snapshot keeps the previous pending CREATE
 *   operations and drops the others. An update or destroy, unless a preview or refreshing first, warns of
 *   them (`deployment_executor.go printPendingOperationsWarning`); `refresh({ clearPendingCreates })` is
 *   `pulumi refresh --clear-pending-creates`.
 *
 * Fidelity limits — this is NOT the engine:
 * - `up` is `pulumi up --skip-preview`; call `preview` first to get the CLI's default double pass.
 * - No aliases, no `import`/`get` reads, no `replaceOnChanges`
 *   (the Node.js host sends no detailed diff anyway), no `deletedWith`/`replaceWith`, no resource hooks,
 *   no transforms, no `--target`; `ignoreChanges` takes top-level keys only, and the state does not keep
 *   it, so a dependent diffed for a delete-before-replace gets none.
 * - Secrets are not encrypted in memory; `stateJson()` encrypts them as a checkpoint would.
 * - The value shown in check-failure messages approximates Go's rendering.
 * - `interrupt` kills the command at one exact point (right after the named resource's provider call
 *   returned) and keeps the checkpoint as the snapshot manager wrote it at that moment. A pending
 *   operation's resource is recorded as `BeginMutation` wrote it (no id, no outputs for a create or an
 *   update); in the engine a later write by a concurrent step can show the id `Apply` has set meanwhile.
 *   No `importing` operations are made (no `--import-pending-creates`, no interactive refresh prompt).
 */
import * as os from "os";
import {
  exportDeployment,
  importDeployment,
  splitDefaultProvider,
  type DeploymentDocument,
  type PendingOperation,
} from "./checkpoint";
import {
  configFromProviderInputs,
  providerInputs,
  providerReference,
  type StackConfig,
} from "./defaultProvider";
import { Deployment, type RegisterArgs, type Registered } from "./deployment";
import { executeDeletes, planDestroy } from "./deletes";
import type { HostOptions } from "./host";
import { pendingOperationsWarning } from "./engineRules";
import { Operation, RegistrationError, type Checkpoint } from "./operation";
import { ProviderPlugin } from "./providerPlugin";
import { CommandHosts, HostFactory } from "./providerHosts";
import { refreshAll } from "./refresh";
import { WorkingSnapshot } from "./snapshot";
import { cloneResource, serializeState, type ResourceState } from "./state";
import type { OperationResult } from "./steps";

export type { RegisterArgs, Registered } from "./deployment";

export interface EngineOptions extends Omit<HostOptions, "configure"> {
  /** Step executor workers. @default 4 × the number of CPUs, as the CLI's `--parallel` */
  readonly parallel?: number;
  /**
   * A state to start from: a `pulumi stack export` document, or a list of resources (e.g. a previous
   * engine's `state`, without a default provider).
   */
  readonly initialState?: DeploymentDocument | readonly ResourceState[];
}

export interface UpOptions {
  /** Run as a preview: unknowns allowed, no Create/Update/Delete, no state change. */
  readonly preview?: boolean;
  /** Refresh every resource before running the program (`pulumi up --refresh`). */
  readonly refresh?: boolean;
  /** `pulumi up --continue-on-error`. */
  readonly continueOnError?: boolean;
  /**
   * Kills the command as a killed CLI would be, right after the provider call (create, update or delete)
   * for this URN has returned and before the engine records its result: the state keeps what the
   * checkpoint held at that moment, with the pending operation, and `result.interrupted` is true.
   */
  readonly interrupt?: string;
  /** The stack config the program runs with. @default the engine's `config` */
  readonly config?: Readonly<Record<string, string>>;
  /** @default the engine's `secretConfigKeys` */
  readonly secretConfigKeys?: readonly string[];
}

/** What a program gets: `register` and `registerOutputs`, as the resource monitor offers them. */
export interface DeploymentHandle {
  readonly preview: boolean;
  register(args: RegisterArgs): Promise<Registered>;
  registerOutputs(urn: string, outputs: Registered["outputs"]): void;
  urnFor(type: string, name: string, parent?: string): string;
}

export type Program = (deployment: DeploymentHandle) => Promise<void>;

/** The commands that run the program: `up`/`preview`, and `refresh`/`destroy` with `--run-program`. */
export type ProgramCommand = "update" | "refresh" | "destroy";

export class Engine {
  private resources: ResourceState[] = [];
  /** The default provider resource, kept apart from `resources` (see `state`). */
  private provider: ResourceState | undefined;
  private pendingOperations: PendingOperation[] = [];
  private stackConfig: StackConfig;
  private busy = false;
  private readonly hosts: HostFactory;

  private constructor(private readonly options: EngineOptions) {
    this.stackConfig = { config: { ...options.config }, secretKeys: [...(options.secretConfigKeys ?? [])] };
    const {
      config: _config,
      secretConfigKeys: _secretKeys,
      parallel: _parallel,
      initialState,
      ...hostOptions
    } = options;
    this.hosts = new HostFactory(hostOptions);
    if (initialState) this.loadState(initialState);
  }

  /** An engine for `projectDir`. Hosts start per operation and stop when it ends. */
  static start(options: EngineOptions): Promise<Engine> {
    return Promise.resolve(new Engine(options));
  }

  get project(): string {
    return this.options.project ?? "p";
  }

  get stack(): string {
    return this.options.stack ?? "dev";
  }

  /** The current stack config (namespaced keys), as `pulumi config` would show it. */
  get config(): Readonly<Record<string, string>> {
    return { ...this.stackConfig.config };
  }

  get secretConfigKeys(): readonly string[] {
    return [...this.stackConfig.secretKeys];
  }

  /**
   * Replaces the stack config between commands (`pulumi config set [--secret]`, `config rm`). Only the
   * next `up`/`preview` (or a run of the program) hands it to the provider; `refresh` and `destroy` keep
   * using the config stored in the state.
   */
  setConfig(config: Readonly<Record<string, string>>, secretConfigKeys: readonly string[] = []): void {
    if (this.busy) throw new Error("cannot change the stack config during an operation");
    this.stackConfig = { config: { ...config }, secretKeys: [...secretConfigKeys] };
  }

  /** The project directory the hosts run in. */
  get projectDir(): string {
    return this.options.projectDir;
  }

  /**
   * A copy of the stack's resources, in state order, secrets as wrappers — without the default provider
   * resource, which `defaultProvider` and `exportState()` show.
   */
  get state(): ResourceState[] {
    return this.resources.map(cloneResource);
  }

  /** The default provider resource of the state (`pulumi:providers:pulumi-nodejs::default`), if any. */
  get defaultProvider(): ResourceState | undefined {
    return this.provider && cloneResource(this.provider);
  }

  /** The state as a checkpoint would store it: secrets encrypted unless `showSecrets`. */
  stateJson(options: { showSecrets?: boolean } = {}): string {
    return serializeState(this.snapshotResources(), options.showSecrets ?? false);
  }

  /** `pulumi stack export [--show-secrets]`: the engine's deployment document. */
  exportState(options: { showSecrets?: boolean } = {}): DeploymentDocument {
    return exportDeployment(this.snapshotResources(), this.pendingOperations, {
      showSecrets: options.showSecrets ?? false,
    });
  }

  /** `pulumi stack import`: replaces the state with a deployment document's. */
  importState(document: DeploymentDocument): void {
    if (this.busy) throw new Error("cannot import a state during an operation");
    this.loadState(document);
  }

  /** The resource with this URN, or `undefined`. */
  resource(urn: string): ResourceState | undefined {
    const found = this.resources.find((resource) => resource.urn === urn && !resource.delete);
    return found && cloneResource(found);
  }

  /** Everything every provider host of this engine printed (provider `console.log`s, stack traces). */
  hostLog(): string {
    return this.hosts.hostLog();
  }

  /**
   * The peak resident memory of each provider host this engine started, oldest first, as read when
   * the host was stopped (`undefined` for one still running, or where `/proc` does not say). Every
   * command stops its hosts when it ends, so each figure is one command's own.
   */
  hostPeakMemory(): ReadonlyArray<number | undefined> {
    return this.hosts.hostsStarted().map((host) => host.peakResidentBytes);
  }

  /** `pulumi up`: runs the program against the current state and stores the new state. */
  async up(program: Program, options: UpOptions = {}): Promise<OperationResult> {
    return this.runDeployment(program, options, "update");
  }

  private async runDeployment(
    program: Program,
    options: UpOptions,
    command: ProgramCommand,
  ): Promise<OperationResult> {
    const deployment = this.beginDeployment(options, command);
    let programError: string | undefined;
    // The refresh of `up --refresh` runs first; a failed read ends the update before the program runs.
    if (await deployment.prepared()) {
      try {
        await program(deployment);
      } catch (error) {
        // A rejected registration is already reported against its resource.
        if (!(error instanceof RegistrationError)) programError = `program failed: ${describe(error)}`;
      }
    }
    return deployment.finish(programError);
  }

  /** `pulumi preview`: never sends Create, Update or Delete, never changes the state. */
  preview(program: Program, options: Omit<UpOptions, "preview"> = {}): Promise<OperationResult> {
    return this.up(program, { ...options, preview: true });
  }

  /**
   * Starts an update whose program runs elsewhere (see `runProgram`); the caller registers resources and
   * must call `finish()`.
   */
  beginDeployment(options: UpOptions = {}, command: ProgramCommand = "update"): Deployment {
    const preview = options.preview ?? false;
    if (preview && options.interrupt !== undefined) throw new Error("a preview records nothing to interrupt");
    this.claim();
    const hosts = new CommandHosts(this.hosts);
    const programConfig: StackConfig = {
      config: { ...(options.config ?? this.stackConfig.config) },
      secretKeys: [...(options.secretConfigKeys ?? this.stackConfig.secretKeys)],
    };
    const op = this.operation(
      preview && command === "update" ? "preview" : command,
      { preview, continueOnError: options.continueOnError ?? false, interrupt: options.interrupt },
      hosts,
      this.storedConfig(),
    );
    // `pulumi up --refresh` refreshes instead of warning (`deployment_executor.go Execute`).
    if (!options.refresh) this.warnOfPendingOperations(op);
    return new Deployment(
      op,
      { project: this.project, stack: this.stack },
      {
        refreshFirst: options.refresh ?? false,
        storedProvider: this.provider,
        programProviderInputs: providerInputs(programConfig),
        programProvider: new ProviderPlugin(() => hosts.host(programConfig)),
      },
      (checkpoint, provider) => {
        this.store(checkpoint);
        this.provider = provider;
      },
    ).onFinish(async () => {
      await hosts.close();
      this.release();
    });
  }

  /**
   * `pulumi refresh --yes` (non-interactive): reads every resource with the provider config stored in the
   * state. Pending CREATE operations stay (only the interactive prompt or a flag resolves them), other
   * pending operations leave with the new snapshot. `clearPendingCreates` (`--clear-pending-creates`)
   * first drops the pending creates from the stored state — an edit made before the refresh runs, so a
   * preview makes it too (`pkg/cmd/pulumi/operations/refresh.go`, `filterMapPendingCreates`). With
   * `program` (`--run-program`), the program runs and registers the default provider from the current
   * stack config, which then serves the reads (`programModes.ts`).
   */
  async refresh(
    options: { preview?: boolean; clearPendingCreates?: boolean; program?: Program } = {},
  ): Promise<OperationResult> {
    const { program, clearPendingCreates, ...rest } = options;
    if (this.busy) throw new Error("another operation is still running on this engine");
    if (clearPendingCreates) {
      this.pendingOperations = this.pendingOperations.filter((pending) => pending.type !== "creating");
    }
    if (program) return this.runDeployment(program, rest, "refresh");
    this.claim();
    const hosts = new CommandHosts(this.hosts);
    try {
      const op = this.operation("refresh", { preview: options.preview ?? false }, hosts, this.storedConfig());
      await refreshAll(op);
      if (!op.preview) this.store(op.checkpoint());
      return op.result();
    } finally {
      await hosts.close();
      this.release();
    }
  }

  /**
   * `pulumi destroy`: deletes every resource, dependents first, with the provider config stored in the
   * state; the default provider goes last (an internal step, no provider call). With `program`
   * (`--run-program`), the program runs and the current stack config serves the deletes
   * (`programModes.ts`).
   */
  async destroy(
    options: { preview?: boolean; continueOnError?: boolean; program?: Program } = {},
  ): Promise<OperationResult> {
    const { program, ...rest } = options;
    if (program) return this.runDeployment(program, rest, "destroy");
    this.claim();
    const hosts = new CommandHosts(this.hosts);
    try {
      const preview = options.preview ?? false;
      const op = this.operation(
        "destroy",
        { preview, continueOnError: options.continueOnError ?? false },
        hosts,
        this.storedConfig(),
      );
      this.warnOfPendingOperations(op);
      await executeDeletes(op, planDestroy(op.snapshot.baseResources()));
      if (!op.preview) {
        this.store(op.checkpoint());
        this.provider = this.stillReferenced(this.provider);
      }
      return op.result();
    } finally {
      await hosts.close();
      this.release();
    }
  }

  /**
   * Replaces the stack's resources, e.g. with `[]` to start a new stack, or with a state written by an
   * older provider version. The default provider is dropped with them when `state` is empty.
   */
  resetState(state: readonly ResourceState[] = []): void {
    if (this.busy) throw new Error("cannot reset the state during an operation");
    this.loadState(state);
  }

  /** Refuses further operations' hosts; every operation's hosts are already stopped when it ends. */
  close(): Promise<void> {
    this.hosts.close();
    return Promise.resolve();
  }

  private loadState(state: DeploymentDocument | readonly ResourceState[]): void {
    const imported = Array.isArray(state)
      ? { ...splitDefaultProvider(state as readonly ResourceState[]), pendingOperations: [] }
      : importDeployment(state as DeploymentDocument);
    this.provider = imported.provider;
    this.resources = imported.resources;
    this.pendingOperations = imported.pendingOperations;
  }

  /** The provider config stored in the state, or (a stack without one) the current config. */
  private storedConfig(): StackConfig {
    return this.provider ? configFromProviderInputs(this.provider.inputs) : this.stackConfig;
  }

  /** The state's resources in checkpoint order: the root stack, the default provider, the rest. */
  private snapshotResources(): ResourceState[] {
    const resources = this.resources.map(cloneResource);
    if (!this.provider) return resources;
    const at = resources[0]?.type === "pulumi:pulumi:Stack" ? 1 : 0;
    resources.splice(at, 0, cloneResource(this.provider));
    return resources;
  }

  private stillReferenced(provider: ResourceState | undefined): ResourceState | undefined {
    if (!provider) return undefined;
    const reference = providerReference(provider);
    return this.resources.some((resource) => resource.provider === reference) ? provider : undefined;
  }

  private operation(
    kind: OperationResult["kind"],
    flags: { preview: boolean; continueOnError?: boolean; interrupt?: string | undefined },
    hosts: CommandHosts,
    providerConfig: StackConfig,
  ): Operation {
    return new Operation(
      kind,
      new ProviderPlugin(() => hosts.host(providerConfig)),
      new WorkingSnapshot(this.resources, this.pendingOperations),
      {
        preview: flags.preview,
        continueOnError: flags.continueOnError ?? false,
        parallel: this.options.parallel ?? 4 * os.cpus().length,
        ...(flags.interrupt === undefined ? {} : { interrupt: flags.interrupt }),
        stopHosts: () => hosts.close(),
      },
    );
  }

  /** Stores a command's checkpoint: its resources and the operations it did not see finish. */
  private store(checkpoint: Checkpoint): void {
    this.resources = checkpoint.resources;
    this.pendingOperations = checkpoint.pendingOperations;
  }

  /**
   * An update or destroy (not a preview, not refreshing first) warns of the previous checkpoint's
   * pending operations (`deployment_executor.go Execute`, `printPendingOperationsWarning`).
   */
  private warnOfPendingOperations(op: Operation): void {
    if (!op.preview && this.pendingOperations.length > 0) {
      op.warn(pendingOperationsWarning(this.pendingOperations));
    }
  }

  // The engine locks a stack for the duration of an operation; overlapping ones are a test bug.
  private claim(): void {
    if (this.busy) throw new Error("another operation is still running on this engine");
    this.busy = true;
  }

  private release(): void {
    this.busy = false;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
