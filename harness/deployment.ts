/**
 * One update (or preview): the program registers resources, and each registration goes through the
 * engine's step generator and step executor against the real host.
 *
 * Step generation (`step_generator.go generateSteps` → `continueStepsFromImport` → `generateStepsFromDiff`
 * → `continueStepsFromDiff`) runs Check and Diff one registration at a time, as the engine's event loop
 * does; the resulting steps run concurrently, limited like the step executor's workers.
 */
import { deferred, SerialQueue, type Deferred } from "./concurrency";
import { providerConfigChanged, providerReference, providerState } from "./defaultProvider";
import { executeDeletes, planDeletes } from "./deletes";
import { calculateDependentReplacements, type DependentReplace } from "./dependentReplacements";
import {
  applyIgnoreChanges,
  changedInputKeys,
  checkFailureMessage,
  durationToSeconds,
  replaceProtectedDependentMessage,
  replaceProtectedMessage,
} from "./engineRules";
import { RegistrationError, type Checkpoint, type Operation } from "./operation";
import { ProviderOperationError, type ProviderPlugin } from "./providerPlugin";
import { ProgramModeSteps } from "./programModes";
import { refreshAll } from "./refresh";
import type { CustomTimeouts, ResourceState } from "./state";
import type { OperationResult, StepOp } from "./steps";
import { isNodejsDynamicType, makeUrn } from "./urn";
import { clonePropertyMap, markSecretOutputs, unknown, type PropertyMap } from "./wire";

/** A resource registration, as the SDK's `RegisterResourceRequest` carries it. */
export interface RegisterArgs {
  /** E.g. `pulumi-nodejs:dynamic/chatwoot:Contact`, or a component type with `custom: false`. */
  readonly type: string;
  readonly name: string;
  /** Program inputs: may contain secret wrappers, and the unknown sentinel in a preview. */
  readonly inputs: PropertyMap;
  /** @default true. False for component resources and the stack: recorded, no provider calls. */
  readonly custom?: boolean;
  readonly parent?: string;
  /** URNs this resource depends on (the SDK sends implicit and explicit dependencies together). */
  readonly dependsOn?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  /** Overrides the provider's `deleteBeforeReplace` when set. */
  readonly deleteBeforeReplace?: boolean;
  readonly additionalSecretOutputs?: readonly string[];
  /** Top-level input keys whose changes are ignored once the resource exists. */
  readonly ignoreChanges?: readonly string[];
  /** Go duration text, e.g. `{ create: "5m" }`. */
  readonly customTimeouts?: { readonly create?: string; readonly update?: string; readonly delete?: string };
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
}

/** The engine's answer to a registration. */
export interface Registered {
  readonly urn: string;
  /** `undefined` for a resource created (or replaced) in a preview, and for components. */
  readonly id: string | undefined;
  /**
   * Outputs with secret wrappers. In a preview, reading a key the provider has not reported gives the
   * unknown sentinel, as the SDK treats missing outputs as unknown during preview.
   */
  readonly outputs: PropertyMap;
  /** The logical step: create, same, update or replace. */
  readonly op: StepOp;
}

/** How an update gets its default provider (see `defaultProvider.ts`). */
export interface DeploymentProviders {
  /** `pulumi up --refresh`: refresh the previous state (with the stored provider) first. */
  readonly refreshFirst: boolean;
  /** The default provider resource of the previous state. */
  readonly storedProvider: ResourceState | undefined;
  /** Its inputs for this run: the program's stack config (`GetPackageConfig`). */
  readonly programProviderInputs: PropertyMap;
  /** A provider configured with those inputs. */
  readonly programProvider: ProviderPlugin;
}

export interface StepChain {
  readonly op: StepOp;
  readonly run: () => Promise<ResourceState>;
}

