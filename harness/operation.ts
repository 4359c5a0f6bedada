/**
 * What every engine operation (update, preview, refresh, destroy) shares: the provider, the working
 * snapshot, the step and error journals, the step-executor limit, and fail-fast cancellation.
 */
import { ConcurrencyLimiter } from "./concurrency";
import type { ProviderPlugin } from "./providerPlugin";
import type { WorkingSnapshot } from "./snapshot";
import { summarize, type EngineError, type OperationResult, type Step } from "./steps";
import type { PropertyMap } from "./wire";

/** Why a registration was rejected. */
export type RegistrationFailureKind =
  /** This resource's own step failed (or its inputs failed Check). */
  | "failed"
  /** An earlier error cancelled the deployment before this resource's step ran (fail-fast). */
  | "cancelled"
  /** A dependency failed, so the engine skipped this resource (`--continue-on-error`). */
  | "skipped";

/** The rejection of `Deployment.register` (the engine's error reply to the program). */
export class RegistrationError extends Error {
  override readonly name = "RegistrationError";

  constructor(
    readonly urn: string,
    readonly kind: RegistrationFailureKind,
    message: string,
  ) {
    super(message);
  }
}

export interface OperationOptions {
  readonly preview: boolean;
  /** Keep going after a failed step, skipping only its dependents (`pulumi up --continue-on-error`). */
  readonly continueOnError: boolean;
  /** Step executor workers (`--parallel`). */
  readonly parallel: number;
}

export class Operation {
  readonly steps: Step[] = [];
  readonly errors: EngineError[] = [];
  readonly outputs: Record<string, PropertyMap> = {};
  readonly limiter: ConcurrencyLimiter;
  /** Set by the first error unless `continueOnError`: no new steps start after it. */
  cancelled = false;
  /** URNs whose steps failed or were skipped; their dependents are skipped. */
  readonly failedUrns = new Set<string>();

  constructor(
    readonly kind: OperationResult["kind"],
    /** The provider the next step uses; `up` switches from the stored one to the program's. */
    public provider: ProviderPlugin,
    readonly snapshot: WorkingSnapshot,
    readonly options: OperationOptions,
  ) {
    this.limiter = new ConcurrencyLimiter(options.parallel);
  }

  get preview(): boolean {
    return this.options.preview;
  }

  recordStep(step: Step): void {
    this.steps.push(step);
  }

  /** Reports an error against a resource and, unless continuing on error, cancels the operation. */
  fail(urn: string | undefined, message: string, cancels = true): void {
    this.errors.push(urn === undefined ? { message } : { urn, message });
    if (urn !== undefined) this.failedUrns.add(urn);
    if (cancels && !this.options.continueOnError) this.cancelled = true;
  }

  /**
   * Reports an error from step generation (invalid inputs, a failed Check or Diff, a bad registration)
   * or from the program itself: the engine's event loop bails on these, even with `--continue-on-error`.
   */
  bail(urn: string | undefined, message: string): void {
    this.errors.push(urn === undefined ? { message } : { urn, message });
    if (urn !== undefined) this.failedUrns.add(urn);
    this.cancelled = true;
  }

  throwIfCancelled(urn: string): void {
    if (this.cancelled) {
      throw new RegistrationError(
        urn,
        "cancelled",
        `the deployment was cancelled by an earlier error; ${urn} was not processed`,
      );
    }
  }

  result(): OperationResult {
    return {
      kind: this.kind,
      steps: [...this.steps],
      errors: [...this.errors],
      outputs: { ...this.outputs },
      summary: summarize(this.steps),
      succeeded: this.errors.length === 0,
    };
  }
}
