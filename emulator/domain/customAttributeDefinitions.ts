import { internalServerError } from "../errors";
import { isBlank, rubyStrip } from "../http/rubyish";
import type { ReleaseProfile } from "../releases";
import type {
  Account,
  AttributeDisplayType,
  AttributeModel,
  CustomAttributeDefinition,
} from "../store/types";
import { checkColumnLength, STRING_COLUMN_LIMIT, TEXT_COLUMN_LIMIT, ValidationErrors } from "./validation";

/**
 * Custom attribute definitions as chatwoot app/models/custom_attribute_definition.rb holds them:
 * the two integer enums, the validations in their order, and the keys reserved for the standard
 * attributes of each model.
 */

/** `enum attribute_model`, in value order (`company_attribute: 2` from 4.14.0). */
const ATTRIBUTE_MODELS: readonly AttributeModel[] = [
  "conversation_attribute",
  "contact_attribute",
  "company_attribute",
];

/** `enum attribute_display_type`, in value order. */
export const DISPLAY_TYPES: readonly AttributeDisplayType[] = [
  "text",
  "number",
  "currency",
  "percent",
  "link",
  "date",
  "list",
  "checkbox",
];

export function attributeModels(release: ReleaseProfile): readonly AttributeModel[] {
  return release.companyAttributes ? ATTRIBUTE_MODELS : ATTRIBUTE_MODELS.slice(0, 2);
}

/** `CustomAttributeDefinition::STANDARD_ATTRIBUTES`, per model, as the release has them. */
function standardAttributes(model: AttributeModel, release: ReleaseProfile): readonly string[] {
  switch (model) {
    case "conversation_attribute":
      return [
        "status",
        "priority",
        "assignee_id",
        "inbox_id",
        "team_id",
        "display_id",
        "campaign_id",
        "labels",
        "browser_language",
        "country_code",
        "referer",
        "created_at",
        "last_activity_at",
      ];
    case "contact_attribute":
      return [
        "name",
        "email",
        "phone_number",
        "identifier",
        "country_code",
        "city",
        ...(release.companyAttributes ? ["company_name"] : []),
        "created_at",
        "last_activity_at",
        "referer",
        "blocked",
      ];
    case "company_attribute":
      return [
        "name",
        "domain",
        "description",
        "contacts_count",
        "created_at",
        "updated_at",
        "last_activity_at",
      ];
  }
}

/**
 * Assigning a value to a Rails enum attribute (`ActiveRecord::Enum::EnumType`, Rails 7.x): a name
 * or an integer value is taken, a blank value becomes nil, anything else raises `ArgumentError`,
 * which this controller does not rescue (500). A numeric string ("1") is neither a name nor a value.
 */
export function castEnum<T extends string>(
  value: string | number | boolean | null,
  names: readonly T[],
): T | null {
  if (value === null || value === false || (typeof value === "string" && value.trim() === "")) return null;
  if (typeof value === "string" && (names as readonly string[]).includes(value)) return value as T;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value < names.length) {
    return names[value] as T;
  }
  throw internalServerError();
}

/** The account's definition of `key` for `model` (`custom_attribute_definitions.where(...).find_by`). */
export function findDefinition(
  account: Account,
  model: AttributeModel,
  key: string,
): CustomAttributeDefinition | undefined {
  for (const definition of account.customAttributeDefinitions.values()) {
    if (definition.attributeModel === model && definition.attributeKey === key) return definition;
  }
  return undefined;
}

/** `\A[\p{L}\p{N}_.\-]+\z` (from 4.12.0). */
const KEY_FORMAT = /^[\p{L}\p{N}_.-]+$/u;
const KEY_FORMAT_MESSAGE = "must only contain letters, numbers, underscores, hyphens, and dots";
/** `errors.custom_attribute_definition.key_conflict` (config/locales/en.yml). */
const KEY_CONFLICT_MESSAGE = "The provided key is not allowed as it might conflict with default attributes.";

/**
 * Runs the model's validation callbacks in Chatwoot's order on an assigned definition and answers
 * the errors: `ApplicationRecord#validates_column_content_length` (before_validation, on the values
 * as sent), then from 4.12.0 `normalize_attribute_fields` (strips key and display name), then the
 * `validates` lines in declaration order and, on create only, `attribute_must_not_conflict`.
 */
export function validateDefinition(
  account: Account,
  definition: CustomAttributeDefinition,
  release: ReleaseProfile,
  onCreate: boolean,
): ValidationErrors {
  const errors = new ValidationErrors();
  checkColumnLength(errors, "attribute_display_name", definition.attributeDisplayName, STRING_COLUMN_LIMIT);
  checkColumnLength(errors, "attribute_key", definition.attributeKey, STRING_COLUMN_LIMIT);
  checkColumnLength(errors, "attribute_description", definition.attributeDescription, TEXT_COLUMN_LIMIT);
  checkColumnLength(errors, "regex_pattern", definition.regexPattern, STRING_COLUMN_LIMIT);
  checkColumnLength(errors, "regex_cue", definition.regexCue, STRING_COLUMN_LIMIT);
  if (release.customAttributeKeyFormat) {
    if (!isBlank(definition.attributeKey)) definition.attributeKey = rubyStrip(definition.attributeKey ?? "");
    if (!isBlank(definition.attributeDisplayName)) {
      definition.attributeDisplayName = rubyStrip(definition.attributeDisplayName ?? "");
    }
  }
  if (isBlank(definition.attributeDisplayName)) errors.add("attribute_display_name", "can't be blank");
  const key = definition.attributeKey;
  if (isBlank(key)) errors.add("attribute_key", "can't be blank");
  // Rails' uniqueness validator compares exactly (Postgres, case-sensitive), scoped to account and model.
  const taken = [...account.customAttributeDefinitions.values()].some(
    (other) =>
      other.id !== definition.id &&
      other.attributeKey === key &&
      other.attributeModel === definition.attributeModel,
  );
  if (taken) errors.add("attribute_key", "has already been taken");
  if (release.customAttributeKeyFormat && !KEY_FORMAT.test(key ?? "")) {
    errors.add("attribute_key", KEY_FORMAT_MESSAGE);
  }
  if (definition.attributeDisplayType === null) errors.add("attribute_display_type", "can't be blank");
  if (definition.attributeModel === null) errors.add("attribute_model", "can't be blank");
  if (onCreate && release.customAttributeKeyConflict) {
    // `attribute_model.to_sym` on nil raises NoMethodError until 4.14.0, whose
    // `attribute_model.to_s.delete_suffix('_attribute')` finds no list and skips the check.
    if (definition.attributeModel === null) {
      if (!release.companyAttributes) throw internalServerError();
    } else if (key !== null && standardAttributes(definition.attributeModel, release).includes(key)) {
      errors.add("attribute_key", KEY_CONFLICT_MESSAGE);
    }
  }
  return errors;
}
