import { internalServerError } from "../errors";
import { findDefinition } from "../domain/customAttributeDefinitions";
import { isBlank, rubyToI, rubyToS } from "../http/rubyish";
import type { ReleaseProfile } from "../releases";
import type { Account, AttributeDisplayType } from "../store/types";
import {
  booleanLiteral,
  ilikeNeedles,
  ilikePredicate,
  invalidValue,
  jsonText,
  parseFilterDate,
  type ParsedCondition,
  type Predicate,
  type Term,
} from "./engine";

/**
 * Filtering on custom attributes as chatwoot app/services/filter_service.rb (4.0.0–4.11.1; from
 * 4.12.0 its custom-attribute half is app/services/filters/custom_attribute_filter_helper.rb) does it.
 * A key that is not a standard filter key is looked up among the account's definitions of the
 * filter's model (`contact_attribute` or `conversation_attribute`): no definition is "Invalid
 * attribute key" (422); with one, the condition is written on `custom_attributes ->> key`, cast to the
 * SQL type of the definition's display type (`ATTRIBUTE_TYPES`), lower-cased for text types.
 *
 * What the SQL string gets wrong is kept, because a real Chatwoot answers that way:
 * - currency and percent have no SQL type, so `(…)::` is a syntax error (500) for every operator;
 * - `not_equal_to` appends ` OR (…) IS NULL` after the condition's own `query_operator`, so it is a
 *   syntax error (500) anywhere but last, and last it ORs the NULL rows in with everything before;
 * - a value or a stored attribute the SQL type cannot read fails the query (500): values when the
 *   statement is planned, stored attributes when Postgres reaches the row.
 */

/** `FilterService::ATTRIBUTE_TYPES`: display type → SQL type; currency and percent have none. */
type SqlType = "text" | "numeric" | "date" | "boolean";
const SQL_TYPES: Partial<Record<AttributeDisplayType, SqlType>> = {
  date: "date",
  text: "text",
  number: "numeric",
  link: "text",
  list: "text",
  checkbox: "boolean",
};

export type FilterModel = "contact_attribute" | "conversation_attribute";

/** The account's definitions as the filter services look them up (`custom_attribute`). */
export type DefinitionLookup = (model: string, key: string) => AttributeDisplayType | null | undefined;

export function definitionLookup(account: Account): DefinitionLookup {
  return (model, key) =>
    model === "contact_attribute" || model === "conversation_attribute" || model === "company_attribute"
      ? findDefinition(account, model, key)?.attributeDisplayType
      : undefined;
}

/** What the SQL type makes of a value; `undefined` when Postgres would refuse it. */
type Typed = string | number | boolean;

const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
/** The ISO forms of a date (optionally with a time, which a cast to date drops). */
const DATE = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}(?::?\d{2})?)?)?\s*$/i;

function readDate(text: string): string | undefined {
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  return date.toISOString().slice(0, 10);
}

/** Postgres' input function of the type, for text (`'…'::type`, a stored `->>` value). */
function readText(text: string, type: SqlType): Typed | undefined {
  switch (type) {
    case "text":
      return text;
    case "numeric":
      return NUMERIC.test(text) ? Number(text) : undefined;
    case "date":
      return readDate(text);
    case "boolean":
      try {
        return booleanLiteral(text);
      } catch {
        return undefined;
      }
  }
}

/**
 * A value ActiveRecord binds next to a typed column: a string is an untyped literal the type reads
 * (or refuses), a number only compares with numeric, true/false only with boolean, nil is NULL.
 */
function bindLiteral(value: unknown, type: SqlType): Typed | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return readText(value, type);
  if (typeof value === "number") return type === "numeric" ? value : undefined;
  if (typeof value === "boolean") return type === "boolean" ? value : undefined;
  return undefined;
}

