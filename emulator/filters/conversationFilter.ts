import { internalServerError } from "../errors";
import type { Conversation } from "../store/types";
import { CONVERSATION_STATUSES, PRIORITIES } from "../domain/conversations";
import { rubyToS } from "../http/rubyish";
import type { ReleaseProfile } from "../releases";
import { checkBeforeLookup, customAttributeCondition, type DefinitionLookup } from "./customAttributes";
import {
  checkOperatorAndValues,
  combineTerms,
  datePredicate,
  type FilterAttribute,
  ilikeNeedles,
  ilikePredicate,
  invalidAttribute,
  jsonText,
  type ParsedCondition,
  type Predicate,
  presencePredicate,
  readConditions,
  type Term,
  validateQueryOperators,
} from "./engine";

const EQUALITY = ["equal_to", "not_equal_to"];
const EQUALITY_AND_PRESENCE = ["equal_to", "not_equal_to", "is_present", "is_not_present"];
const DATES = ["is_greater_than", "is_less_than", "days_before"];

/** The `conversations:` section of `lib/filters/filter_keys.yml`. */
export const CONVERSATION_FILTER_KEYS: Record<string, FilterAttribute> = {
  status: { attributeType: "standard", dataType: "text", operators: EQUALITY },
  assignee_id: { attributeType: "standard", dataType: "text", operators: EQUALITY_AND_PRESENCE },
  inbox_id: { attributeType: "standard", dataType: "text", operators: EQUALITY_AND_PRESENCE },
  team_id: { attributeType: "standard", dataType: "number", operators: EQUALITY_AND_PRESENCE },
  contact_id: { attributeType: "standard", dataType: "number", operators: EQUALITY },
  priority: { attributeType: "standard", dataType: "text", operators: EQUALITY },
  display_id: {
    attributeType: "standard",
    dataType: "Number",
    operators: ["equal_to", "not_equal_to", "contains", "does_not_contain"],
  },
  campaign_id: { attributeType: "standard", dataType: "Number", operators: EQUALITY_AND_PRESENCE },
  labels: { attributeType: "standard", dataType: "labels", operators: EQUALITY_AND_PRESENCE },
  browser_language: { attributeType: "additional_attributes", dataType: "text", operators: EQUALITY },
  conversation_language: { attributeType: "additional_attributes", dataType: "text", operators: EQUALITY },
  referer: {
    attributeType: "additional_attributes",
    dataType: "link",
    operators: ["equal_to", "not_equal_to", "contains", "does_not_contain"],
  },
  created_at: { attributeType: "standard", dataType: "date", operators: DATES },
  last_activity_at: { attributeType: "standard", dataType: "date", operators: DATES },
  mail_subject: {
    attributeType: "additional_attributes",
    dataType: "text",
    operators: ["equal_to", "not_equal_to", "contains", "does_not_contain"],
  },
};

const INTEGER_COLUMNS: Record<string, (conversation: Conversation) => number | null> = {
  assignee_id: (conversation) => conversation.assigneeId,
  inbox_id: (conversation) => conversation.inbox.id,
  team_id: (conversation) => conversation.teamId,
  contact_id: (conversation) => conversation.contact.id,
  display_id: (conversation) => conversation.displayId,
  campaign_id: () => null,
};

/** A value bound next to an integer column: Postgres reads integer literals and rejects the rest (500). */
function integerLiteral(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  throw internalServerError();
}

function valueList(values: unknown): unknown[] {
  return Array.isArray(values) ? values : [values];
}

/** `IN (...)` / `NOT IN (...)` with SQL NULL semantics. */
function membership<T>(current: T | null, list: (T | null)[], negate: boolean): boolean | null {
  if (current === null) return null;
  if (list.includes(current)) return !negate;
  if (list.includes(null)) return null;
  return negate;
}

function enumIndexes(names: readonly string[], values: unknown, allowAll: boolean): (number | null)[] {
  if (!Array.isArray(values)) throw internalServerError();
  if (allowAll && values.includes("all")) return names.map((_, index) => index);
  return values.map((value) => {
    const index = names.indexOf(String(value));
    return index === -1 ? null : index;
  });
}

function equalityPredicate(
  condition: ParsedCondition,
  attribute: FilterAttribute,
  negate: boolean,
): Predicate<Conversation> {
  const key = condition.attributeKey;
  if (key === "status") {
    const wanted = enumIndexes(CONVERSATION_STATUSES, condition.values, true);
    return (conversation) => membership(CONVERSATION_STATUSES.indexOf(conversation.status), wanted, negate);
  }
  if (key === "priority") {
    const wanted = enumIndexes(PRIORITIES, condition.values, false);
    return (conversation) =>
      membership(
        conversation.priority === null ? null : PRIORITIES.indexOf(conversation.priority),
        wanted,
        negate,
      );
  }
  if (attribute.dataType === "labels") {
    const wanted = valueList(condition.values).map((value) => String(value));
    return (conversation) => conversation.labels.some((label) => wanted.includes(label)) !== negate;
  }
  const integerColumn = INTEGER_COLUMNS[key];
  if (integerColumn) {
    const wanted = valueList(condition.values).map(integerLiteral);
    return (conversation) => membership(integerColumn(conversation), wanted, negate);
  }
  const wanted = valueList(condition.values).map((value) => (value === null ? null : String(value)));
  return (conversation) => membership(jsonText(conversation.additionalAttributes[key]), wanted, negate);
}

