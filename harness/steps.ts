/**
 * Steps, named as the engine names them (`display.StepOp`, `pkg/resource/deploy/step.go`), and the
 * result of an operation.
 */
import type { PropertyMap } from "./wire";

export type StepOp =
  | "same"
  | "create"
  | "update"
  | "delete"
  /** Logical marker of a replacement (no provider call), between its create and delete halves. */
  | "replace"
  | "create-replacement"
  | "delete-replaced"
  | "remove-pending-replace"
  | "refresh";

export interface Step {
  readonly op: StepOp;
  readonly urn: string;
  readonly type: string;
  readonly status: "succeeded" | "failed";
  /** replace, create-replacement, delete-replaced: the keys the provider said force a replacement. */
  readonly replaceKeys?: readonly string[];
  /** update and replace: changed keys, when known (the engine computes them for DIFF_UNKNOWN). */
  readonly diffs?: readonly string[];
  /** replace: whether the old resource was deleted before the new one was created. */
  readonly deleteBeforeReplace?: boolean;
  /** refresh: what the refresh found (`RefreshStep.ResultOp`). */
  readonly refreshResult?: "same" | "update" | "delete";
}

/** An error diagnostic, as the CLI prints them: the resource it concerns (if any) and the message. */
export interface EngineError {
  readonly urn?: string;
  readonly message: string;
}

export interface OperationResult {
  readonly kind: "update" | "preview" | "refresh" | "destroy";
  /** Steps in the order they finished. */
  readonly steps: readonly Step[];
  readonly errors: readonly EngineError[];
  /** Final outputs by URN of the resources this operation registered or refreshed. */
  readonly outputs: Readonly<Record<string, PropertyMap>>;
  /** Number of successful steps per op, like the CLI's "Resources:" summary. */
  readonly summary: Readonly<Partial<Record<StepOp, number>>>;
  readonly succeeded: boolean;
  /** Warning diagnostics (e.g. pending operations left by an interrupted command). */
  readonly warnings: readonly string[];
  /** The command was killed mid-step (`UpOptions.interrupt`): nothing after that moment was recorded. */
  readonly interrupted: boolean;
}

export function summarize(steps: readonly Step[]): Partial<Record<StepOp, number>> {
  const summary: Partial<Record<StepOp, number>> = {};
  for (const step of steps) if (step.status === "succeeded") summary[step.op] = (summary[step.op] ?? 0) + 1;
  return summary;
}
