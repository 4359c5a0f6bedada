/**
 * `pulumi refresh --run-program` and `pulumi destroy --run-program`: the engine runs the program
 * (`pkg/engine/refresh.go RefreshV2`, `destroy.go DestroyV2`, both with `newUpdateSource`) and its step
 * generator works in refresh or destroy mode (`deploy/deployment_executor.go Execute`).
 *
 * What for: the program registers the default provider as an update does, from the CURRENT stack config
 * (an update in place of the stored one when the config changed), so every later step configures the
 * provider with it, not with the config stored in the state. A program that registers no custom
 * resource registers no default provider, and the stored config serves (`EnsureProvider`).
 *
 * Registrations (`step_generator.go generateResourceSteps`, `continueStepsFromRefresh`):
 * - Refresh mode: a custom resource of the state is Read (a refresh step) and the program gets the read
 *   state; no Check, no Diff, no update. A failed read fails the registration, so the deployment.
 *   A custom resource not in the state (or read as gone) is a skipped create: nothing is created.
 *   Components and the provider are generated as in an update.
 *   After the program, every resource it did not register is refreshed (`GenerateRefreshes`); nothing
 *   is deleted.
 * - Destroy mode: a custom resource of the state becomes a same step that keeps its OLD inputs ("for
 *   deletes we want to maintain the old inputs"), one not in the state a skipped create; a registration
 *   depending on a skipped create is skipped too. Components and the provider are generated as in an
 *   update. After the program, everything is deleted, dependents first (`GenerateDeletes`, `toDelete`).
 */
import { executeDeletes, planDestroy } from "./deletes";
import type { StepChain } from "./deployment";
import { RegistrationError, type Operation } from "./operation";
import { refreshAll, refreshOne } from "./refresh";
import { allDependencies, type ResourceState } from "./state";

export type ProgramMode = "refresh" | "destroy";

export class ProgramModeSteps {
  /** `sg.skippedCreates`: registrations that created nothing; what depends on them is skipped too. */
  private readonly skippedCreates = new Set<string>();

  constructor(
    readonly mode: ProgramMode,
    private readonly op: Operation,
  ) {}

  /** The steps for a registration, or `undefined` when it is generated as in an update. */
  steps(goal: ResourceState, old: ResourceState | undefined): StepChain | undefined {
    const skippedDependency = allDependencies(goal).some((urn) => this.skippedCreates.has(urn));
    if (this.mode === "refresh") {
      if (goal.custom) return old ? this.refreshed(goal, old) : this.skipCreate(goal);
      if (!skippedDependency) return undefined;
      // Already refreshed (components never change in a refresh): the program gets the old state.
      return old ? { op: "same", run: async () => old } : this.skipCreate(goal);
    }
    if (skippedDependency) return this.skipCreate(goal);
    if (!goal.custom) return undefined;
    return old ? this.sameWithOldInputs(goal, old) : this.skipCreate(goal);
  }

  /** After the program: refresh what it did not register, or delete everything. */
  async afterProgram(registered: ReadonlySet<string>): Promise<void> {
    if (this.mode === "refresh") await refreshAll(this.op, registered);
    else await executeDeletes(this.op, planDestroy(this.op.snapshot.live()));
  }

  private refreshed(goal: ResourceState, old: ResourceState): StepChain {
    return {
      op: "refresh",
      run: async () => {
        this.op.throwIfCancelled(goal.urn);
        const outcome = await refreshOne(this.op, old, true);
        if (outcome.status === "failed") throw new RegistrationError(goal.urn, "failed", outcome.message);
        if (outcome.status === "refreshed") return outcome.state;
        // Read as gone: the resource is not in the state, so its registration is a skipped create.
        this.skippedCreates.add(goal.urn);
        this.op.recordStep({ op: "same", urn: goal.urn, type: goal.type, status: "succeeded" });
        return { ...goal, outputs: {} };
      },
    };
  }

  private sameWithOldInputs(goal: ResourceState, old: ResourceState): StepChain {
    return {
      op: "same",
      run: async () => {
        this.op.throwIfCancelled(goal.urn);
        const state: ResourceState = { ...goal, id: old.id, inputs: old.inputs, outputs: old.outputs };
        this.op.snapshot.markDone(old);
        this.op.snapshot.markNew(state);
        this.op.recordStep({ op: "same", urn: goal.urn, type: goal.type, status: "succeeded" });
        return state;
      },
    };
  }

  /** `NewSkippedCreateStep`: a same step that writes nothing to the state. */
  private skipCreate(goal: ResourceState): StepChain {
    this.skippedCreates.add(goal.urn);
    return {
      op: "same",
      run: async () => {
        this.op.throwIfCancelled(goal.urn);
        this.op.recordStep({ op: "same", urn: goal.urn, type: goal.type, status: "succeeded" });
        return goal;
      },
    };
  }
}