export class Deployment {
  private readonly generator = new SerialQueue();
  private readonly registrations = new Map<string, Deferred<void>>();
  private readonly pending: Promise<unknown>[] = [];
  private finished: Promise<OperationResult> | undefined;
  private readonly finishListeners: (() => Promise<void> | void)[] = [];
  private readonly ready: Promise<boolean>;
  /** The default provider as this run registered it (on the first custom resource), if it has. */
  private provider: ResourceState | undefined;
  /** URNs whose steps have been generated (the engine's `sames`, `creates`, `updates`, … sets). */
  private readonly generated = new Set<string>();
  /**
   * Dependents a delete-before-replace deleted, with the keys that condemned them: registering one
   * again re-creates it (`step_generator.go`: `sg.deletes`, `dependentReplaceKeys`, "recreating").
   */
  private readonly recreating = new Map<string, readonly string[]>();
  /** A refresh or destroy that runs the program (`--run-program`): its step generator mode. */
  private readonly programMode: ProgramModeSteps | undefined;

  constructor(
    private readonly op: Operation,
    private readonly identity: { readonly project: string; readonly stack: string },
    private readonly providers: DeploymentProviders,
    private readonly commit: (checkpoint: Checkpoint, provider: ResourceState | undefined) => void,
  ) {
    // `pulumi up --refresh` refreshes every resource of the previous state before the program runs,
    // with the provider stored in that state; a failed read ends the update there
    // (`deployment_executor.go Execute`: `if err := ex.refresh(...); err != nil { return nil, err }`).
    this.ready = providers.refreshFirst ? this.refreshFirst() : Promise.resolve(true);
    if (op.kind === "refresh" || op.kind === "destroy") this.programMode = new ProgramModeSteps(op.kind, op);
  }

  /** Resolves once the program may run: `false` when the refresh of `up --refresh` failed. */
  prepared(): Promise<boolean> {
    return this.ready;
  }

  private async refreshFirst(): Promise<boolean> {
    const errorsBefore = this.op.errors.length;
    await refreshAll(this.op);
    if (this.op.errors.length === errorsBefore) return true;
    this.op.cancelled = true;
    return false;
  }

  get preview(): boolean {
    return this.op.preview;
  }

  get continueOnError(): boolean {
    return this.op.options.continueOnError;
  }

  /** Registers a resource and resolves once its steps have run; rejects with a {@link RegistrationError}. */
  register(args: RegisterArgs): Promise<Registered> {
    const registration = this.registerResource(args);
    this.pending.push(registration.catch(() => undefined));
    return registration;
  }

  /** Records a component's (or the stack's) outputs (`RegisterResourceOutputs`). */
  registerOutputs(urn: string, outputs: PropertyMap): void {
    const resource = this.op.snapshot
      .everything()
      .find((candidate) => candidate.urn === urn && !candidate.custom);
    if (!resource) throw new Error(`RegisterResourceOutputs: ${urn} is not a registered component`);
    resource.outputs = clonePropertyMap(outputs);
    this.op.outputs[urn] = resource.outputs;
  }

  /** The URN a registration would get (e.g. for `dependsOn` of a resource registered concurrently). */
  urnFor(type: string, name: string, parent?: string): string {
    return makeUrn(this.identity.stack, this.identity.project, type, name, parent);
  }

  /**
   * Ends the deployment once every registration has settled: unless something failed (or
   * `programError` is given), deletes what the program no longer registers and the old halves of
   * replacements, then commits the new state (never in a preview). Idempotent.
   */
  finish(programError?: string): Promise<OperationResult> {
    this.finished ??= this.finishOnce(programError);
    return this.finished;
  }

  /** Calls `listener` once the deployment has finished (successfully or not), before `finish` resolves. */
  onFinish(listener: () => Promise<void> | void): this {
    this.finishListeners.push(listener);
    return this;
  }