/** The stored attribute as the SQL reads it: `(… ->> key)::type`, `LOWER(…)` for text. */
function storedValue(raw: unknown, type: SqlType): Typed | null {
  const text = jsonText(raw);
  if (text === null) return null;
  const typed = readText(type === "text" ? text.toLowerCase() : text, type);
  // Postgres reached a row whose value the type cannot read: the whole query fails.
  if (typed === undefined) throw internalServerError();
  return typed;
}

function compare(left: Typed, right: Typed): number {
  if (left === right) return 0;
  // Text compares by code point here; Chatwoot's database collation may order some text otherwise.
  return left < right ? -1 : 1;
}

/** `BigDecimal(value.to_s)`: Ruby's strict decimal syntax, underscores between digits allowed. */
function bigDecimal(raw: unknown): number | undefined {
  const text = rubyToS(raw);
  if (!/^\s*[+-]?(\d[\d_]*(\.[\d_]*)?|\.\d[\d_]*)([eE][+-]?\d+)?\s*$/.test(text)) return undefined;
  return Number(text.replace(/_/g, ""));
}

function firstOf(values: unknown): unknown {
  return Array.isArray(values) ? values[0] : values;
}

/** `days_before`: `Time.zone.today - n.days`, as `strftime` writes it (UTC, Chatwoot's default zone). */
function daysBeforeToday(values: unknown): string {
  const days = rubyToI(firstOf(values));
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The bound value of an `is_greater_than` / `is_less_than` / `days_before` condition and the type it
 * was read as. From 4.12.0 `coerce_lt_gt_value` reads it by the type of the definition found through
 * the condition's `custom_attribute_type` (else the filter's model) and answers "Invalid value" (422)
 * for anything but a date or a number; before, `'value'::type` is written into the SQL, which fails
 * (500) when there is no type, the value holds a quote, or the type cannot read it.
 */
interface Comparison {
  bound: Typed | undefined;
  type: SqlType | undefined;
  /** The statement is refused when Postgres plans it (500). */
  failsInDatabase: boolean;
}

function comparisonBound(
  condition: ParsedCondition,
  lookup: DefinitionLookup,
  model: FilterModel,
  release: ReleaseProfile,
): Comparison {
  const days = condition.filterOperator === "days_before";
  const raw = days ? daysBeforeToday(condition.values) : firstOf(condition.values);
  const named = condition.raw.custom_attribute_type;
  const lookupModel = typeof named === "string" && !isBlank(named) ? named : model;
  const displayType = lookup(lookupModel, condition.attributeKey);
  const type = displayType === null || displayType === undefined ? undefined : SQL_TYPES[displayType];
  if (release.filterCoercesComparisons) {
    if (type === "date")
      return { bound: parseFilterDate(condition.attributeKey, raw), type, failsInDatabase: false };
    const number = type === "numeric" ? bigDecimal(raw) : undefined;
    if (number === undefined) invalidValue(condition.attributeKey);
    return { bound: number, type, failsInDatabase: false };
  }
  const text = rubyToS(raw);
  const bound = type === undefined || text.includes("'") ? undefined : readText(text, type);
  return { bound, type, failsInDatabase: bound === undefined };
}

/**
 * The part of `filter_operation` that runs before the key is looked up (`build_condition_query_string`
 * calls it first), so its errors come first even for a key nobody defined: `values_for_ilike` on a
 * value that is not text (500) and, from 4.12.0, the coercion of a comparison's value (422).
 */
export function checkBeforeLookup(
  condition: ParsedCondition,
  lookup: DefinitionLookup,
  model: FilterModel,
  release: ReleaseProfile,
): void {
  const operator = condition.filterOperator;
  if (operator === "contains" || operator === "does_not_contain") ilikeNeedles(condition.values);
  if (
    release.filterCoercesComparisons &&
    (operator === "is_greater_than" || operator === "is_less_than" || operator === "days_before")
  ) {
    comparisonBound(condition, lookup, model, release);
  }
}

