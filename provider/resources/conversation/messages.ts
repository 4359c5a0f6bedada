import type { MessageJson } from "../../chatwoot/schemas";
import { containsUnknown } from "../../validation/unknown";
import { deepEqual } from "../equality";
import { CONTENT_TYPES, SeedMessage, normalizeMessage } from "./spec";

/** Chatwoot's integer message types (API.md §6.1). */
const MESSAGE_TYPE_NAMES: Record<number, string> = {
  0: "incoming",
  1: "outgoing",
  2: "activity",
  3: "template",
};

/**
 * The source id given to seeded message number `index`: it is how a post whose answer was lost
 * is found again, and how a refresh tells seeded messages from ones people added later.
 */
export function messageSourceId(seedId: string, index: number): string {
  return `pulumi-seed:${seedId}:${index}`;
}

/** The seeded messages of a conversation, by their position in the program's list. */
export function seededMessages(seedId: string, messages: readonly MessageJson[]): Map<number, MessageJson> {
  const prefix = `pulumi-seed:${seedId}:`;
  const seeded = new Map<number, MessageJson>();
  for (const message of messages) {
    if (!message.source_id?.startsWith(prefix)) continue;
    const index = Number(message.source_id.slice(prefix.length));
    if (Number.isSafeInteger(index) && !seeded.has(index)) seeded.set(index, message);
  }
  return seeded;
}

/** A message as Chatwoot holds it, in the program's normalised form. */
export function seedMessageFrom(message: MessageJson): SeedMessage {
  const contentType = (CONTENT_TYPES as readonly string[]).includes(message.content_type ?? "text")
    ? (message.content_type as (typeof CONTENT_TYPES)[number])
    : "text";
  return normalizeMessage({
    content: message.content ?? "",
    messageType: (MESSAGE_TYPE_NAMES[message.message_type] ?? "outgoing") as SeedMessage["messageType"],
    private: message.private ?? false,
    contentType,
    contentAttributes: contentAttributesOf(message),
  });
}

function contentAttributesOf(message: MessageJson): Record<string, unknown> {
  const attributes = message.content_attributes;
  if (typeof attributes !== "string") return attributes ?? {};
  try {
    const parsed: unknown = JSON.parse(attributes);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * How the program's transcript relates to the posted one. Messages can only be appended:
 * Chatwoot cannot edit, reorder or backdate them.
 */
export function compareTranscripts(
  posted: readonly SeedMessage[],
  desired: unknown,
): "same" | "append" | "replace" {
  if (!Array.isArray(desired)) return containsUnknown(desired) ? "replace" : "same";
  if (desired.length < posted.length) return "replace";
  for (let index = 0; index < posted.length; index += 1) {
    if (containsUnknown(desired[index]) || !deepEqual(posted[index], desired[index])) return "replace";
  }
  return desired.length === posted.length ? "same" : "append";
}
