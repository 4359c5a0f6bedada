/**
 * Deletions at the end of an update and in a destroy (`step_generator.go GenerateDeletes`,
 * `ScheduleDeletes`; `deployment_executor.go performPostSteps`; `step.go DeleteStep.Apply`).
 */
import { deleteProtectedMessage } from "./engineRules";
import type { Operation } from "./operation";
import { allDependencies, scheduleDeletes, type ResourceState } from "./state";
import type { StepOp } from "./steps";

export interface PlannedDelete {
  readonly resource: ResourceState;
  readonly op: Extract<StepOp, "delete" | "delete-replaced" | "remove-pending-replace">;
}

/**
 * What an update deletes once the program has finished: old halves of create-before-delete
 * replacements (`delete` flag), and resources the program no longer registers.
 */
export function planDeletes(op: Operation, registered: ReadonlySet<string>): PlannedDelete[] {
  const planned: PlannedDelete[] = [];
  for (const resource of op.snapshot.baseResources()) {
    if (resource.delete) planned.push({ resource, op: "delete-replaced" });
    else if (!registered.has(resource.urn)) {
      planned.push({ resource, op: resource.pendingReplacement ? "remove-pending-replace" : "delete" });
    }
  }
  return planned;
}

/**
 * What a destroy deletes: every resource given (`step_generator.go GenerateDeletes`): old halves of
 * replacements as `delete-replaced`, resources pending replacement only leave the state.
 */
export function planDestroy(resources: readonly ResourceState[]): PlannedDelete[] {
  return resources.map((resource) => ({
    resource,
    op: resource.delete
      ? "delete-replaced"
      : resource.pendingReplacement
        ? "remove-pending-replace"
        : "delete",
  }));
}

/** Runs deletions antichain by antichain, dependents first; an error stops later antichains. */
export async function executeDeletes(op: Operation, planned: readonly PlannedDelete[]): Promise<void> {
  const plans = new Map(planned.map((plan) => [plan.resource, plan]));
  for (const antichain of scheduleDeletes(planned.map((plan) => plan.resource))) {
    if (op.cancelled) return;
    // With --continue-on-error, nothing a failed resource depends on may be deleted.
    const protectedByFailures = dependenciesOf(op.failedUrns, op.snapshot.everything());
    const runnable = antichain.filter((resource) => !protectedByFailures.has(resource.urn));
    await Promise.all(
      runnable.map((resource) => op.limiter.run(() => deleteOne(op, plans.get(resource) as PlannedDelete))),
    );
  }
}

async function deleteOne(op: Operation, plan: PlannedDelete): Promise<void> {
  const { resource } = plan;
  const step = { op: plan.op, urn: resource.urn, type: resource.type } as const;
  if (op.cancelled) return;
  if (plan.op === "delete" && resource.protect) {
    // The engine reports protected deletes but keeps going, so that all of them are listed at once.
    op.fail(resource.urn, deleteProtectedMessage(resource.urn), false);
    op.recordStep({ ...step, status: "failed" });
    return;
  }
  // `remove-pending-replace` only edits the state: no pending operation (`removePendingReplaceSnapshotMutation`).
  const mutation =
    plan.op === "remove-pending-replace" ? undefined : op.snapshot.beginMutation(resource, "deleting");
  if (plan.op !== "remove-pending-replace" && !op.preview && resource.custom && !resource.retainOnDelete) {
    try {
      await op.callProvider(resource.urn, () =>
        op.provider.delete(
          resource.urn,
          resource.id,
          resource.inputs,
          resource.outputs,
          resource.customTimeouts?.delete ?? 0,
        ),
      );
    } catch (error) {
      mutation?.end();
      op.fail(resource.urn, error instanceof Error ? error.message : String(error));
      op.recordStep({ ...step, status: "failed" });
      return;
    }
  }
  mutation?.end();
  op.snapshot.markDone(resource);
  op.recordStep({ ...step, status: "succeeded" });
}

/** URNs that the given resources depend on, transitively. */
function dependenciesOf(urns: ReadonlySet<string>, resources: readonly ResourceState[]): Set<string> {
  const result = new Set<string>();
  const pending = [...urns];
  while (pending.length > 0) {
    const urn = pending.pop() as string;
    for (const resource of resources.filter((candidate) => candidate.urn === urn)) {
      for (const dependency of allDependencies(resource)) {
        if (!result.has(dependency)) {
          result.add(dependency);
          pending.push(dependency);
        }
      }
    }
  }
  return result;
}
