import type { MessageJson } from "../../chatwoot/schemas";
import { containsUnknown } from "../../validation/unknown";
import { deepEqual } from "../equality";
import { CONTENT_TYPES, SeedMessage, normalizeMessage } from "./spec";

/** Chatwoot's integer message types (chatwoot app/models/message.rb). */
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

/**
 * Seeded messages Chatwoot holds more than once (a post whose lost answer was applied after the
 * provider had posted it again): every copy after the first, oldest first. `seeded` is what
 * `seededMessages` found, for a caller that already has it.
 */
export function duplicateSeededMessages(
  seedId: string,
  messages: readonly MessageJson[],
  seeded: ReadonlyMap<number, MessageJson> = seededMessages(seedId, messages),
): MessageJson[] {
  const first = new Set(seeded.values());
  return messages.filter(
    (message) => message.source_id?.startsWith(`pulumi-seed:${seedId}:`) && !first.has(message),
  );
}

/**
 * A seeded message as the program declared it, and what Chatwoot stored when it was posted. Chatwoot
 * rewrites some messages on its own: it renders Liquid in outgoing content
 * (`app/models/concerns/liquidable.rb`) and adds keys to `content_attributes` (email addresses and
 * the rendered email body in Email inboxes, `app/builders/messages/message_builder.rb`).
 */
export interface DeclaredMessage {
  readonly declared: SeedMessage;
  /** The content Chatwoot stored for it; undefined when the live message was posted just now. */
  readonly storedContent: string | undefined;
}

/**
 * A seeded message in the program's terms. With the declaration it was posted from, a message
 * Chatwoot still holds as it stored it reads as that declaration: its content is compared with the
 * content Chatwoot stored (so Liquid it rendered is no drift, a deleted message is), and only the
 * content attributes the program declared are compared (so keys Chatwoot added are no drift).
 */
export function seedMessageAsDeclared(message: MessageJson, known: DeclaredMessage | undefined): SeedMessage {
  const live = seedMessageFrom(message);
  if (known === undefined) return live;
  const { declared, storedContent } = known;
  const declaredKeys = Object.keys(declared.contentAttributes ?? {});
  const attributes = contentAttributesOf(message);
  const contentUnchanged = storedContent === undefined || (message.content ?? "") === storedContent;
  return normalizeMessage({
    content: contentUnchanged ? declared.content : live.content,
    messageType: live.messageType,
    ...(live.private ? { private: live.private } : {}),
    ...(live.contentType === undefined ? {} : { contentType: live.contentType }),
    contentAttributes: Object.fromEntries(
      declaredKeys.filter((key) => key in attributes).map((key) => [key, attributes[key]]),
    ),
  });
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
