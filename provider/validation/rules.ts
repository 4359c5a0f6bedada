import { z } from "zod";

/**
 * Input rules shared by the resources. Each message completes a sentence that starts with the
 * field's name in brackets, e.g. "[email] must be a valid email address …".
 */

/** Chatwoot caps every string column at 255 characters (chatwoot app/models/application_record.rb, `validates_column_content_length`). */
export const MAX_STRING_LENGTH = 255;

export const shortText = () =>
  z
    .string({ error: "must be a string" })
    .max(MAX_STRING_LENGTH, { error: `must be at most ${MAX_STRING_LENGTH} characters` });

export const nonEmptyShortText = () =>
  shortText().min(1, { error: "must not be empty (leave it out instead)" });

/** Devise's email rule, which Chatwoot uses (`\A[^@\s]+@[^@\s]+\z`); Chatwoot stores it lower-cased. */
export const email = () =>
  nonEmptyShortText()
    .regex(/^[^@\s]+@[^@\s]+$/, { error: "must be a valid email address such as alice@example.com" })
    .transform((value) => value.toLowerCase());

/**
 * E.164: a plus sign, a non-zero digit, up to 15 digits in all. Chatwoot anchors its own check
 * only at the end (so it would take "abc+14155550100"); the whole value is checked here.
 */
export const e164Phone = () =>
  z
    .string({ error: "must be a string" })
    .regex(/^\+[1-9]\d{1,14}$/, { error: "must be an E.164 phone number such as +14155550100" });

export const positiveId = () =>
  z
    .number({ error: "must be a number" })
    .int({ error: "must be a whole number" })
    .positive({ error: "must be a positive id" });

export const flag = () => z.boolean({ error: "must be true or false" });

export const jsonObject = () =>
  z.record(z.string(), z.unknown(), { error: "must be an object of key/value pairs" });

/**
 * Chatwoot's label title format (`lib/regex_helper.rb` `UNICODE_CHARACTER_NUMBER_HYPHEN_UNDERSCORE`,
 * used by `app/models/label.rb`): no spaces, commas or quotes, so a label never splits or merges on
 * its way through acts-as-taggable-on's list parser.
 */
const LABEL_TITLE = /^[\p{L}\p{N}]+[\p{L}\p{N}_-]+$/u;

/**
 * One label title, lower-cased: Chatwoot's `Label` lower-cases the title before validating it
 * (`before_validation`, chatwoot app/models/label.rb), so `VIP` and `vip` are the same label and
 * only the lower-case spelling can exist as an account label.
 */
export const labelTitle = () =>
  nonEmptyShortText()
    .transform(normalizeLabel)
    // Checked after lower-casing, as Chatwoot does: `İ` lower-cases to `i` and a combining dot,
    // which is not a letter, so Chatwoot refuses `İstanbul` although it reads as one.
    .refine((title) => LABEL_TITLE.test(title), {
      error:
        "must be a Chatwoot label title: letters, digits, - and _ only (no spaces or commas), " +
        "at least 2 characters, starting with a letter or digit",
    });

/**
 * Labels are acts-as-taggable-on tags, and tag names are shared by the whole installation and
 * reused ignoring case: `VIP` on a server where someone once tagged with `vip` comes back as `vip`
 * (and the other way round). Account labels are lower-case (`app/models/label.rb` lower-cases the
 * title). So a label is lower-cased here, like an email, and must be a valid label title; the set
 * is de-duplicated and sorted, and the provider compares Chatwoot's labels lower-cased too.
 */
export const labelSet = () =>
  z.array(labelTitle(), { error: "must be a list of strings" }).transform(labelsAsSet);

/**
 * How a label compares: lower-cased as Ruby's `String#downcase` does it, one character at a time.
 * JavaScript's `toLowerCase` also applies the context rule that turns a word-final capital sigma
 * into `ς`, which Ruby (and PostgreSQL's `LOWER`) do not: `ΟΔΟΣ` is `οδοσ` in Chatwoot.
 */
export function normalizeLabel(label: string): string {
  return Array.from(label, (character) => character.toLowerCase()).join("");
}

/** A label list as the provider records and compares it: lower-cased, unique, sorted. */
export function labelsAsSet(labels: readonly string[]): string[] {
  return [...new Set(labels.map(normalizeLabel))].sort();
}
