/**
 * What every engine operation (update, preview, refresh, destroy) shares: the provider, the working
 * snapshot, the step and error journals, the step-executor limit, and fail-fast cancellation.
 */
import type { PendingOperation } from "./checkpoint";
import { ConcurrencyLimiter } from "./concurrency";
import type { ProviderPlugin } from "./providerPlugin";
import type { WorkingSnapshot } from "./snapshot";
import type { ResourceState } from "./state";
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
  /** Kill the command as soon as a provider call for this URN has returned (see `callProvider`). */
  readonly interrupt?: string;
  /** Stops every provider host of the command; called when it is killed. */
  readonly stopHosts?: () => Promise<void>;
}

/** What the stack's checkpoint holds: the state and the operations not seen to finish. */
export interface Checkpoint {
  readonly resources: ResourceState[];
  readonly pendingOperations: PendingOperation[];
}

/** A command killed mid-step: its last checkpoint and what it had reported until then. */
interface Death {
  readonly checkpoint: Checkpoint;
  readonly result: OperationResult;
}

export class Operation {
  readonly steps: Step[] = [];
  readonly errors: EngineError[] = [];
  readonly warnings: string[] = [];
  readonly outputs: Record<string, PropertyMap> = {};
  readonly limiter: ConcurrencyLimiter;
  /** Set by the first error unless `continueOnError`: no new steps start after it. */
  cancelled = false;
  /** URNs whose steps failed or were skipped; their dependents are skipped. */
  readonly failedUrns = new Set<string>();
  private death: Death | undefined;

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

  /** A warning diagnostic, as the CLI prints them above the summary. */
  warn(message: string): void {
    this.warnings.push(message);
  }

  /**
   * Awaits a step's provider call (sent between the step's `beginMutation` and its end). When the call
   * is the one `interrupt` names, the command dies right after it returned — the provider has done its
   * work, the engine has not recorded it: the checkpoint is frozen as the snapshot manager last wrote it
   * (finished steps, plus every operation still pending, this one included), the hosts are stopped, and
   * the step rejects as cancelled. Whatever happens afterwards reaches neither the state nor the result.
   */
  async callProvider<T>(urn: string, call: () => Promise<T>): Promise<T> {
    let outcome: { value: T } | { error: unknown };
    try {
      outcome = { value: await call() };
    } catch (error) {
      outcome = { error };
    }
    if (this.options.interrupt === urn && !this.death) await this.die();
    if (this.death) {
      throw new RegistrationError(urn, "cancelled", `the command was interrupted; ${urn} was not recorded`);
    }
    if ("error" in outcome) throw outcome.error;
    return outcome.value;
  }

  /** Whether the command was killed (see `callProvider`). */
  get interrupted(): boolean {
    return this.death !== undefined;
  }

  /** The checkpoint to store: the one frozen at the command's death, or the working snapshot now. */
  checkpoint(): Checkpoint {
    if (this.death) return this.death.checkpoint;
    return { resources: this.snapshot.snap(), pendingOperations: this.snapshot.pendingOperations() };
  }

  private async die(): Promise<void> {
    this.cancelled = true;
    this.death = {
      checkpoint: { resources: this.snapshot.snap(), pendingOperations: this.snapshot.pendingOperations() },
      // A killed CLI reports nothing more: the result is what it had shown, marked as interrupted.
      result: { ...this.result(), succeeded: false, interrupted: true },
    };
    await this.options.stopHosts?.();
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
    if (this.death) return this.death.result;
    return {
      kind: this.kind,
      steps: [...this.steps],
      errors: [...this.errors],
      outputs: { ...this.outputs },
      summary: summarize(this.steps),
      succeeded: this.errors.length === 0,
      warnings: [...this.warnings],
      interrupted: false,
    };
  }
}
