import { createHash } from "node:crypto";
import type {
  SeedApiInbox,
  SeedAttributeDefinition,
  SeedLabel,
  SeedContact,
  SeedConversation,
  SeedSession,
} from "./schema";

/**
 * Stable resource names derived from the data, never from positions: reordering a data file
 * changes no name, and removing an entry removes exactly that entry's resources.
 */

/** Lower-case letters, digits and dashes, as Pulumi resource names read best. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 63) || "x"
  );
}

/** A contact's key: its own `key`, else its identifier, email or phone number. */
export function contactKey(contact: SeedContact): string {
  return slug(contact.key ?? contact.identifier ?? contact.email ?? contact.phoneNumber ?? "");
}

/** A declared API inbox's key: its own `key`, else its name. */
export function apiInboxKey(inbox: SeedApiInbox): string {
  return slug(inbox.key ?? inbox.name);
}

/** A declared label's key: its own `key`, else its (lower-cased) title. */
export function labelKey(label: SeedLabel): string {
  return slug(label.key ?? label.title);
}

/** A declared attribute definition's key: its model, then its own `key`, else its attribute key. */
export function attributeDefinitionKey(definition: SeedAttributeDefinition): string {
  return `${definition.attributeModel}-${slug(definition.key ?? definition.attributeKey)}`;
}

export function sessionKey(session: SeedSession): string {
  const inbox = slug(String(session.inbox));
  return session.sourceId === undefined ? inbox : `${inbox}-${slug(session.sourceId)}`;
}

/**
 * A conversation's key: its own `key`, else a short digest of its inbox and first message. Editing
 * that first message changes the name, which is the replacement Chatwoot needs anyway (posted
 * messages cannot be edited).
 */
export function conversationKey(conversation: SeedConversation): string {
  if (conversation.key !== undefined) return slug(conversation.key);
  const first = conversation.messages[0]?.content ?? "";
  const digest = createHash("sha256")
    .update(`${String(conversation.inbox)}\n${first}`)
    .digest("hex")
    .slice(0, 10);
  return `c${digest}`;
}
