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
 *   returned inputs replace the stored ones; changes are judged by an inverted Diff.
 *
 * Fidelity limits — this is NOT the engine:
 * - One host process serves every operation of an Engine (the CLI starts one per command), so provider
 *   instances, and `configure()`, live across operations; `restartHost()` gives a fresh one.
 * - `up` is `pulumi up --skip-preview`; call `preview` first to get the CLI's default double pass.
 * - No default provider resource in the state, no aliases, no `import`/`get` reads, no `replaceOnChanges`
 *   (the Node.js host sends no detailed diff anyway), no `deletedWith`/`replaceWith`, no resource hooks,
 *   no transforms, no `--target`; `ignoreChanges` takes top-level keys only.
 * - A delete-before-replace does not delete dependents first (`calculateDependentReplacements`).
 * - Secrets are not encrypted in memory; `stateJson()` encrypts them as a checkpoint would.
 * - The value shown in check-failure messages approximates Go's rendering.
 */
import * as os from "os";
import { Deployment, type RegisterArgs, type Registered } from "./deployment";
import { executeDeletes, type PlannedDelete } from "./deletes";
import { HostDriver, type HostOptions } from "./host";
import { Operation, RegistrationError } from "./operation";
import { ProviderPlugin } from "./providerPlugin";
import { refreshAll } from "./refresh";
import { WorkingSnapshot } from "./snapshot";
import { cloneResource, serializeState, type ResourceState } from "./state";
import type { OperationResult } from "./steps";

export type { RegisterArgs, Registered } from "./deployment";

export interface EngineOptions extends Omit<HostOptions, "configure"> {
  /** Step executor workers. @default 4 × the number of CPUs, as the CLI's `--parallel` */
  readonly parallel?: number;
  /** A state to start from (e.g. a previous engine's `state`). */
  readonly initialState?: readonly ResourceState[];
}

export interface UpOptions {
  /** Run as a preview: unknowns allowed, no Create/Update/Delete, no state change. */
  readonly preview?: boolean;
  /** Refresh every resource before running the program (`pulumi up --refresh`). */
  readonly refresh?: boolean;
  /** `pulumi up --continue-on-error`. */
  readonly continueOnError?: boolean;
}

/** What a program gets: `register` and `registerOutputs`, as the resource monitor offers them. */
export interface DeploymentHandle {
  readonly preview: boolean;
  register(args: RegisterArgs): Promise<Registered>;
  registerOutputs(urn: string, outputs: Registered["outputs"]): void;
  urnFor(type: string, name: string, parent?: string): string;
}

export type Program = (deployment: DeploymentHandle) => Promise<void>;

export class Engine {
  private resources: ResourceState[];
  private busy = false;

  private constructor(
    private hostDriver: HostDriver,
    private readonly options: EngineOptions,
  ) {
    this.resources = (options.initialState ?? []).map(cloneResource);
  }

  /** Spawns and configures the host for `projectDir`. Close the engine to stop it. */
  static async start(options: EngineOptions): Promise<Engine> {
    return new Engine(await HostDriver.start(options), options);
  }

  get project(): string {
    return this.options.project ?? "p";
  }

  get stack(): string {
    return this.options.stack ?? "dev";
  }

  /** The stack config the host was configured with (namespaced keys). */
  get config(): Readonly<Record<string, string>> {
    return { ...this.options.config };
  }

  get secretConfigKeys(): readonly string[] {
    return [...(this.options.secretConfigKeys ?? [])];
  }

  /** The project directory the host runs in. */
  get projectDir(): string {
    return this.options.projectDir;
  }

  /** The raw host, for calls outside the engine rules. */
  get host(): HostDriver {
    return this.hostDriver;
  }

  /** A copy of the stack's resources, in state order, secrets as wrappers. */
  get state(): ResourceState[] {
    return this.resources.map(cloneResource);
  }

  /** The state as a checkpoint would store it: secrets encrypted unless `showSecrets`. */
  stateJson(options: { showSecrets?: boolean } = {}): string {
    return serializeState(this.resources, options.showSecrets ?? false);
  }

  /** The resource with this URN, or `undefined`. */
  resource(urn: string): ResourceState | undefined {
    const found = this.resources.find((resource) => resource.urn === urn && !resource.delete);
    return found && cloneResource(found);
  }

  hostLog(): string {
    return this.hostDriver.hostLog();
  }

  /** `pulumi up`: runs the program against the current state and stores the new state. */
  async up(program: Program, options: UpOptions = {}): Promise<OperationResult> {
    const deployment = this.beginDeployment(options);
    let programError: string | undefined;
    try {
      await program(deployment);
    } catch (error) {
      // A rejected registration is already reported against its resource.
      if (!(error instanceof RegistrationError)) programError = `program failed: ${describe(error)}`;
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
  beginDeployment(options: UpOptions = {}): Deployment {
    this.claim();
    const op = this.operation(
      options.preview ? "preview" : "update",
      options.preview ?? false,
      options.continueOnError ?? false,
    );
    return new Deployment(
      op,
      { project: this.project, stack: this.stack },
      options.refresh ?? false,
      (state) => {
        this.resources = state;
      },
    ).onFinish(() => this.release());
  }

  /** `pulumi refresh`: reads every resource; `preview` leaves the state unchanged. */
  async refresh(options: { preview?: boolean } = {}): Promise<OperationResult> {
    this.claim();
    try {
      const op = this.operation("refresh", options.preview ?? false, false);
      await refreshAll(op);
      if (!op.preview) this.resources = op.snapshot.snap();
      return op.result();
    } finally {
      this.release();
    }
  }

  /** `pulumi destroy`: deletes every resource, dependents first. */
  async destroy(options: { preview?: boolean; continueOnError?: boolean } = {}): Promise<OperationResult> {
    this.claim();
    try {
      const op = this.operation("destroy", options.preview ?? false, options.continueOnError ?? false);
      const planned: PlannedDelete[] = op.snapshot.baseResources().map((resource) => ({
        resource,
        op: resource.delete
          ? "delete-replaced"
          : resource.pendingReplacement
            ? "remove-pending-replace"
            : "delete",
      }));
      await executeDeletes(op, planned);
      if (!op.preview) this.resources = op.snapshot.snap();
      return op.result();
    } finally {
      this.release();
    }
  }

  /**
   * Replaces the stack's state, e.g. with `[]` to start a new stack on the same host, or with a state
   * written by an older provider version. The resources themselves are not touched.
   */
  resetState(state: readonly ResourceState[] = []): void {
    if (this.busy) throw new Error("cannot reset the state during an operation");
    this.resources = state.map(cloneResource);
  }

  /** Replaces the host process by a fresh one, as a new CLI command would start. */
  async restartHost(): Promise<void> {
    await this.hostDriver.close();
    this.hostDriver = await HostDriver.start(this.options);
  }

  async close(): Promise<void> {
    await this.hostDriver.close();
  }

  private operation(kind: OperationResult["kind"], preview: boolean, continueOnError: boolean): Operation {
    return new Operation(kind, new ProviderPlugin(this.hostDriver), new WorkingSnapshot(this.resources), {
      preview,
      continueOnError,
      parallel: this.options.parallel ?? 4 * os.cpus().length,
    });
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
