/**
 * The value the Pulumi engine sends, during a preview, for an input that is not known yet (an
 * output of a resource that does not exist yet). It is a plain string on the wire.
 */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a value is, or contains anywhere inside, a not-yet-known preview value. */
export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  // An array's values are its items.
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}
