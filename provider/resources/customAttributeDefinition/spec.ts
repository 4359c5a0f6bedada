import { z } from "zod";
import { MAX_STRING_LENGTH, flag, nonEmptyShortText, positiveId, shortText } from "../../validation/rules";
import type { FieldSpecs } from "../fields";

/** Which records a definition describes: Chatwoot's `attribute_model` without its `_attribute` suffix. */
export const ATTRIBUTE_MODELS = ["contact", "conversation"] as const;
export type AttributeModel = (typeof ATTRIBUTE_MODELS)[number];

/** `CustomAttributeDefinition`'s `attribute_display_type` enum (chatwoot app/models/custom_attribute_definition.rb). */
export const DISPLAY_TYPES = [
  "text",
  "number",
  "currency",
  "percent",
  "link",
  "date",
  "list",
  "checkbox",
] as const;
export type DisplayType = (typeof DISPLAY_TYPES)[number];

/** A definition's inputs as the provider receives them (plain values, after `check`). */
export interface CustomAttributeDefinitionInputs {
  accountId?: number;
  attributeModel?: AttributeModel;
  attributeKey?: string;
  displayName?: string;
  displayType?: DisplayType;
  description?: string;
  listValues?: string[];
  regexPattern?: string;
  regexCue?: string;
  adopt?: boolean;
}

/** A definition's outputs: every input as Chatwoot stored it, plus its id. */
export interface CustomAttributeDefinitionOutputs {
  definitionId: number;
  accountId: number;
  attributeModel: string;
  attributeKey: string;
  displayName: string;
  displayType: string;
  description?: string;
  listValues: string[];
  regexPattern?: string;
  regexCue?: string;
  adopt?: boolean;
  adopted: boolean;
}

/**
 * Chatwoot's key format from 4.12.0 (`\A[\p{L}\p{N}_.\-]+\z`, app/models/custom_attribute_definition.rb);
 * older releases take any key, but a key with spaces cannot be typed in their dashboard either
 * (`AddAttribute.vue`, `isKey`), so every release gets the newer rule.
 */
const KEY_FORMAT = /^[\p{L}\p{N}_.-]+$/u;

/**
 * `CustomAttributeDefinition::STANDARD_ATTRIBUTES` as 4.14 has it (it added `company_name` for
 * contacts): a create with one of these keys is refused from 4.0.4 on.
 */
export const STANDARD_ATTRIBUTES: Readonly<Record<AttributeModel, readonly string[]>> = {
  conversation: [
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
  ],
  contact: [
    "name",
    "email",
    "phone_number",
    "identifier",
    "country_code",
    "city",
    "company_name",
    "created_at",
    "last_activity_at",
    "referer",
    "blocked",
  ],
};

/** `ApplicationRecord#validates_column_content_length` for the text column `attribute_description`. */
const TEXT_COLUMN_LIMIT = 20_000;

/** From 4.12.0 Chatwoot strips the display name; surrounding spaces would read back as drift. */
const displayName = () =>
  nonEmptyShortText()
    .refine((value) => value.trim() !== "", { error: "must not be blank" })
    .refine((value) => value === value.trim(), {
      error: "must not start or end with spaces (Chatwoot strips them from 4.12.0 on)",
    });

const attributeKey = () =>
  nonEmptyShortText().regex(KEY_FORMAT, {
    error: "must contain only letters, digits, underscores, hyphens and dots (Chatwoot's key format)",
  });

/** The list type's options, in the order the dashboard offers them. */
const listValues = () =>
  z
    .array(
      nonEmptyShortText().refine((value) => value.trim() !== "", { error: "must not be blank" }),
      {
        error: "must be a list of strings",
      },
    )
    .refine((values) => new Set(values).size === values.length, { error: "must not repeat a value" });

/**
 * The dashboard stores a pattern as the text of a JavaScript RegExp literal (`new RegExp(p).toString()`,
 * `AddAttribute.vue`) and reads it back with `getRegexp` (app/javascript/shared/helpers/Validators.js):
 * so the pattern must compile in JavaScript, and is kept as `new RegExp(p).source` (`/` escaped).
 */
