import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "../dynamic/connectionArgs";
import { Contact } from "../resources/contact/resource";
import { ContactInbox } from "../resources/contactInbox/resource";
import { Conversation } from "../resources/conversation/resource";
import { SeedDataError, loadSeedData } from "./load";
import { contactKey, conversationKey, sessionKey } from "./names";
import type { CheckedSeedData, SeedContact, SeedData } from "./schema";

export interface SeedArgs {
  /** The data set: an object, or the path of a YAML or JSON file (relative to the working directory). */
  data: SeedData | string;
  /** Inbox ids by the names the data uses (`inbox: support`); these win over the data's own table. */
  inboxes?: Record<string, pulumi.Input<number>>;
  /** Agent (user) ids by the names the data uses for `assignee`. */
  agents?: Record<string, pulumi.Input<number>>;
  /** Team ids by the names the data uses for `team`. */
  teams?: Record<string, pulumi.Input<number>>;
  /** Account for every resource. Defaults to `chatwoot:accountId`. */
  accountId?: pulumi.Input<number>;
  /** Chatwoot to use for every resource instead of the stack config (see `Contact`'s `connection`). */
  connection?: pulumi.Input<ConnectionArgs>;
}

/**
 * Declares the contacts, contact inboxes and conversations of a seed data set. Resource names
 * come from the data (`<seed>-contact-<key>`, `<seed>-session-<contact>-<inbox>`,
 * `<seed>-conversation-<contact>-<key>`), so the file's order does not matter.
 */
export class Seed extends pulumi.ComponentResource {
  /** Contact ids by contact key. */
  declare readonly contactIds: pulumi.Output<Record<string, number>>;
  /** Dashboard URLs by `<contact key>/<conversation key>`. */
  declare readonly conversationUrls: pulumi.Output<Record<string, string>>;
  /** The declared resources, by the same keys. */
  readonly contacts: Readonly<Record<string, Contact>>;
  readonly sessions: Readonly<Record<string, ContactInbox>>;
  readonly conversations: Readonly<Record<string, Conversation>>;

  constructor(name: string, args: SeedArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chatwoot:index:Seed", name, {}, opts);
    const data = loadSeedData(args.data);
    const lookups = {
      inboxes: { ...(data.inboxes ?? {}), ...(args.inboxes ?? {}) },
      agents: { ...(data.agents ?? {}), ...(args.agents ?? {}) },
      teams: { ...(data.teams ?? {}), ...(args.teams ?? {}) },
    };
    refuseDuplicateNames(data);
    const parent = { parent: this };
    // What every resource shares: the account and the connection, when given.
    const account = {
      ...(args.accountId === undefined ? {} : { accountId: args.accountId }),
      ...(args.connection === undefined ? {} : { connection: args.connection }),
    };
    const contacts: Record<string, Contact> = {};
    const sessions: Record<string, ContactInbox> = {};
    const conversations: Record<string, Conversation> = {};

    for (const entry of data.contacts) {
      const key = contactKey(entry);
      const contact = new Contact(`${name}-contact-${key}`, { ...account, ...contactArgs(entry) }, parent);
      contacts[key] = contact;
      const sessionsByInbox = new Map<string, ContactInbox>();
      for (const session of entry.inboxes ?? []) {
        const inboxId = resolve(lookups.inboxes, session.inbox, "inbox", key);
        const resource = new ContactInbox(
          `${name}-session-${key}-${sessionKey(session)}`,
          {
            ...account,
            contactId: contact.contactId,
            inboxId,
            ...(session.sourceId === undefined ? {} : { sourceId: session.sourceId }),
            ...(session.hmacVerified === undefined ? {} : { hmacVerified: session.hmacVerified }),
          },
          parent,
        );
        sessions[`${key}/${sessionKey(session)}`] = resource;
        if (!sessionsByInbox.has(String(session.inbox))) sessionsByInbox.set(String(session.inbox), resource);
      }
      for (const conversation of entry.conversations ?? []) {
        const conversationName = `${key}/${conversationKey(conversation)}`;
        const { key: _key, inbox, assignee, team, sourceId, ...fields } = conversation;
        // Without an explicit source id, use the contact's declared session in that inbox, so the
        // conversation waits for it and lands in it.
        const session = sourceId === undefined ? sessionsByInbox.get(String(inbox)) : undefined;
        conversations[conversationName] = new Conversation(
          `${name}-conversation-${key}-${conversationKey(conversation)}`,
          {
            ...account,
            ...withoutUndefined(fields),
            messages: fields.messages,
            inboxId: resolve(lookups.inboxes, inbox, "inbox", conversationName),
            contactId: contact.contactId,
            ...(sourceId !== undefined
              ? { sourceId }
              : session !== undefined
                ? { sourceId: session.sourceId }
                : {}),
            ...(assignee === undefined
              ? {}
              : { assigneeId: resolve(lookups.agents, assignee, "agent", conversationName) }),
            ...(team === undefined ? {} : { teamId: resolve(lookups.teams, team, "team", conversationName) }),
          },
          parent,
        );
      }
    }

    this.contacts = contacts;
    this.sessions = sessions;
    this.conversations = conversations;
    const contactIds = pulumi.all(mapValues(contacts, (contact) => contact.contactId));
    const conversationUrls = pulumi.all(mapValues(conversations, (conversation) => conversation.url));
    Object.assign(this, { contactIds, conversationUrls });
    this.registerOutputs({ contactIds, conversationUrls });
  }
}

function contactArgs(entry: SeedContact) {
  const { key: _key, inboxes: _inboxes, conversations: _conversations, ...fields } = entry;
  return withoutUndefined(fields);
}

/** Drops keys whose value is undefined: zod marks absent optional fields that way. */
function withoutUndefined<T extends object>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function resolve(
  table: Record<string, pulumi.Input<number>>,
  reference: string | number,
  kind: "inbox" | "agent" | "team",
  entry: string,
): pulumi.Input<number> {
  if (typeof reference === "number") return reference;
  const id = table[reference];
  if (id === undefined) {
    const known = Object.keys(table);
    throw new SeedDataError(
      `${entry}: [${kind}] "${reference}" is not a known ${kind} name (${known.length > 0 ? known.join(", ") : "none defined"}); ` +
        `add it to the data's ${kind === "inbox" ? "inboxes" : `${kind}s`} table or to the Seed's ${kind === "inbox" ? "inboxes" : `${kind}s`} argument, or use an id`,
    );
  }
  return id;
}

/** Two entries that would get the same resource name are an error, named by both entries. */
function refuseDuplicateNames(data: CheckedSeedData): void {
  const seen = new Map<string, string>();
  const claim = (name: string, entry: string) => {
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw new SeedDataError(
        `${entry} and ${earlier} both get the resource name "${name}"; give one of them a distinct \`key\``,
      );
    }
    seen.set(name, entry);
  };
  data.contacts.forEach((contact, index) => {
    const key = contactKey(contact);
    claim(`contact-${key}`, `contacts[${index}] (${key})`);
    (contact.inboxes ?? []).forEach((session, position) =>
      claim(`session-${key}-${sessionKey(session)}`, `contacts[${index}] (${key}) inboxes[${position}]`),
    );
    (contact.conversations ?? []).forEach((conversation, position) =>
      claim(
        `conversation-${key}-${conversationKey(conversation)}`,
        `contacts[${index}] (${key}) conversations[${position}]`,
      ),
    );
  });
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
