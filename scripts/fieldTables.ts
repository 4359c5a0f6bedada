import type { ChangeBehaviour, FieldSpecs } from "../provider/resources/fields";
import { apiInboxFields } from "../provider/resources/apiInbox/spec";
import { contactFields } from "../provider/resources/contact/spec";
import { contactInboxFields } from "../provider/resources/contactInbox/spec";
import { conversationFields } from "../provider/resources/conversation/spec";
import { labelFields } from "../provider/resources/label/spec";
import { customAttributeDefinitionFields } from "../provider/resources/customAttributeDefinition/spec";

/** Every resource's field table, in README order. */
export const FIELD_TABLES: ReadonlyArray<{ resource: string; fields: FieldSpecs }> = [
  { resource: "Contact", fields: contactFields },
  { resource: "ContactInbox", fields: contactInboxFields },
  { resource: "Conversation", fields: conversationFields },
  { resource: "ApiInbox", fields: apiInboxFields },
  { resource: "Label", fields: labelFields },
  { resource: "CustomAttributeDefinition", fields: customAttributeDefinitionFields },
];

const BEHAVIOUR_TEXT: Record<ChangeBehaviour, string> = {
  update: "updated in place",
  replace: "replaces",
  "create-only": "create only",
  computed: "computed",
};

/** The Markdown table documenting one resource's fields. */
export function fieldTable(fields: FieldSpecs): string {
  const rows = Object.entries(fields).map(
    ([name, spec]) =>
      `| \`${name}\` | ${spec.type} | ${BEHAVIOUR_TEXT[spec.behaviour]} | ${spec.description} |`,
  );
  return ["| field | type | on change | meaning |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

export function markers(resource: string): { start: string; end: string } {
  return { start: `<!-- fields:${resource}:start -->`, end: `<!-- fields:${resource}:end -->` };
}

/** The README with every field table regenerated between its markers. */
export function withFieldTables(readme: string): string {
  let result = readme;
  for (const { resource, fields } of FIELD_TABLES) {
    const { start, end } = markers(resource);
    const from = result.indexOf(start);
    const to = result.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md lacks the ${start} … ${end} markers`);
    // Prettier would re-pad the table on every run; the generator owns this block instead.
    const table = `<!-- prettier-ignore-start -->\n${fieldTable(fields)}\n<!-- prettier-ignore-end -->`;
    result = `${result.slice(0, from + start.length)}\n${table}\n${result.slice(to)}`;
  }
  return result;
}