function buildPredicate(condition: ParsedCondition, attribute: FilterAttribute): Predicate<Conversation> {
  const key = condition.attributeKey;
  const operator = String(condition.filterOperator);
  switch (operator) {
    case "equal_to":
    case "not_equal_to":
      return equalityPredicate(condition, attribute, operator === "not_equal_to");
    case "contains":
    case "does_not_contain": {
      const needles = ilikeNeedles(condition.values);
      // `ILIKE` on an integer column does not exist in Postgres.
      if (INTEGER_COLUMNS[key]) throw internalServerError();
      return ilikePredicate(
        (conversation) => jsonText(conversation.additionalAttributes[key]),
        needles,
        operator === "does_not_contain",
      );
    }
    case "is_present":
    case "is_not_present": {
      if (attribute.dataType === "labels") {
        return (conversation) => conversation.labels.length > 0 === (operator === "is_present");
      }
      const column = INTEGER_COLUMNS[key];
      return presencePredicate(
        (conversation) => (column ? column(conversation) : jsonText(conversation.additionalAttributes[key])),
        operator === "is_present",
      );
    }
    default:
      return datePredicate(
        key,
        (conversation) => (key === "created_at" ? conversation.createdAtMs : conversation.lastActivityAtMs),
        operator,
        condition.values,
      );
  }
}

/** Ruby's `to_s` of the values a condition binds (an array prints as `["a", 5]`). */
function rubyText(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((item) => (typeof item === "string" ? JSON.stringify(item) : rubyText(item))).join(", ")}]`;
  return rubyToS(value);
}

/**
 * `FilterService#case_insensitive_values` once `@custom_attribute_type` is set: a first value that is
 * text is bound alone, lower-cased. The instance variable is set by the first custom-attribute
 * condition and never cleared, so every later condition but `status` and `priority` binds this way.
 */
function afterCustomAttribute(values: unknown): unknown {
  if (typeof values === "string") return [values.toLowerCase()];
  if (Array.isArray(values) && typeof values[0] === "string") return [values[0].toLowerCase()];
  return values;
}

/**
 * `Conversations::FilterService` conditions as one predicate. A key that is not a standard one is a
 * custom attribute when the account defines it for conversations (`lookup`), else invalid.
 */
export function buildConversationFilter(
  payload: unknown,
  release: ReleaseProfile,
  lookup: DefinitionLookup = () => undefined,
): Predicate<Conversation> {
  const conditions = readConditions(payload);
  validateQueryOperators(conditions);
  const terms: Term<Conversation>[] = [];
  let failsInDatabase = false;
  let customAttributeSeen = false;
  for (const parsed of conditions) {
    const key = parsed.attributeKey;
    const attribute = CONVERSATION_FILTER_KEYS[key];
    checkOperatorAndValues(parsed, attribute);
    if (attribute) {
      // Only `equal_to`/`not_equal_to` bind `filter_values`; `contains` binds `values_for_ilike`.
      const equality = parsed.filterOperator === "equal_to" || parsed.filterOperator === "not_equal_to";
      const rebound = customAttributeSeen && equality && key !== "status" && key !== "priority";
      const condition = rebound ? { ...parsed, values: afterCustomAttribute(parsed.values) } : parsed;
      terms.push({ predicate: buildPredicate(condition, attribute), queryOperator: condition.queryOperator });
      continue;
    }
    checkBeforeLookup(parsed, lookup, "conversation_attribute", release);
    const displayType = lookup("conversation_attribute", key);
    if (displayType === undefined) return invalidAttribute(key, Object.keys(CONVERSATION_FILTER_KEYS));
    customAttributeSeen = true;
    const values = afterCustomAttribute(parsed.values);
    const custom = customAttributeCondition<Conversation>(parsed, displayType, {
      lookup,
      model: "conversation_attribute",
      release,
      attributes: (conversation) => conversation.customAttributes,
      bound: {
        equality: valueList(values),
        asText: rubyText(
          Array.isArray(values) && values.length === 1 && typeof values[0] === "string" ? values[0] : values,
        ),
      },
    });
    terms.push(...custom.terms);
    failsInDatabase ||= custom.failsInDatabase;
  }
  const predicate = combineTerms(terms);
  if (failsInDatabase) throw internalServerError();
  return predicate;
}
