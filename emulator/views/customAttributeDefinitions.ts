import type { CustomAttributeDefinition } from "../store/types";
import { isoTime } from "./time";

/**
 * `app/views/api/v1/models/_custom_attribute_definition.json.jbuilder`, the same in every 4.x release:
 * the enums by name, `default_value` (an integer column nothing writes) and ISO times.
 */
export function customAttributeDefinitionView(
  definition: CustomAttributeDefinition,
): Record<string, unknown> {
  return {
    id: definition.id,
    attribute_display_name: definition.attributeDisplayName,
    attribute_display_type: definition.attributeDisplayType,
    attribute_description: definition.attributeDescription,
    attribute_key: definition.attributeKey,
    regex_pattern: definition.regexPattern,
    regex_cue: definition.regexCue,
    attribute_values: definition.attributeValues,
    attribute_model: definition.attributeModel,
    default_value: null,
    created_at: isoTime(definition.createdAtMs),
    updated_at: isoTime(definition.updatedAtMs),
  };
}