  private async finishOnce(programError: string | undefined): Promise<OperationResult> {
    try {
      const prepared = await this.ready.catch(() => false);
      // Registrations can start further registrations only through the program, which has ended.
      await Promise.all(this.pending);
      if (programError !== undefined && prepared) this.op.bail(undefined, programError);
      const ok = !this.op.cancelled && (this.op.errors.length === 0 || this.op.options.continueOnError);
      const registered = new Set(this.registrations.keys());
      if (ok && this.programMode) await this.programMode.afterProgram(registered);
      else if (ok) await executeDeletes(this.op, planDeletes(this.op, registered));
      if (!this.op.preview) {
        const checkpoint = this.op.checkpoint();
        // A destroy deletes the default provider it registered too, once nothing refers to it.
        const provider =
          this.programMode?.mode === "destroy"
            ? stillReferenced(this.provider ?? this.providers.storedProvider, checkpoint.resources)
            : (this.provider ?? stillReferenced(this.providers.storedProvider, checkpoint.resources));
        this.commit(checkpoint, provider);
      }
      return this.op.result();
    } finally {
      for (const listener of this.finishListeners) await listener();
    }
  }

  private async registerResource(args: RegisterArgs): Promise<Registered> {
    if (this.finished) throw new Error(`register(${args.name}) after the deployment finished`);
    const custom = args.custom ?? true;
    const urn = this.urnFor(args.type, args.name, args.parent);
    if (this.registrations.has(urn))
      this.reject(urn, `Duplicate resource URN '${urn}'; try giving it a unique name`);
    if (custom && !isNodejsDynamicType(args.type)) {
      this.reject(urn, `${args.type}: the harness only drives the pulumi-nodejs dynamic provider`);
    }
    const settled = deferred<void>();
    this.registrations.set(urn, settled);
    try {
      if (!(await this.ready)) this.op.throwIfCancelled(urn);
      const dependencies = [
        ...new Set([...(args.dependsOn ?? []), ...Object.values(args.propertyDependencies ?? {}).flat()]),
      ];
      // The SDK sends a registration only once its dependencies' registrations have completed.
      await this.awaitRegistrations(urn, args.parent ? [args.parent, ...dependencies] : dependencies);
      const goal = this.goalState(urn, args, custom, dependencies);
      const chain = await this.generator.run(async () => {
        if (custom) goal.provider = this.registerDefaultProvider();
        return this.generateSteps(goal, args);
      });
      const skippedBecause = [goal.parent, ...dependencies].find((dep) => dep && this.op.failedUrns.has(dep));
      if (skippedBecause) {
        this.op.failedUrns.add(urn);
        throw new RegistrationError(
          urn,
          "skipped",
          `skipped ${urn}: its dependency ${skippedBecause} failed`,
        );
      }
      const state = await this.op.limiter.run(() => chain.run());
      this.op.outputs[urn] = state.outputs;
      return this.answer(state, chain.op);
    } finally {
      settled.resolve();
    }
  }

  private async awaitRegistrations(urn: string, dependencies: readonly string[]): Promise<void> {
    for (const dependency of dependencies) {
      const registration = this.registrations.get(dependency);
      if (!registration)
        this.reject(urn, `${urn} depends on ${dependency}, which this deployment has not registered`);
      await registration.promise;
    }
  }

  /** Reports an invalid registration (the engine fails the deployment) and rejects it. */
  private reject(urn: string, message: string): never {
    this.op.bail(urn, message);
    throw new RegistrationError(urn, "failed", message);
  }

  /**
   * The default provider's registration, on the first custom resource (`default_providers.go
   * handleRequest`): created, updated in place when the stack config differs from the stored one
   * (secretness included), or the same. Its steps are internal (`update.go isInternalStep`): they are
   * not in the result's steps. From here on this run's provider serves every step, the deletes at the
   * end included, since they refer to the same `<urn>::<id>`. Returns the reference.
   */
  private registerDefaultProvider(): string {
    if (!this.provider) {
      const { storedProvider, programProviderInputs } = this.providers;
      const { stack, project } = this.identity;
      const unchanged = storedProvider && !providerConfigChanged(storedProvider, programProviderInputs);
      this.provider = unchanged
        ? storedProvider
        : providerState(stack, project, programProviderInputs, storedProvider);
      // A preview creates nothing: the engine shows the new provider's id as unknown.
      if (this.op.preview && !storedProvider) this.provider = { ...this.provider, id: unknown };
      this.op.provider = this.providers.programProvider;
    }
    return providerReference(this.provider);
  }

