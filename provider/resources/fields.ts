import { containsUnknown } from "../validation/unknown";
import { deepEqual } from "./equality";

/** What happens when an input field changes (README tables are generated from this). */
export type ChangeBehaviour =
  /** Changed in Chatwoot without replacing the resource. */
  | "update"
  /** A change deletes and re-creates the resource (or creates a new one, where Chatwoot cannot delete). */
  | "replace"
  /** Read when the resource is created and ignored afterwards. */
  | "create-only"
  /** An output only: set by Chatwoot or the provider. */
  | "computed";

export interface FieldSpec {
  readonly type: string;
  readonly behaviour: ChangeBehaviour;
  readonly description: string;
  /**
   * What leaving the field out of the program means once the resource exists: `"empty"` means the
   * provider clears it in Chatwoot (the value given here), `"unmanaged"` means it keeps whatever
   * Chatwoot holds.
   */
  readonly whenOmitted?: { readonly kind: "empty"; readonly value: unknown } | { readonly kind: "unmanaged" };
}

export type FieldSpecs = Readonly<Record<string, FieldSpec>>;

export interface InputDiff {
  /** Fields whose desired value differs from the recorded one (or is not known yet). */
  readonly changed: string[];
  /** The changed fields that force a replacement. */
  readonly replaces: string[];
}

/** Compares the desired inputs with the recorded outputs, field by field, per the specs. */
export function diffFields(
  specs: FieldSpecs,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): InputDiff {
  const changed: string[] = [];
  const replaces: string[] = [];
  for (const [field, spec] of Object.entries(specs)) {
    if (spec.behaviour === "computed" || spec.behaviour === "create-only") continue;
    const desired = desiredValue(spec, news[field]);
    if (desired === KEEP) continue;
    const recorded = olds[field] ?? emptyValue(spec);
    if (containsUnknown(desired) || !deepEqual(recorded, desired)) {
      changed.push(field);
      if (spec.behaviour === "replace") replaces.push(field);
    }
  }
  return { changed, replaces };
}

const KEEP = Symbol("keep what Chatwoot holds");

function desiredValue(spec: FieldSpec, value: unknown): unknown {
  if (value !== undefined && value !== null) return value;
  return spec.whenOmitted?.kind === "empty" ? spec.whenOmitted.value : KEEP;
}

function emptyValue(spec: FieldSpec): unknown {
  return spec.whenOmitted?.kind === "empty" ? spec.whenOmitted.value : undefined;
}