const regexPattern = () =>
  nonEmptyShortText()
    .refine(
      (value) => {
        try {
          new RegExp(value);
          return true;
        } catch {
          return false;
        }
      },
      { error: "must be a valid regular expression (JavaScript syntax, without the surrounding slashes)" },
    )
    .transform((value) => new RegExp(value).source)
    .refine((source) => `/${source}/`.length <= MAX_STRING_LENGTH, {
      error: `must be at most ${MAX_STRING_LENGTH - 2} characters once its slashes are escaped`,
    });

export const customAttributeDefinitionFieldSchemas = {
  accountId: positiveId(),
  attributeModel: z.enum(ATTRIBUTE_MODELS, { error: "must be contact or conversation" }),
  attributeKey: attributeKey(),
  displayName: displayName(),
  displayType: z.enum(DISPLAY_TYPES, { error: `must be one of ${DISPLAY_TYPES.join(", ")}` }),
  description: z
    .string({ error: "must be a string" })
    .max(TEXT_COLUMN_LIMIT, { error: `must be at most ${TEXT_COLUMN_LIMIT} characters` }),
  listValues: listValues(),
  regexPattern: regexPattern(),
  regexCue: shortText(),
  adopt: flag(),
} satisfies Record<keyof CustomAttributeDefinitionInputs, z.ZodType>;

/** How each field behaves; the README's CustomAttributeDefinition table is generated from this. */
export const customAttributeDefinitionFields: FieldSpecs = {
  accountId: {
    type: "number",
    behaviour: "replace",
    description: "Account to define the attribute in. Defaults to `chatwoot:accountId`.",
    whenOmitted: { kind: "unmanaged" },
  },
  attributeModel: {
    type: "string",
    behaviour: "replace",
    description: "`contact` or `conversation` (required): which records carry the attribute.",
    whenOmitted: { kind: "unmanaged" },
  },
  attributeKey: {
    type: "string",
    behaviour: "replace",
    description:
      "Key under `custom_attributes` (required): letters, digits, `_`, `-` and `.`, not one of the model's " +
      "standard attributes. Unique per account and model; it is how a lost create and `adopt` find the definition.",
    whenOmitted: { kind: "unmanaged" },
  },
  displayName: {
    type: "string",
    behaviour: "update",
    description: "Name the dashboard shows (required).",
    whenOmitted: { kind: "unmanaged" },
  },
  displayType: {
    type: "string",
    behaviour: "update",
    description:
      "`text`, `number`, `currency`, `percent`, `link`, `date`, `list` or `checkbox`. Left out: `text` (Chatwoot's default).",
    whenOmitted: { kind: "empty", value: "text" },
  },
  description: {
    type: "string",
    behaviour: "update",
    description: "Description (the dashboard's form asks for one). Left out: none.",
    whenOmitted: { kind: "empty", value: undefined },
  },
  listValues: {
    type: "string[]",
    behaviour: "update",
    description:
      "The options of a `list` attribute (required for it, refused for other types), in order. Left out: none.",
    whenOmitted: { kind: "empty", value: [] },
  },
  regexPattern: {
    type: "string",
    behaviour: "update",
    description:
      "`text` attributes only: a JavaScript regular expression values must match, without slashes " +
      "(stored as Chatwoot's dashboard stores it, `/pattern/`). Left out: none.",
    whenOmitted: { kind: "empty", value: undefined },
  },
  regexCue: {
    type: "string",
    behaviour: "update",
    description: "With `regexPattern`: the hint shown when a value does not match. Left out: none.",
    whenOmitted: { kind: "empty", value: undefined },
  },
  adopt: {
    type: "boolean",
    behaviour: "create-only",
    description:
      "On create, take over the account's definition with the same key and model instead of failing on the clash.",
  },
  definitionId: { type: "number", behaviour: "computed", description: "Chatwoot's definition id." },
  adopted: {
    type: "boolean",
    behaviour: "computed",
    description: "Whether create adopted an existing definition.",
  },
};