  private goalState(urn: string, args: RegisterArgs, custom: boolean, dependencies: string[]): ResourceState {
    const timeouts: CustomTimeouts = {
      create: durationToSeconds(args.customTimeouts?.create),
      update: durationToSeconds(args.customTimeouts?.update),
      delete: durationToSeconds(args.customTimeouts?.delete),
    };
    return {
      urn,
      type: args.type,
      custom,
      id: "",
      ...(args.parent ? { parent: args.parent } : {}),
      inputs: clonePropertyMap(args.inputs),
      outputs: {},
      dependencies,
      ...(args.propertyDependencies
        ? {
            propertyDependencies: Object.fromEntries(
              Object.entries(args.propertyDependencies).map(([k, v]) => [k, [...v]]),
            ),
          }
        : {}),
      ...(args.additionalSecretOutputs?.length
        ? { additionalSecretOutputs: [...args.additionalSecretOutputs] }
        : {}),
      ...(args.customTimeouts ? { customTimeouts: timeouts } : {}),
      ...(args.protect ? { protect: true } : {}),
      ...(args.retainOnDelete ? { retainOnDelete: true } : {}),
    };
  }

  /** Check, Diff, and the choice of steps; runs inside the serial step generator. */
  private async generateSteps(goal: ResourceState, args: RegisterArgs): Promise<StepChain> {
    const { op } = this;
    const { urn } = goal;
    op.throwIfCancelled(urn);
    const old = op.snapshot.old(urn);
    this.generated.add(urn);
    const modeSteps = this.programMode?.steps(goal, old);
    if (modeSteps) return modeSteps;
    if (!goal.custom) return this.componentSteps(goal, old);

    const programInputs = goal.inputs;
    const dependentKeys = this.recreating.get(urn);
    if (old && dependentKeys) return this.recreateSteps(goal, old, dependentKeys);
    const checkInputs =
      old && args.ignoreChanges
        ? applyIgnoreChanges(programInputs, old.inputs, args.ignoreChanges)
        : programInputs;
    goal.inputs = await this.check(urn, old ? old.inputs : {}, checkInputs, programInputs);
    if (!old) return { op: "create", run: () => this.create(goal) };

    const diff = await this.guardProvider(urn, () =>
      op.provider.diff(
        urn,
        old.id,
        old.inputs,
        old.outputs,
        goal.inputs,
        op.preview,
        args.ignoreChanges ?? [],
      ),
    );
    const fallbackDiffs = diff.changes === "unknown" ? changedInputKeys(old.inputs, goal.inputs) : [];
    const changed = diff.changes === "some" || fallbackDiffs.length > 0;
    const diffs = diff.diffs.length > 0 ? diff.diffs : fallbackDiffs;

    if (changed || old.pendingReplacement) {
      if (diff.replaces.length > 0 || old.pendingReplacement) {
        if (goal.protect && old.protect) {
          op.bail(urn, replaceProtectedMessage(urn));
          throw new RegistrationError(urn, "failed", replaceProtectedMessage(urn));
        }
        // A replacement recomputes the inputs from scratch: Check again, without olds.
        goal.inputs = await this.check(urn, {}, programInputs, programInputs);
        const deleteBeforeReplace = args.deleteBeforeReplace ?? diff.deleteBeforeReplace;
        const details = { replaceKeys: diff.replaces, diffs, deleteBeforeReplace };
        const dependents = deleteBeforeReplace ? await this.condemnDependents(old) : [];
        return { op: "replace", run: () => this.replace(goal, old, details, dependents) };
      }
      return { op: "update", run: () => this.update(goal, old, args, diffs) };
    }
    // Unchanged, but a partially failed create/update must be finished: an (empty) update.
    if (old.initErrors?.length) return { op: "update", run: () => this.update(goal, old, args, []) };
    return { op: "same", run: () => this.same(goal, old) };
  }

