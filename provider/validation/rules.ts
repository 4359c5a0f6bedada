import { z } from "zod";

/**
 * Input rules shared by the resources. Each message completes a sentence that starts with the
 * field's name in brackets, e.g. "[email] must be a valid email address …".
 */

/** Chatwoot caps every string column at 255 characters (API.md §3.3). */
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

/** Tags as Chatwoot stores them: a set, so duplicates are dropped and the order is made stable. */
export const labelSet = () =>
  z
    .array(nonEmptyShortText(), { error: "must be a list of strings" })
    .transform((labels) => [...new Set(labels)].sort());
