/** What one way of running the root program hands back to the summary. */
export interface SeedRun {
  /** The program's stack outputs, as plain values. */
  readonly outputs: Record<string, unknown>;
  /** Lines about the run itself: what changed and how long it took. */
  readonly report: readonly string[];
}

/** A run that failed; `details` is the tool's own account (already redacted by the caller). */
export class SeedRunError extends Error {
  override readonly name = "SeedRunError";

  constructor(
    message: string,
    readonly details: string,
  ) {
    super(message);
  }
}

/** `{ create: 80, same: 1 }` → `80 created, 1 unchanged`. */
export function describeStepCounts(summary: Readonly<Record<string, number>>): string {
  const words: Record<string, string> = {
    create: "created",
    same: "unchanged",
    update: "updated",
    delete: "deleted",
    replace: "replaced",
  };
  const parts = Object.entries(summary)
    .filter(([op]) => op in words)
    .map(([op, count]) => `${count} ${words[op]}`);
  return parts.length > 0 ? parts.join(", ") : "nothing to do";
}
