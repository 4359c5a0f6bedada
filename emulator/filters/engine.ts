import { internalServerError, unprocessable } from "../errors";
import { isBlank, isPlainObject, rubyToI, type JsonObject } from "../http/rubyish";
import { likePattern } from "./like";

/**
 * Chatwoot's `FilterService` builds one SQL WHERE string from the filter payload; the emulator builds
 * the same conditions as predicates instead, with SQL's three-valued logic (a NULL column makes `=`,
 * `!=` and `ILIKE` unknown, so such rows never match either way) and SQL operator precedence
 * (`AND` binds tighter than `OR`). Validation errors use Chatwoot's exact texts.
 */

export type Truth = boolean | null;
export type Predicate<T> = (record: T) => Truth;

export interface FilterAttribute {
  attributeType: "standard" | "additional_attributes";
  dataType: string;
  operators: readonly string[];
}

export function invalidOperator(attribute: string, allowed: readonly string[]): never {
  throw unprocessable(`Invalid operator. The allowed operators for ${attribute} are [${allowed.join(",")}].`);
}

export function invalidValue(attribute: string): never {
  throw unprocessable(`Invalid value. The values provided for ${attribute} are invalid`);
}

export function invalidAttribute(key: string, allowed: readonly string[]): never {
  throw unprocessable(
    `Invalid attribute key - [${key}]. The key should be one of [${allowed.join(",")}] or a custom attribute defined in the account.`,
  );
}

export interface ParsedCondition {
  attributeKey: string;
  filterOperator: unknown;
  values: unknown;
  queryOperator: string | null;
  raw: JsonObject;
}

/** The `payload` array; anything that is not an array of objects crashes the Ruby code (500). */
export function readConditions(payload: unknown): ParsedCondition[] {
  if (!Array.isArray(payload)) throw internalServerError();
  return payload.map((entry) => {
    if (!isPlainObject(entry)) throw internalServerError();
    const queryOperator = entry.query_operator;
    if (queryOperator !== undefined && queryOperator !== null && typeof queryOperator !== "string") {
      throw internalServerError();
    }
    return {
      attributeKey:
        typeof entry.attribute_key === "string" ? entry.attribute_key : String(entry.attribute_key ?? ""),
      filterOperator: entry.filter_operator,
      values: entry.values,
      queryOperator: typeof queryOperator === "string" ? queryOperator : null,
      raw: entry,
    };
  });
}

/** `validate_query_operator`: every non-empty `query_operator` must be AND or OR (any case). */
export function validateQueryOperators(conditions: readonly ParsedCondition[]): void {
  for (const condition of conditions) {
    if (condition.queryOperator === null || condition.queryOperator === "") continue;
    const operator = condition.queryOperator.toUpperCase();
    if (operator !== "AND" && operator !== "OR")
      throw unprocessable('Query operator must be either "AND" or "OR".');
  }
}

/** The checks `build_condition_query` makes before it knows whether the attribute exists. */
export function checkOperatorAndValues(
  condition: ParsedCondition,
  attribute: FilterAttribute | undefined,
): void {
  if (attribute && !attribute.operators.includes(String(condition.filterOperator))) {
    invalidOperator(condition.attributeKey, attribute.operators);
  }
  const operator = condition.filterOperator;
  if (operator !== "is_present" && operator !== "is_not_present" && isBlank(condition.values)) {
    invalidValue(condition.attributeKey);
  }
}

function and(left: Truth, right: Truth): Truth {
  if (left === false || right === false) return false;
  if (left === null || right === null) return null;
  return true;
}

function or(left: Truth, right: Truth): Truth {
  if (left === true || right === true) return true;
  if (left === null || right === null) return null;
  return false;
}

/** One condition's piece of the WHERE string: its test and the `query_operator` written after it. */
export interface Term<T> {
  predicate: Predicate<T>;
  queryOperator: string | null;
}

/**
 * Joins the predicates as the SQL string does: each condition is followed by its own
 * `query_operator`, so a trailing operator on the last condition is a syntax error (500).
 */
export function combine<T>(predicates: Predicate<T>[], conditions: readonly ParsedCondition[]): Predicate<T> {
  return combineTerms(
    predicates.map((predicate, index) => ({
      predicate,
      queryOperator: conditions[index]?.queryOperator ?? null,
    })),
  );
}

