import type { RecordedRequest } from "./emulatorProcess";

export type OperationName = "create" | "noop" | "refresh" | "destroy";
export const OPERATIONS: readonly OperationName[] = ["create", "noop", "refresh", "destroy"];

/** One side (raw or provider) of one operation. */
export interface SideMeasure {
  readonly ms: number;
  readonly requests: number;
  /** Requests by `METHOD route`, over the whole operation. */
  readonly byRoute: Record<string, number>;
  /** Answers that were not 2xx (a 404 on a lookup, say), by status. */
  readonly failedAnswers: Record<string, number>;
}

export interface OperationMeasure {
  readonly operation: OperationName;
  readonly raw: SideMeasure;
  readonly provider: SideMeasure & { readonly hostPeakBytes: number | undefined };
  /** Provider time over raw time; `null` when raw does nothing (a no-op `up`). */
  readonly ratio: number | null;
}

export interface ScenarioMeasure {
  readonly pairs: number;
  readonly latencyMs: number;
  readonly operations: OperationMeasure[];
  readonly state: {
    readonly bytes: number;
    readonly resources: number;
    readonly bytesPerResource: number;
    /** `__provider` text of each class; the engine stores it twice a resource (inputs and outputs). */
    readonly providerBytes: Record<string, number>;
  };
  /** What Chatwoot held after each side's create: equal when both made the same end state. */
  readonly countsAfterCreate: { readonly raw: unknown; readonly provider: unknown };
}

export function sideMeasure(ms: number, requests: readonly RecordedRequest[]): SideMeasure {
  const byRoute: Record<string, number> = {};
  const failedAnswers: Record<string, number> = {};
  for (const request of requests) {
    const key = `${request.method} ${request.route}`;
    byRoute[key] = (byRoute[key] ?? 0) + 1;
    if (!request.status.startsWith("2"))
      failedAnswers[request.status] = (failedAnswers[request.status] ?? 0) + 1;
  }
  return { ms, requests: requests.length, byRoute, failedAnswers };
}