/** The values the entity's `filter_values` binds for `equal_to`, `not_equal_to` and other operators. */
export interface BoundValues {
  /** `= :value` (contacts, one value) or `IN (:value)` (conversations, one value or the list). */
  equality: unknown[];
  /** The catch-all operator's `filter_values(…).to_s`. */
  asText: string;
}

/** `IN (...)` with SQL's NULL rules. */
function membership(current: Typed | null, list: (Typed | null)[], negate: boolean): boolean | null {
  if (current === null) return null;
  if (list.some((item) => item !== null && compare(item, current) === 0)) return !negate;
  if (list.includes(null)) return null;
  return negate;
}

export interface CustomAttributeCondition<T> {
  terms: Term<T>[];
  /** The statement cannot run at all (syntax or type error when planned): 500 once every condition is built. */
  failsInDatabase: boolean;
}

/** `build_custom_attr_query` for a defined attribute: the terms it writes into the WHERE string. */
export function customAttributeCondition<T>(
  condition: ParsedCondition,
  displayType: AttributeDisplayType | null,
  context: {
    lookup: DefinitionLookup;
    model: FilterModel;
    release: ReleaseProfile;
    attributes: (record: T) => Record<string, unknown>;
    bound: BoundValues;
  },
): CustomAttributeCondition<T> {
  const key = condition.attributeKey;
  const type = displayType === null ? undefined : SQL_TYPES[displayType];
  const queryOperator = condition.queryOperator;
  const single = (predicate: Predicate<T>, failsInDatabase = false): CustomAttributeCondition<T> => ({
    terms: [{ predicate, queryOperator }],
    failsInDatabase,
  });
  const operator = String(condition.filterOperator);
  const isComparison =
    operator === "is_greater_than" || operator === "is_less_than" || operator === "days_before";
  const comparison = isComparison
    ? comparisonBound(condition, context.lookup, context.model, context.release)
    : null;
  if (type === undefined) return single(() => null, true);
  const stored = (record: T): Typed | null => storedValue(context.attributes(record)[key], type);

  switch (operator) {
    case "equal_to":
    case "not_equal_to": {
      const literals = context.bound.equality.map((value) => bindLiteral(value, type));
      const unreadable = literals.some((literal) => literal === undefined);
      const wanted = literals.filter((literal): literal is Typed | null => literal !== undefined);
      const negate = operator === "not_equal_to";
      const test: Predicate<T> = (record) => membership(stored(record), wanted, negate);
      if (!negate) return single(test, unreadable);
      // `… != :value <query_operator>  OR (…) IS NULL`: valid only with nothing between the two.
      return {
        terms: [
          { predicate: test, queryOperator: "OR" },
          { predicate: (record) => stored(record) === null, queryOperator },
        ],
        failsInDatabase: unreadable || !isBlank(queryOperator),
      };
    }
    case "contains":
    case "does_not_contain": {
      // `ILIKE` exists for text only.
      if (type !== "text") return single(() => null, true);
      const needles = ilikeNeedles(condition.values);
      return single(
        ilikePredicate((record) => stored(record) as string | null, needles, operator === "does_not_contain"),
      );
    }
    case "is_present":
    case "is_not_present":
      return single((record) => (stored(record) !== null) === (operator === "is_present"));
    case "is_greater_than":
    case "is_less_than":
    case "days_before": {
      const { bound } = comparison as Comparison;
      // A value read as another type than the column's has no comparison operator (date > numeric).
      if (bound === undefined || comparison?.failsInDatabase || comparison?.type !== type) {
        return single(() => null, true);
      }
      const sign = operator === "is_greater_than" ? 1 : -1;
      return single((record) => {
        const value = stored(record);
        return value === null ? null : compare(value, bound) === sign;
      });
    }
    default: {
      // Any other operator: `= :value` with the entity's `filter_values(…).to_s`.
      const literal = bindLiteral(context.bound.asText, type);
      if (literal === undefined || literal === null) return single(() => null, literal === undefined);
      return single((record) => membership(stored(record), [literal], false));
    }
  }
}
