import { internalServerError } from "../errors";
import { rubyToS } from "../http/rubyish";
import type { ReleaseProfile } from "../releases";
import type { Contact } from "../store/types";
import { checkBeforeLookup, customAttributeCondition, type DefinitionLookup } from "./customAttributes";
import {
  booleanLiteral,
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

/** The `contacts:` section of `lib/filters/filter_keys.yml`. */
export const CONTACT_FILTER_KEYS: Record<string, FilterAttribute> = {
  name: {
    attributeType: "standard",
    dataType: "text_case_insensitive",
    operators: ["equal_to", "not_equal_to", "contains", "does_not_contain"],
  },
  phone_number: {
    attributeType: "standard",
    dataType: "text",
    operators: ["equal_to", "not_equal_to", "contains", "does_not_contain", "starts_with"],
  },
  email: {
    attributeType: "standard",
    dataType: "text_case_insensitive",
    operators: ["equal_to", "not_equal_to", "contains", "does_not_contain"],
  },
  identifier: {
    attributeType: "standard",
    dataType: "text_case_insensitive",
    operators: ["equal_to", "not_equal_to"],
  },
  country_code: {
    attributeType: "additional_attributes",
    dataType: "text_case_insensitive",
    operators: ["equal_to", "not_equal_to"],
  },
  city: {
    attributeType: "additional_attributes",
    dataType: "text_case_insensitive",
    operators: ["equal_to", "not_equal_to", "contains", "does_not_contain"],
  },
  company_name: {
    attributeType: "additional_attributes",
    dataType: "text_case_insensitive",
    operators: ["equal_to", "not_equal_to", "contains", "does_not_contain"],
  },
  labels: {
    attributeType: "standard",
    dataType: "labels",
    operators: ["equal_to", "not_equal_to", "is_present", "is_not_present"],
  },
  created_at: {
    attributeType: "standard",
    dataType: "date",
    operators: ["is_greater_than", "is_less_than", "days_before"],
  },
  last_activity_at: {
    attributeType: "standard",
    dataType: "date",
    operators: ["is_greater_than", "is_less_than", "days_before"],
  },
  blocked: { attributeType: "standard", dataType: "boolean", operators: ["equal_to", "not_equal_to"] },
};

/** The column as the SQL sees it (`LOWER(...)` for the case-insensitive ones). */
function textExtractor(key: string, attribute: FilterAttribute): (contact: Contact) => string | null {
  const lower = attribute.dataType === "text_case_insensitive";
  const raw = (contact: Contact): string | null => {
    if (attribute.attributeType === "additional_attributes")
      return jsonText(contact.additionalAttributes[key]);
    if (key === "name") return contact.name;
    if (key === "email") return contact.email;
    if (key === "phone_number") return contact.phoneNumber;
    if (key === "identifier") return contact.identifier;
    return null;
  };
  return (contact) => {
    const value = raw(contact);
    return value !== null && lower ? value.toLowerCase() : value;
  };
}

/**
 * `Contacts::FilterService#filter_values`: only the first value counts; phone numbers are compared
 * with a `+` prefixed (to the value without its own `+` signs from the release that strips them,
 * to the value as sent before), strings lower-cased.
 */
function firstValue(key: string, values: unknown, release: ReleaseProfile): unknown {
  const first = Array.isArray(values) ? values[0] : typeof values === "string" ? values.charAt(0) : undefined;
  if (key === "phone_number") {
    if (!release.phoneFilterStripsPlus) return `+${rubyToS(first)}`;
    const text = first === undefined || first === null ? "" : String(first);
    return `+${text.replace(/\+/g, "")}`;
  }
  if (key === "country_code") {
    if (typeof first !== "string") throw internalServerError();
    return first.toLowerCase();
  }
  return typeof first === "string" ? first.toLowerCase() : first;
}

function equalityPredicate(
  key: string,
  attribute: FilterAttribute,
  value: unknown,
  negate: boolean,
): Predicate<Contact> {
  if (attribute.dataType === "boolean") {
    const wanted = booleanLiteral(value);
    return (contact) => (contact.blocked === wanted) !== negate;
  }
  if (attribute.dataType === "labels") {
    const tag = String(value);
    return (contact) => contact.labels.includes(tag) !== negate;
  }
  // A number or boolean compared with a text column is a Postgres type error.
  if (typeof value !== "string") throw internalServerError();
  const extract = textExtractor(key, attribute);
  return (contact) => {
    const current = extract(contact);
    if (current === null) return null;
    return (current === value) !== negate;
  };
}

function buildPredicate(
  condition: ParsedCondition,
  attribute: FilterAttribute,
  release: ReleaseProfile,
): Predicate<Contact> {
  const key = condition.attributeKey;
  const operator = String(condition.filterOperator);
  switch (operator) {
    case "equal_to":
    case "not_equal_to":
      return equalityPredicate(
        key,
        attribute,
        firstValue(key, condition.values, release),
        operator === "not_equal_to",
      );
    case "contains":
    case "does_not_contain":
      return ilikePredicate(
        textExtractor(key, attribute),
        ilikeNeedles(condition.values),
        operator === "does_not_contain",
      );
    case "is_present":
    case "is_not_present":
      if (attribute.dataType === "labels") {
        return (contact) => contact.labels.length > 0 === (operator === "is_present");
      }
      return presencePredicate(textExtractor(key, attribute), operator === "is_present");
    case "is_greater_than":
    case "is_less_than":
    case "days_before":
      return datePredicate(
        key,
        (contact) => (key === "created_at" ? contact.createdAtMs : contact.lastActivityAtMs),
        operator,
        condition.values,
      );
    default: {
      // `starts_with` falls through to Chatwoot's catch-all: equality with the first value's text.
      const value = firstValue(key, condition.values, release);
      return equalityPredicate(
        key,
        attribute,
        value === null || value === undefined ? "" : String(value),
        false,
      );
    }
  }
}

/**
 * `Contacts::FilterService`: validates the payload and returns the predicate over one contact. A key
 * that is not a standard one is a custom attribute when the account defines it for contacts
 * (`lookup`), else invalid.
 */
export function buildContactFilter(
  payload: unknown,
  release: ReleaseProfile,
  lookup: DefinitionLookup = () => undefined,
): Predicate<Contact> {
  const conditions = readConditions(payload);
  validateQueryOperators(conditions);
  const terms: Term<Contact>[] = [];
  let failsInDatabase = false;
  for (const condition of conditions) {
    const key = condition.attributeKey;
    const attribute = CONTACT_FILTER_KEYS[key];
    checkOperatorAndValues(condition, attribute);
    if (attribute) {
      terms.push({
        predicate: buildPredicate(condition, attribute, release),
        queryOperator: condition.queryOperator,
      });
      continue;
    }
    checkBeforeLookup(condition, lookup, "contact_attribute", release);
    const displayType = lookup("contact_attribute", key);
    if (displayType === undefined) return invalidAttribute(key, Object.keys(CONTACT_FILTER_KEYS));
    // `Contacts::FilterService#filter_values`: the first value, lower-cased when it is text.
    const value = firstValue(key, condition.values, release);
    const custom = customAttributeCondition<Contact>(condition, displayType, {
      lookup,
      model: "contact_attribute",
      release,
      attributes: (contact) => contact.customAttributes,
      bound: { equality: [value], asText: rubyToS(value) },
    });
    terms.push(...custom.terms);
    failsInDatabase ||= custom.failsInDatabase;
  }
  const predicate = combineTerms(terms);
  if (failsInDatabase) throw internalServerError();
  return predicate;
}
