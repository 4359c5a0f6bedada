import { isDeepStrictEqual } from "node:util";
import { pairSpec } from "../seed/workload";
import type { AccountContents } from "./contents";

/** Chatwoot's integer message types. */
const MESSAGE_TYPES = { incoming: 0, outgoing: 1 } as const;

/** At most this many problems of one kind are listed; the count says how many there were. */
const LISTED = 5;

/**
 * Everything that differs between the account and `pairs` declared pairs: a missing, duplicated or
 * undeclared contact or conversation, or one whose fields, labels or messages are not as declared.
 * Empty when the account holds exactly what was declared.
 */
export function problemsWith(contents: AccountContents, pairs: number): string[] {
  const problems = new Map<string, string[]>();
  const note = (kind: string, detail: string) => problems.set(kind, [...(problems.get(kind) ?? []), detail]);

  const expectedByEmail = new Map<string, number>();
  for (let index = 0; index < pairs; index += 1) expectedByEmail.set(pairSpec(index).contact.email, index);

  const contactsByEmail = new Map<string, Array<AccountContents["contacts"][number]>>();
  for (const contact of contents.contacts) {
    const email = contact.email ?? "(no email)";
    contactsByEmail.set(email, [...(contactsByEmail.get(email) ?? []), contact]);
    if (!expectedByEmail.has(email)) note("undeclared contacts", `contact ${contact.id} (${email})`);
  }
  const indexOfContact = new Map<number, number>();
  const pairsWithContact = new Set<number>();
  for (const [email, index] of expectedByEmail) {
    const found = contactsByEmail.get(email) ?? [];
    if (found.length === 0) note("missing contacts", email);
    if (found.length > 1) note("duplicated contacts", `${email}: ${found.map((c) => c.id).join(", ")}`);
    const contact = found[0];
    if (contact === undefined) continue;
    indexOfContact.set(contact.id, index);
    pairsWithContact.add(index);
    const declared = pairSpec(index).contact;
    if (contact.name !== declared.name) note("contacts with another name", `${email}: ${contact.name}`);
    if (!isDeepStrictEqual(contact.customAttributes, declared.customAttributes))
      note("contacts with other custom attributes", `${email}: ${JSON.stringify(contact.customAttributes)}`);
    if (!isDeepStrictEqual([...contact.labels].sort(), [...declared.labels].sort()))
      note("contacts with other labels", `${email}: ${JSON.stringify(contact.labels)}`);
    if (contact.contactInboxes !== 1)
      note("contacts without exactly one contact inbox", `${email}: ${contact.contactInboxes}`);
  }

  const conversationsOf = new Map<number, Array<AccountContents["conversations"][number]>>();
  for (const conversation of contents.conversations) {
    const index = indexOfContact.get(conversation.contactId);
    if (index === undefined) {
      note("conversations of no declared contact", `conversation ${conversation.id}`);
      continue;
    }
    conversationsOf.set(index, [...(conversationsOf.get(index) ?? []), conversation]);
  }
  for (const [, index] of expectedByEmail) {
    // A missing contact is already reported; its conversation cannot be found without it.
    if (!pairsWithContact.has(index)) continue;
    const found = conversationsOf.get(index) ?? [];
    const email = pairSpec(index).contact.email;
    if (found.length === 0) note("missing conversations", email);
    if (found.length > 1) note("duplicated conversations", `${email}: ${found.map((c) => c.id).join(", ")}`);
    const conversation = found[0];
    if (conversation === undefined) continue;
    const declared = pairSpec(index).conversation;
    if (conversation.status !== declared.status || conversation.priority !== declared.priority)
      note(
        "conversations with another status or priority",
        `${conversation.id}: ${conversation.status}, ${conversation.priority}`,
      );
    if (!isDeepStrictEqual([...conversation.labels].sort(), [...declared.labels].sort()))
      note("conversations with other labels", `${conversation.id}: ${JSON.stringify(conversation.labels)}`);
    const declaredMessages = declared.messages.map((message) => ({
      content: message.content,
      messageType: MESSAGE_TYPES[message.messageType],
      private: message.private ?? false,
    }));
    if (!isDeepStrictEqual(conversation.messages, declaredMessages))
      note(
        "conversations whose messages are not the declared ones, once each and in order",
        `${conversation.id}: ${conversation.messages.map((message) => JSON.stringify(message.content)).join(", ")}`,
      );
  }

  return [...problems].map(([kind, details]) => {
    const listed = details.slice(0, LISTED).join("; ");
    const more = details.length > LISTED ? `; and ${details.length - LISTED} more` : "";
    return `${details.length} ${kind}: ${listed}${more}`;
  });
}
