import { z } from "zod";
import { flag, labelTitle, positiveId } from "../../validation/rules";
import type { FieldSpecs } from "../fields";

/** A label's inputs as the provider receives them (plain values, after `check`). */
export interface LabelInputs {
  accountId?: number;
  title?: string;
  description?: string;
  color?: string;
  showOnSidebar?: boolean;
  adopt?: boolean;
}

/** A label's outputs: every input as Chatwoot stored it, plus what Chatwoot and the provider add. */
export interface LabelOutputs {
  labelId: number;
  accountId: number;
  title: string;
  description?: string;
  color: string;
  showOnSidebar: boolean;
  adopt?: boolean;
  adopted: boolean;
}

/** The `color` column's default (`default("#1f93ff"), not null`: chatwoot app/models/label.rb's schema notes). */
export const DEFAULT_LABEL_COLOR = "#1f93ff";

/** `ApplicationRecord#validates_column_content_length`: text columns hold at most 20,000 characters. */
const TEXT_COLUMN_LIMIT = 20_000;

/**
 * Chatwoot stores any string as the colour (`Label` does not validate it), and its dashboard paints
 * it as a CSS `background-color`; its own colour picker and `getRandomColor`
 * (app/javascript/dashboard/helper/labelColor.js) produce `#RRGGBB`, and the add-label form starts
 * at `#000`. Anything else (a colour name, `rgb()`, a typo) may show as no colour at all where hex
 * is expected, so only hex colours are taken. The case is kept as written: Chatwoot stores it
 * unchanged, so comparing it exactly shows no false drift.
 */
const hexColor = () =>
  z.string({ error: "must be a string" }).regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, {
    error: "must be a hex colour such as #1f93ff (# and 3 or 6 hex digits)",
  });

export const labelFieldSchemas = {
  accountId: positiveId(),
  title: labelTitle(),
  description: z
    .string({ error: "must be a string" })
    .max(TEXT_COLUMN_LIMIT, { error: `must be at most ${TEXT_COLUMN_LIMIT} characters` }),
  color: hexColor(),
  showOnSidebar: flag(),
  adopt: flag(),
} satisfies Record<keyof LabelInputs, z.ZodType>;

/** How each field behaves; the README's Label table is generated from this. */
export const labelFields: FieldSpecs = {
  accountId: {
    type: "number",
    behaviour: "replace",
    description: "Account to create the label in. Defaults to `chatwoot:accountId`.",
    whenOmitted: { kind: "unmanaged" },
  },
  title: {
    type: "string",
    behaviour: "update",
    description:
      "Label title (required): letters, digits, `-` and `_`, at least 2 characters, starting with a letter " +
      "or digit; lower-cased, as Chatwoot stores it. Unique in the account. A rename is done in place, and " +
      "Chatwoot renames the tag on every contact and conversation that carries it, in the background.",
    whenOmitted: { kind: "unmanaged" },
  },
  description: {
    type: "string",
    behaviour: "update",
    description: "What the label means (up to 20,000 characters). Left out: none.",
    whenOmitted: { kind: "empty", value: undefined },
  },
  color: {
    type: "string",
    behaviour: "update",
    description: `Hex colour, \`#rgb\` or \`#rrggbb\`, kept as written. Left out: \`${DEFAULT_LABEL_COLOR}\` (Chatwoot's default).`,
    whenOmitted: { kind: "empty", value: DEFAULT_LABEL_COLOR },
  },
  showOnSidebar: {
    type: "boolean",
    behaviour: "update",
    description: "Whether the dashboard's sidebar lists the label. Left out: `false`.",
    whenOmitted: { kind: "empty", value: false },
  },
  adopt: {
    type: "boolean",
    behaviour: "create-only",
    description:
      "On create, take over the account's label of the same title instead of failing on the clash.",
  },
  labelId: { type: "number", behaviour: "computed", description: "Chatwoot's label id." },
  adopted: {
    type: "boolean",
    behaviour: "computed",
    description: "Whether create adopted an existing label.",
  },
};
