/**
 * Small re-implementations of the Ruby/Rails semantics Chatwoot's controllers rely on when they read
 * request parameters. The emulator must treat `""`, `"  "`, `[]` and `{}` the way Rails does, or
 * the status codes it answers drift from the real server's.
 */

export type JsonObject = { [key: string]: unknown };

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Ruby's `blank?`: nil, false, whitespace-only strings and empty collections. */
export function isBlank(value: unknown): boolean {
  if (value === undefined || value === null || value === false) return true;
  if (typeof value === "string") return value.trim() === "";
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

export function isPresent(value: unknown): boolean {
  return !isBlank(value);
}

const FALSE_VALUES = new Set<unknown>([false, 0, "0", "f", "F", "false", "FALSE", "off", "OFF"]);

/** `ActiveModel::Type::Boolean.new.cast`: `""`/nil stay nil, a fixed set of values are false, the rest true. */
export function castBoolean(value: unknown): boolean | null {
  if (value === undefined || value === null || value === "") return null;
  return !FALSE_VALUES.has(value);
}

/** Ruby's `String#to_i`: optional leading whitespace and sign, then digits; anything else yields 0. */
export function rubyToI(value: unknown): number {
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) : 0;
  if (value === true) return 1;
  if (typeof value !== "string") return 0;
  const match = /^\s*([+-]?)(\d[\d_]*)/.exec(value);
  if (!match) return 0;
  const digits = (match[2] ?? "0").replace(/_/g, "");
  const parsed = Number.parseInt(digits, 10);
  return match[1] === "-" ? -parsed : parsed;
}

/**
 * How ActiveRecord casts a request value into an integer id column before a `find`: anything that
 * does not yield a positive id can never match a row.
 */
export function toRecordId(value: unknown): number | null {
  if (value === undefined || value === null || Array.isArray(value) || isPlainObject(value)) return null;
  if (value === false) return null;
  const id = rubyToI(value);
  return id > 0 && id <= 2147483647 ? id : null;
}

/**
 * Strong parameters only let scalars through `permit(:attr)`; hashes and arrays are silently dropped.
 * Returns `undefined` for "not permitted / absent".
 */
export function permittedScalar(value: unknown): string | number | boolean | null | undefined {
  if (value === undefined) return undefined;
  if (
    value === null ||
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "boolean"
  ) {
    return value;
  }
  return undefined;
}

/** How ActiveModel casts a permitted scalar into a string column. */
export function castString(value: string | number | boolean | null): string | null {
  if (value === null) return null;
  if (value === true) return "t";
  if (value === false) return "f";
  return String(value);
}

/** Length in characters (code points), as Ruby's `String#length` counts them. */
export function charLength(value: string): number {
  let count = 0;
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < value.length) index += 1;
    count += 1;
  }
  return count;
}

/** ActiveSupport's `humanize` as used in validation messages (`phone_number` → `Phone number`, `source_id` → `Source`). */
export function humanizeAttribute(attribute: string): string {
  const withoutIdSuffix = attribute.endsWith("_id") ? attribute.slice(0, -3) : attribute;
  const spaced = withoutIdSuffix.replace(/_/g, " ").trim();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

/** Ruby's `String#capitalize`: first character upper-cased, the rest lower-cased. */
export function rubyCapitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1).toLowerCase();
}

/** Ruby's `value.to_s` for the few value kinds request parameters can hold. */
export function rubyToS(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/**
 * Ruby's `String#downcase`, which `Label` and `Team` apply before validating: full Unicode
 * lower-casing, character by character. JavaScript's `toLowerCase` on a whole string also turns a
 * word-final `Σ` into `ς`, which Ruby does not (`"ΟΔΟΣ".downcase` is `"οδοσ"`).
 */
export function rubyDowncase(text: string): string {
  return Array.from(text, (character) => character.toLowerCase()).join("");
}

/** Ruby's `String#strip`: ASCII whitespace and NUL only (JavaScript's `trim` also strips Unicode spaces). */
export function rubyStrip(value: string): string {
  return value.replace(/^[\0\t\n\v\f\r ]+|[\0\t\n\v\f\r ]+$/g, "");
}