  /**
   * The dependents `old`'s delete-before-replace must delete first, in deletion order (dependents of
   * dependents first), each remembered for re-creation when the program registers it again
   * (`step_generator.go continueStepsFromDiff`, the `deleteBeforeReplace` branch). Runs in the step
   * generator, since it calls Diff.
   */
  private async condemnDependents(old: ResourceState): Promise<DependentReplace[]> {
    const { op } = this;
    // Already generated, or already deleted by another delete-before-replace: `impossibleDependents`.
    const ignore = new Set([...this.generated, ...this.recreating.keys()]);
    const toReplace = await this.guardProvider(old.urn, () =>
      calculateDependentReplacements(op, op.snapshot.baseResources(), old, ignore),
    );
    const deletions = [...toReplace].reverse();
    for (const { resource, keys } of deletions) {
      if (!resource.delete && resource.protect) {
        const message = replaceProtectedDependentMessage(resource.urn, old.urn);
        op.bail(old.urn, message);
        throw new RegistrationError(old.urn, "failed", message);
      }
      this.recreating.set(resource.urn, keys);
    }
    return deletions;
  }

  /**
   * A dependent deleted by a delete-before-replace, registered again: Check without olds (they belong to
   * a deleted resource), no Diff, and a replacement (`step_generator.go generateResourceSteps`, "Case 1:
   * recreating"; `ContinueStepsFromDiff`).
   */
  private async recreateSteps(
    goal: ResourceState,
    old: ResourceState,
    replaceKeys: readonly string[],
  ): Promise<StepChain> {
    const { urn } = goal;
    this.recreating.delete(urn);
    goal.inputs = await this.check(urn, {}, goal.inputs, goal.inputs);
    const marker = { op: "replace" as const, urn, type: goal.type, status: "succeeded" as const };
    return {
      op: "replace",
      run: () => {
        // The engine's ReplaceStep carries no keys here; the harness reports them on the marker, as it
        // does for every replacement.
        this.op.recordStep({ ...marker, replaceKeys, deleteBeforeReplace: true });
        return this.create(goal, { old, deleteOldLater: false });
      },
    };
  }

  private componentSteps(goal: ResourceState, old: ResourceState | undefined): StepChain {
    if (!old) return { op: "create", run: async () => this.applyLogical(goal, undefined, "create") };
    const changed = changedInputKeys(old.inputs, goal.inputs).length > 0;
    return {
      op: changed ? "update" : "same",
      run: async () => this.applyLogical({ ...goal, outputs: old.outputs }, old, changed ? "update" : "same"),
    };
  }

  private applyLogical(goal: ResourceState, old: ResourceState | undefined, op: StepOp): ResourceState {
    this.op.throwIfCancelled(goal.urn);
    if (old) this.op.snapshot.markDone(old);
    this.op.snapshot.markNew(goal);
    this.op.recordStep({ op, urn: goal.urn, type: goal.type, status: "succeeded" });
    return goal;
  }

  private async check(
    urn: string,
    olds: PropertyMap,
    news: PropertyMap,
    programInputs: PropertyMap,
  ): Promise<PropertyMap> {
    const result = await this.guardProvider(urn, () =>
      this.op.provider.check(urn, olds, news, this.op.preview),
    );
    if (result.failures.length > 0) {
      const messages = result.failures.map((failure) => checkFailureMessage(urn, programInputs, failure));
      for (const message of messages) this.op.bail(urn, message);
      throw new RegistrationError(urn, "failed", messages.join("\n"));
    }
    return result.inputs;
  }

