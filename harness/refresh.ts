/**
 * Refresh (`step.go RefreshStep.Apply`; `deployment_executor.go refresh`): Read every custom resource
 * with its old inputs and state, in parallel.
 *
 * - An empty id means the resource is gone: it leaves the state, and references to it are dropped.
 * - Otherwise the read outputs replace the state; returned inputs replace the stored inputs.
 * - Whether it changed is decided as the engine decides it: a Diff with the roles inverted
 *   (old = refreshed inputs/outputs, new = the previous inputs), DIFF_UNKNOWN falling back to comparing
 *   inputs. So the provider's `diff` runs during a refresh too.
 * - Errors are reported but do not stop the other reads (refresh steps ignore errors), except in a
 *   refresh that runs the program (`refreshProgram.ts`), where a failed read of a registered resource
 *   fails its registration and so the deployment.
 */
import { changedInputKeys } from "./engineRules";
import type { Operation } from "./operation";
import { ProviderOperationError } from "./providerPlugin";
import type { ResourceState } from "./state";
import { markSecretOutputs } from "./wire";

/** What one Read found: the refreshed state, the resource gone, or a failure (already reported). */
export type RefreshOutcome =
  | { readonly status: "refreshed"; readonly state: ResourceState }
  | { readonly status: "gone" }
  | { readonly status: "failed"; readonly message: string };

/** Refreshes every custom resource of the base state, except the URNs in `skip`. */
export async function refreshAll(op: Operation, skip: ReadonlySet<string> = new Set()): Promise<void> {
  const candidates = op.snapshot
    .baseResources()
    .filter((resource) => resource.custom && !resource.pendingReplacement && !skip.has(resource.urn));
  await Promise.all(candidates.map((resource) => op.limiter.run(() => refreshOne(op, resource))));
  op.snapshot.dropDanglingReferences();
}

/** Reads one resource and records the result in the working snapshot; `cancels`: a failure cancels. */
export async function refreshOne(
  op: Operation,
  old: ResourceState,
  cancels = false,
): Promise<RefreshOutcome> {
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
      return failed(op, step, error, cancels);
    }
  }

  if (read.id === "") {
    op.snapshot.removeBase(old);
    op.recordStep({ ...step, status: "succeeded", refreshResult: "delete" });
    return { status: "gone" };
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
    return failed(op, step, error, cancels);
  }
  op.snapshot.replaceBase(old, refreshed);
  op.outputs[old.urn] = refreshed.outputs;
  op.recordStep({ ...step, status: "succeeded", refreshResult: changed ? "update" : "same" });
  return { status: "refreshed", state: refreshed };
}

function failed(
  op: Operation,
  step: { readonly op: "refresh"; readonly urn: string; readonly type: string },
  error: unknown,
  cancels: boolean,
): RefreshOutcome {
  const message = error instanceof Error ? error.message : String(error);
  op.fail(step.urn, message, cancels);
  op.recordStep({ ...step, status: "failed" });
  return { status: "failed", message };
}
