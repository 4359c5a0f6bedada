/**
 * Refresh (`step.go RefreshStep.Apply`; `deployment_executor.go refresh`): Read every custom resource
 * with its old inputs and state, in parallel.
 *
 * - An empty id means the resource is gone: it leaves the state, and references to it are dropped.
 * - Otherwise the read outputs replace the state; returned inputs replace the stored inputs.
 * - Whether it changed is decided as the engine decides it: a Diff with the roles inverted
 *   (old = refreshed inputs/outputs, new = the previous inputs), DIFF_UNKNOWN falling back to comparing
 *   inputs. So the provider's `diff` runs during a refresh too.
 * - Errors are reported but do not stop the other reads (refresh steps ignore errors).
 */
import { changedInputKeys } from "./engineRules";
import type { Operation } from "./operation";
import { ProviderOperationError } from "./providerPlugin";
import type { ResourceState } from "./state";
import { markSecretOutputs } from "./wire";

export async function refreshAll(op: Operation): Promise<void> {
  const candidates = op.snapshot
    .baseResources()
    .filter((resource) => resource.custom && !resource.pendingReplacement);
  await Promise.all(candidates.map((resource) => op.limiter.run(() => refreshOne(op, resource))));
  op.snapshot.dropDanglingReferences();
}

async function refreshOne(op: Operation, old: ResourceState): Promise<void> {
  const step = { op: "refresh", urn: old.urn, type: old.type } as const;
  let read: Awaited<ReturnType<Operation["provider"]["read"]>>;
  let initErrors: string[] | undefined;
  try {
    read = await op.provider.read(old.urn, old.id, old.inputs, old.outputs, old.customTimeouts?.read ?? 0);
  } catch (error) {
    if (error instanceof ProviderOperationError && error.partial) {
      // A read that finds the resource unhealthy is not a failure: it records the init errors.
      read = { id: error.partial.id, outputs: error.partial.outputs };
      initErrors = [...error.partial.reasons];
    } else {
      op.fail(old.urn, error instanceof Error ? error.message : String(error), false);
      op.recordStep({ ...step, status: "failed" });
      return;
    }
  }

  if (read.id === "") {
    op.snapshot.removeBase(old);
    op.recordStep({ ...step, status: "succeeded", refreshResult: "delete" });
    return;
  }

  const inputs = read.inputs ?? old.inputs;
  const refreshed: ResourceState = {
    ...old,
    id: read.id,
    inputs,
    outputs: markSecretOutputs(read.outputs, inputs, old.additionalSecretOutputs),
  };
  if (initErrors) refreshed.initErrors = initErrors;
  else delete refreshed.initErrors;

  let changed: boolean;
  try {
    const diff = await op.provider.diff(
      old.urn,
      read.id,
      refreshed.inputs,
      refreshed.outputs,
      old.inputs,
      false,
      [],
    );
    changed =
      diff.changes === "unknown"
        ? changedInputKeys(refreshed.inputs, old.inputs).length > 0
        : diff.changes === "some";
  } catch (error) {
    op.fail(old.urn, error instanceof Error ? error.message : String(error), false);
    op.recordStep({ ...step, status: "failed" });
    return;
  }
  op.snapshot.replaceBase(old, refreshed);
  op.outputs[old.urn] = refreshed.outputs;
  op.recordStep({ ...step, status: "succeeded", refreshResult: changed ? "update" : "same" });
}