  /** Reports a Check/Diff error against the resource (it bails the deployment) and rejects. */
  private async guardProvider<T>(urn: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.op.bail(urn, message);
      throw new RegistrationError(urn, "failed", message);
    }
  }

  private async same(goal: ResourceState, old: ResourceState): Promise<ResourceState> {
    this.op.throwIfCancelled(goal.urn);
    goal.id = old.id;
    goal.outputs = markSecretOutputs(old.outputs, goal.inputs, goal.additionalSecretOutputs);
    this.op.snapshot.markDone(old);
    this.op.snapshot.markNew(goal);
    this.op.recordStep({ op: "same", urn: goal.urn, type: goal.type, status: "succeeded" });
    return goal;
  }

  private async create(
    goal: ResourceState,
    replacing?: { old: ResourceState; deleteOldLater: boolean },
  ): Promise<ResourceState> {
    const { op } = this;
    op.throwIfCancelled(goal.urn);
    const stepOp: StepOp = replacing ? "create-replacement" : "create";
    const step = { op: stepOp, urn: goal.urn, type: goal.type };
    // Pending until the result is recorded below (in the same synchronous stretch as `End`).
    const mutation = op.snapshot.beginMutation(goal, "creating");
    try {
      const created = await op.callProvider(goal.urn, () =>
        op.provider.create(goal.urn, goal.inputs, goal.customTimeouts?.create ?? 0, op.preview),
      );
      goal.id = created.id;
      goal.outputs = markSecretOutputs(created.outputs, goal.inputs, goal.additionalSecretOutputs);
    } catch (error) {
      mutation.end();
      if (error instanceof ProviderOperationError && error.partial) {
        // Created but not initialized: the engine keeps it in state with its init errors.
        goal.id = error.partial.id;
        goal.outputs = markSecretOutputs(error.partial.outputs, goal.inputs, goal.additionalSecretOutputs);
        goal.initErrors = [...error.partial.reasons];
        this.retireReplaced(replacing);
        op.snapshot.markNew(goal);
      }
      throw this.stepFailed(step, error);
    }
    mutation.end();
    this.retireReplaced(replacing);
    op.snapshot.markNew(goal);
    op.recordStep({ ...step, status: "succeeded" });
    return goal;
  }

  /** After a replacement's create: the old state is either pending delete, or (already deleted) gone. */
  private retireReplaced(replacing: { old: ResourceState; deleteOldLater: boolean } | undefined): void {
    if (!replacing) return;
    if (replacing.old.pendingReplacement) this.op.snapshot.markDone(replacing.old);
    else if (replacing.deleteOldLater) replacing.old.delete = true;
  }

  private async update(
    goal: ResourceState,
    old: ResourceState,
    args: RegisterArgs,
    diffs: readonly string[],
  ): Promise<ResourceState> {
    const { op } = this;
    op.throwIfCancelled(goal.urn);
    const step = {
      op: "update" as const,
      urn: goal.urn,
      type: goal.type,
      ...(diffs.length ? { diffs } : {}),
    };
    // The engine's new state has no id until `UpdateStep.Apply` copies the old one.
    const mutation = op.snapshot.beginMutation(goal, "updating");
    goal.id = old.id;
    try {
      const outputs = await op.callProvider(goal.urn, () =>
        op.provider.update(
          goal.urn,
          old.id,
          old.inputs,
          old.outputs,
          goal.inputs,
          goal.customTimeouts?.update ?? 0,
          op.preview,
          args.ignoreChanges ?? [],
        ),
      );
      goal.outputs = markSecretOutputs(outputs, goal.inputs, goal.additionalSecretOutputs);
    } catch (error) {
      mutation.end();
      if (error instanceof ProviderOperationError && error.partial) {
        // A partially failed update keeps the OLD inputs with the new outputs (`engine/update.go`).
        goal.outputs = markSecretOutputs(error.partial.outputs, goal.inputs, goal.additionalSecretOutputs);
        goal.inputs = old.inputs;
        goal.initErrors = [...error.partial.reasons];
        op.snapshot.markDone(old);
        op.snapshot.markNew(goal);
      }
      throw this.stepFailed(step, error);
    }
    mutation.end();
    op.snapshot.markDone(old);
    op.snapshot.markNew(goal);
    op.recordStep({ ...step, status: "succeeded" });
    return goal;
  }

  private async replace(
    goal: ResourceState,
    old: ResourceState,
    details: { replaceKeys: readonly string[]; diffs: readonly string[]; deleteBeforeReplace: boolean },
    dependents: readonly DependentReplace[],
  ): Promise<ResourceState> {
    const { op } = this;
    const marker = {
      op: "replace" as const,
      urn: goal.urn,
      type: goal.type,
      status: "succeeded" as const,
      replaceKeys: details.replaceKeys,
      ...(details.diffs.length ? { diffs: details.diffs } : {}),
      deleteBeforeReplace: details.deleteBeforeReplace,
    };
    if (!details.deleteBeforeReplace) {
      // Create the replacement now; the old resource is deleted after the program finishes.
      const created = await this.create(goal, { old, deleteOldLater: true });
      op.recordStep(marker);
      return created;
    }
    // One serial chain, as the engine runs one registration's steps (`deployment_executor.go
    // ExecuteSerial`): dependents first, then the resource, then its replacement.
    try {
      for (const dependent of dependents) await this.deleteReplaced(dependent.resource, dependent.keys);
    } catch (error) {
      // The chain stops: this resource is neither deleted nor re-created, so its dependents must wait.
      op.failedUrns.add(goal.urn);
      throw error;
    }
    if (!old.pendingReplacement) await this.deleteReplaced(old, details.replaceKeys);
    op.recordStep(marker);
    return this.create(goal, { old, deleteOldLater: false });
  }

  /**
   * The delete half of a delete-before-replace (or a dependent it condemned), run inside the
   * replacement's step chain. A condemned dependent that was already pending delete from an earlier
   * update is simply deleted (`NewDeleteStep`) and leaves the state.
   */
  private async deleteReplaced(old: ResourceState, replaceKeys: readonly string[]): Promise<void> {
    const { op } = this;
    op.throwIfCancelled(old.urn);
    const step = old.delete
      ? { op: "delete" as const, urn: old.urn, type: old.type }
      : { op: "delete-replaced" as const, urn: old.urn, type: old.type, replaceKeys };
    const mutation = op.snapshot.beginMutation(old, "deleting");
    if (!op.preview && !old.retainOnDelete) {
      try {
        await op.callProvider(old.urn, () =>
          op.provider.delete(old.urn, old.id, old.inputs, old.outputs, old.customTimeouts?.delete ?? 0),
        );
      } catch (error) {
        mutation.end();
        throw this.stepFailed(step, error);
      }
    }
    mutation.end();
    // A replaced resource stays in state, deleted, until its replacement exists; a pending delete leaves.
    if (old.delete) op.snapshot.markDone(old);
    else old.pendingReplacement = true;
    op.recordStep({ ...step, status: "succeeded" });
  }

  private stepFailed(step: { op: StepOp; urn: string; type: string }, error: unknown): RegistrationError {
    if (error instanceof RegistrationError) return error;
    const message = error instanceof Error ? error.message : String(error);
    this.op.fail(step.urn, message);
    this.op.recordStep({ ...step, status: "failed" });
    return new RegistrationError(step.urn, "failed", message);
  }

  private answer(state: ResourceState, op: StepOp): Registered {
    const outputs = this.op.preview ? unknownWhenMissing(state.outputs) : clonePropertyMap(state.outputs);
    return { urn: state.urn, id: state.id === "" ? undefined : state.id, outputs, op };
  }
}

/** The stored provider, if a resource of the new state still refers to it (else it was deleted). */
function stillReferenced(
  provider: ResourceState | undefined,
  state: readonly ResourceState[],
): ResourceState | undefined {
  if (!provider) return undefined;
  const reference = providerReference(provider);
  return state.some((resource) => resource.provider === reference) ? provider : undefined;
}

/** In a preview the SDK treats outputs the engine did not report as unknown; mirror that for callers. */
function unknownWhenMissing(outputs: PropertyMap): PropertyMap {
  return new Proxy(clonePropertyMap(outputs), {
    get(target, key, receiver) {
      if (typeof key === "string" && !(key in target) && key !== "then" && key !== "toJSON") return unknown;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}