/** `combine` for terms, where one condition may write more than one (`… OR … IS NULL`). */
export function combineTerms<T>(terms: readonly Term<T>[]): Predicate<T> {
  const predicates = terms.map((term) => term.predicate);
  const operators = terms.map((term) => (term.queryOperator ?? "").trim().toUpperCase());
  if (operators.length > 0 && operators[operators.length - 1] !== "") throw internalServerError();
  for (let index = 0; index < operators.length - 1; index += 1) {
    // Two conditions with nothing between them are a syntax error as well.
    if (operators[index] === "") throw internalServerError();
  }
  if (predicates.length === 0) return () => true;
  // OR of AND-groups.
  const groups: Predicate<T>[][] = [[]];
  predicates.forEach((predicate, index) => {
    groups[groups.length - 1]?.push(predicate);
    if (operators[index] === "OR") groups.push([]);
  });
  return (record) => {
    let result: Truth = false;
    for (const group of groups) {
      let groupResult: Truth = true;
      for (const predicate of group) {
        groupResult = and(groupResult, predicate(record));
        if (groupResult === false) break;
      }
      result = or(result, groupResult);
      if (result === true) return true;
    }
    return result;
  };
}

/** `values_for_ilike`: `%value%` patterns from an array or a single string (other types crash: 500). */
export function ilikeNeedles(values: unknown): RegExp[] {
  const list = Array.isArray(values) ? values : [values];
  return list.map((item) => {
    if (typeof item !== "string") throw internalServerError();
    return likePattern(`%${item.trim()}%`, true);
  });
}

/** `ILIKE ANY (ARRAY['%a%', …])`; negated, `NOT ILIKE ALL`. */
export function ilikePredicate<T>(
  extract: (record: T) => string | null,
  needles: RegExp[],
  negate: boolean,
): Predicate<T> {
  return (record) => {
    const value = extract(record);
    if (value === null) return null;
    const matched = needles.some((needle) => needle.test(value));
    return negate ? !matched : matched;
  };
}

export function presencePredicate<T>(extract: (record: T) => unknown, present: boolean): Predicate<T> {
  return (record) => {
    const value = extract(record);
    return present ? value !== null && value !== undefined : value === null || value === undefined;
  };
}

/** `Date.iso8601(value.to_s)` for date comparisons; anything else is an invalid value. */
export function parseFilterDate(attribute: string, raw: unknown): string {
  const text = typeof raw === "string" || typeof raw === "number" ? String(raw) : "";
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  if (!match) invalidValue(attribute);
  const [, year, month, day] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(day)) invalidValue(attribute);
  return date.toISOString().slice(0, 10);
}

/** `(table.column)::date > :value` and friends. */
export function datePredicate<T>(
  attribute: string,
  extract: (record: T) => number | null,
  operator: string,
  values: unknown,
): Predicate<T> {
  let bound: string;
  let comparison: "gt" | "lt";
  if (operator === "days_before") {
    const days = rubyToI(Array.isArray(values) ? values[0] : values);
    bound = new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
    comparison = "lt";
  } else {
    bound = parseFilterDate(attribute, Array.isArray(values) ? values[0] : values);
    comparison = operator === "is_less_than" ? "lt" : "gt";
  }
  return (record) => {
    const ms = extract(record);
    if (ms === null) return null;
    const day = new Date(ms).toISOString().slice(0, 10);
    return comparison === "gt" ? day > bound : day < bound;
  };
}

/** What Postgres' `boolin` reads as true and false (case and surrounding spaces ignored, unique prefixes taken). */
const PG_TRUE = new Set(["t", "tr", "tru", "true", "y", "ye", "yes", "on", "1"]);
const PG_FALSE = new Set(["f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0"]);

/** A value compared with a boolean column; Postgres rejects what it cannot read as a boolean (500). */
export function booleanLiteral(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    const text = value.trim().toLowerCase();
    if (PG_TRUE.has(text)) return true;
    if (PG_FALSE.has(text)) return false;
  }
  throw internalServerError();
}

/** `->>` on a jsonb object: the text form of the value, or NULL. */
export function jsonText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
