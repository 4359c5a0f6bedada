import { strict as assert } from "node:assert";
import { contactKey, conversationKey, sessionKey } from "../../../provider/seed/names";
import type { CheckedSeedData, SeedContact } from "../../../provider/seed/schema";
import type { ChatwootReader, HeldContact } from "./chatwootReader";
import { conversationIdFromUrl } from "./exampleProjects";

/** Ids for the names a data set uses, as the program maps them from stack config. */
export interface Lookups {
  readonly inboxes: Readonly<Record<string, number>>;
  readonly agents: Readonly<Record<string, number>>;
  readonly teams: Readonly<Record<string, number>>;
}

/** Resource counts of a data set, as a run reports them (one Seed component and the stack included). */
export function datasetCounts(data: CheckedSeedData) {
  const contacts = data.contacts.length;
  const contactInboxes = sum(data.contacts.map((contact) => contact.inboxes?.length ?? 0));
  const conversations = sum(data.contacts.map((contact) => contact.conversations?.length ?? 0));
  const messages = sum(
    data.contacts.flatMap((contact) => (contact.conversations ?? []).map((c) => c.messages.length)),
  );
  return {
    contacts,
    contactInboxes,
    conversations,
    messages,
    apiInboxes: data.apiInboxes?.length ?? 0,
    labels: data.labels?.length ?? 0,
    attributeDefinitions: data.customAttributeDefinitions?.length ?? 0,
    registrations:
      (data.apiInboxes?.length ?? 0) +
      (data.labels?.length ?? 0) +
      (data.customAttributeDefinitions?.length ?? 0) +
      contacts +
      contactInboxes +
      conversations +
      2,
  };
}

/** The Seed's resource names for one contact entry (see provider/seed/names.ts). */
export function resourceNamesOf(seedName: string, contact: SeedContact): string[] {
  const key = contactKey(contact);
  return [
    `${seedName}-contact-${key}`,
    ...(contact.inboxes ?? []).map((session) => `${seedName}-session-${key}-${sessionKey(session)}`),
    ...(contact.conversations ?? []).map((c) => `${seedName}-conversation-${key}-${conversationKey(c)}`),
  ];
}

/**
 * Asserts that Chatwoot holds exactly the data set: every contact with its fields, labels and
 * contact inboxes; every conversation (found through the program's `conversationUrls` output)
 * with its contact, inbox, status, priority, labels, assignee, team and messages in order; and
 * nothing else.
 */
export async function assertChatwootHolds(
  data: CheckedSeedData,
  reader: ChatwootReader,
  lookups: Lookups,
  conversationUrls: Readonly<Record<string, unknown>>,
): Promise<void> {
  const held = await reader.contacts();
  assert.equal(held.length, data.contacts.length, "contacts in Chatwoot");
  const seenConversationIds = new Set<number>();
  for (const contact of data.contacts) {
    const key = contactKey(contact);
    const found = findContact(held, contact);
    assert.ok(found, `contact ${key} is not in Chatwoot`);
    assertContact(found, contact, lookups);
    for (const conversation of contact.conversations ?? []) {
      const name = `${key}/${conversationKey(conversation)}`;
      const id = conversationIdFromUrl(conversationUrls[name]);
      assert.ok(!seenConversationIds.has(id), `${name} shares conversation ${id} with another entry`);
      seenConversationIds.add(id);
      const actual = await reader.conversation(id);
      assert.ok(actual, `conversation ${name} (#${id}) is not in Chatwoot`);
      assert.deepEqual(
        {
          contactId: actual.contactId,
          inboxId: actual.inboxId,
          status: actual.status,
          priority: actual.priority,
          labels: actual.labels,
          assigneeId: actual.assigneeId,
          teamId: actual.teamId,
          snoozedUntil: actual.snoozedUntil === null ? null : Date.parse(actual.snoozedUntil),
          messages: actual.messages,
        },
        {
          contactId: found.id,
          inboxId: resolve(lookups.inboxes, conversation.inbox),
          status: conversation.status ?? "open",
          priority: conversation.priority ?? null,
          labels: [...(conversation.labels ?? [])].sort(),
          assigneeId:
            conversation.assignee === undefined ? null : resolve(lookups.agents, conversation.assignee),
          teamId: conversation.team === undefined ? null : resolve(lookups.teams, conversation.team),
          snoozedUntil:
            conversation.snoozedUntil === undefined ? null : Date.parse(conversation.snoozedUntil),
          messages: conversation.messages.map((message) => ({
            content: message.content,
            messageType: message.messageType ?? "outgoing",
            private: message.private ?? false,
          })),
        },
        `conversation ${name} (#${id})`,
      );
    }
  }
  assert.equal(seenConversationIds.size, datasetCounts(data).conversations);
}

function findContact(held: readonly HeldContact[], contact: SeedContact): HeldContact | undefined {
  return held.find((candidate) =>
    contact.email !== undefined
      ? candidate.email === contact.email.toLowerCase()
      : contact.identifier !== undefined
        ? candidate.identifier === contact.identifier
        : candidate.phoneNumber === contact.phoneNumber,
  );
}

function assertContact(found: HeldContact, contact: SeedContact, lookups: Lookups): void {
  const key = contactKey(contact);
  const declaredSessions = contact.inboxes ?? [];
  assert.deepEqual(
    {
      name: found.name,
      email: found.email,
      phoneNumber: found.phoneNumber,
      identifier: found.identifier,
      customAttributes: found.customAttributes,
      // Chatwoot merges additional attributes into its own: the declared ones must be there.
      additionalAttributes: pick(found.additionalAttributes, Object.keys(contact.additionalAttributes ?? {})),
      labels: found.labels,
      sessions: found.sessions.length,
    },
    {
      name: contact.name,
      email: contact.email?.toLowerCase() ?? null,
      phoneNumber: contact.phoneNumber ?? null,
      identifier: contact.identifier ?? null,
      customAttributes: contact.customAttributes ?? {},
      additionalAttributes: contact.additionalAttributes ?? {},
      labels: [...(contact.labels ?? [])].sort(),
      sessions: declaredSessions.length,
    },
    `contact ${key}`,
  );
  for (const session of declaredSessions) {
    const inboxId = resolve(lookups.inboxes, session.inbox);
    const prefix = session.sourceId === undefined ? `${inboxId}:` : `${inboxId}:${session.sourceId}`;
    assert.ok(
      found.sessions.some((held) =>
        session.sourceId === undefined ? held.startsWith(prefix) : held === prefix,
      ),
      `contact ${key} has no contact inbox ${prefix} (it has ${found.sessions.join(", ")})`,
    );
  }
}

function resolve(table: Readonly<Record<string, number>>, reference: string | number): number {
  if (typeof reference === "number") return reference;
  const id = table[reference];
  if (id === undefined) throw new Error(`the test has no id for "${reference}"`);
  return id;
}

function pick(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, record[key]]));
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
