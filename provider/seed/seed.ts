import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "../dynamic/connectionArgs";
import { ApiInbox } from "../resources/apiInbox/resource";
import { Contact } from "../resources/contact/resource";
import { ContactInbox } from "../resources/contactInbox/resource";
import { Conversation } from "../resources/conversation/resource";
import { CustomAttributeDefinition } from "../resources/customAttributeDefinition/resource";
import { Label } from "../resources/label/resource";
import { SeedDataError, loadSeedData } from "./load";
import {
  apiInboxKey,
  attributeDefinitionKey,
  contactKey,
  labelKey,
  conversationKey,
  sessionKey,
} from "./names";
import { References, type ReferenceTables } from "./references";
import type {
  CheckedSeedData,
  SeedApiInbox,
  SeedAttributeDefinition,
  SeedContact,
  SeedData,
  SeedLabel,
} from "./schema";

export interface SeedArgs {
  /** The data set: an object, or the path of a YAML or JSON file (relative to the working directory). */
  data: SeedData | string;
  /**
   * Inbox ids by the names the data uses (`inbox: support`); these win over the data's own table.
   * Optional: a name in no table is the name of an inbox the data declares, or is looked up.
   */
  inboxes?: Record<string, pulumi.Input<number>>;
  /** Agent (user) ids by the names the data uses; a name in no table is looked up as an email. */
  agents?: Record<string, pulumi.Input<number>>;
  /** Team ids by the names the data uses for `team`; a name in no table is looked up. */
  teams?: Record<string, pulumi.Input<number>>;
  /** Account for every resource. Defaults to `chatwoot:accountId`. */
  accountId?: pulumi.Input<number>;
  /** Chatwoot to use for every resource instead of the stack config (see `Contact`'s `connection`). */
  connection?: pulumi.Input<ConnectionArgs>;
}

/**
 * Declares the API inboxes, contacts, contact inboxes and conversations of a seed data set. Resource
 * names come from the data (`<seed>-inbox-<key>`, `<seed>-contact-<key>`,
 * `<seed>-session-<contact>-<inbox>`, `<seed>-conversation-<contact>-<key>`), so the file's order
 * does not matter. References to inboxes, agents and teams resolve as `references.ts` says.
 */
export class Seed extends pulumi.ComponentResource {
  /** Contact ids by contact key. */
  declare readonly contactIds: pulumi.Output<Record<string, number>>;
  /** Dashboard URLs by `<contact key>/<conversation key>`. */
  declare readonly conversationUrls: pulumi.Output<Record<string, string>>;
  /** The declared resources, by the same keys (API inboxes by their key, else their name's slug). */
  readonly apiInboxes: Readonly<Record<string, ApiInbox>>;
  /** Declared labels by their key, else their title. */
  readonly labels: Readonly<Record<string, Label>>;
  /** Declared custom attribute definitions by `<model>-<key>` (their key, else their attribute key). */
  readonly customAttributeDefinitions: Readonly<Record<string, CustomAttributeDefinition>>;
  readonly contacts: Readonly<Record<string, Contact>>;
  readonly sessions: Readonly<Record<string, ContactInbox>>;
  readonly conversations: Readonly<Record<string, Conversation>>;

  constructor(name: string, args: SeedArgs, opts?: pulumi.ComponentResourceOptions) {
    super("chatwoot:index:Seed", name, {}, opts);
    const data = loadSeedData(args.data);
    const tables: ReferenceTables = {
      inboxes: { ...(data.inboxes ?? {}), ...(args.inboxes ?? {}) },
      agents: { ...(data.agents ?? {}), ...(args.agents ?? {}) },
      teams: { ...(data.teams ?? {}), ...(args.teams ?? {}) },
    };
    refuseDuplicateNames(data);
    refuseAmbiguousInboxNames(data, tables);
    const parent = { parent: this };
    // What every resource shares: the account and the connection, when given.
    const account = {
      ...(args.accountId === undefined ? {} : { accountId: args.accountId }),
      ...(args.connection === undefined ? {} : { connection: args.connection }),
    };
    const declaredInboxes = new Map<string, pulumi.Output<number>>();
    const references = new References(tables, declaredInboxes, account);
    const apiInboxes: Record<string, ApiInbox> = {};
    for (const entry of data.apiInboxes ?? []) {
      const key = apiInboxKey(entry);
      const agentIds = entry.agents?.map((agent, position) =>
        references.resolve("agent", agent, `apiInboxes (${key})`, `agents.${position}`),
      );
      const inbox = new ApiInbox(
        `${name}-inbox-${key}`,
        {
          ...account,
          ...apiInboxArgs(entry),
          name: entry.name,
          ...(agentIds === undefined ? {} : { agentIds }),
        },
        parent,
      );
      apiInboxes[key] = inbox;
      declaredInboxes.set(entry.name, inbox.inboxId);
    }

    const labels: Record<string, Label> = {};
    const labelsByTitle = new Map<string, Label>();
    for (const entry of data.labels ?? []) {
      const label = new Label(
        `${name}-label-${labelKey(entry)}`,
        { ...account, ...labelArgs(entry) },
        parent,
      );
      labels[labelKey(entry)] = label;
      labelsByTitle.set(entry.title, label);
    }
    const definitions: Record<string, CustomAttributeDefinition> = {};
    const definitionsByKey = new Map<string, CustomAttributeDefinition>();
    for (const entry of data.customAttributeDefinitions ?? []) {
      const key = attributeDefinitionKey(entry);
      const definition = new CustomAttributeDefinition(
        `${name}-attribute-${key}`,
        { ...account, ...attributeDefinitionArgs(entry) },
        parent,
      );
      definitions[key] = definition;
      definitionsByKey.set(`${entry.attributeModel}/${entry.attributeKey}`, definition);
    }
    // A contact or conversation waits for the declared labels it carries and the declared definitions
    // of its custom attributes, so that Chatwoot shows them as designed (colour, display name, type)
    // from the start. Titles and labels are both lower-cased by the schema, so they compare as
    // Chatwoot compares them; attribute keys compare exactly, as JSON keys do.
    const declaredFirst = (
      model: "contact" | "conversation",
      titles: readonly string[] | undefined,
      attributes: Record<string, unknown> | undefined,
    ): pulumi.CustomResourceOptions => {
      const needed: pulumi.Resource[] = [
        ...(titles ?? []).flatMap((title) => labelsByTitle.get(title) ?? []),
        ...Object.keys(attributes ?? {}).flatMap((key) => definitionsByKey.get(`${model}/${key}`) ?? []),
      ];
      return needed.length === 0 ? parent : { ...parent, dependsOn: needed };
    };

    const contacts: Record<string, Contact> = {};
    const sessions: Record<string, ContactInbox> = {};
    const conversations: Record<string, Conversation> = {};

    for (const entry of data.contacts) {
      const key = contactKey(entry);
      const contact = new Contact(
        `${name}-contact-${key}`,
        { ...account, ...contactArgs(entry) },
        declaredFirst("contact", entry.labels, entry.customAttributes),
      );
      contacts[key] = contact;
      const sessionsByInbox = new Map<string, ContactInbox>();
      for (const session of entry.inboxes ?? []) {
        const inboxId = references.resolve("inbox", session.inbox, key, "inboxes.inbox");
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
            inboxId: references.resolve("inbox", inbox, conversationName, "inbox"),
            contactId: contact.contactId,
            ...(sourceId !== undefined
              ? { sourceId }
              : session !== undefined
                ? { sourceId: session.sourceId }
                : {}),
            ...(assignee === undefined
              ? {}
              : { assigneeId: references.resolve("agent", assignee, conversationName, "assignee") }),
            ...(team === undefined
              ? {}
              : { teamId: references.resolve("team", team, conversationName, "team") }),
          },
          declaredFirst("conversation", fields.labels, fields.customAttributes),
        );
      }
    }

    this.apiInboxes = apiInboxes;
    this.labels = labels;
    this.customAttributeDefinitions = definitions;
    this.contacts = contacts;
    this.sessions = sessions;
    this.conversations = conversations;
    const contactIds = pulumi.all(mapValues(contacts, (contact) => contact.contactId));
    const conversationUrls = pulumi.all(mapValues(conversations, (conversation) => conversation.url));
    Object.assign(this, { contactIds, conversationUrls });
    this.registerOutputs({ contactIds, conversationUrls });
  }
}

function apiInboxArgs(entry: SeedApiInbox) {
  const { key: _key, agents: _agents, ...fields } = entry;
  return withoutUndefined(fields);
}

function labelArgs(entry: SeedLabel) {
  const { key: _key, ...fields } = entry;
  return { ...withoutUndefined(fields), title: entry.title };
}

function attributeDefinitionArgs(entry: SeedAttributeDefinition) {
  const { key: _key, ...fields } = entry;
  return {
    ...withoutUndefined(fields),
    attributeModel: entry.attributeModel,
    attributeKey: entry.attributeKey,
    displayName: entry.displayName,
  };
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
  (data.apiInboxes ?? []).forEach((inbox, index) =>
    claim(`inbox-${apiInboxKey(inbox)}`, `apiInboxes[${index}] (${inbox.key ?? inbox.name})`),
  );
  const titles = new Map<string, string>();
  (data.labels ?? []).forEach((label, index) => {
    const entry = `labels[${index}] (${label.key ?? label.title})`;
    claim(`label-${labelKey(label)}`, entry);
    // Chatwoot keeps one label per title in an account: a second would fail its create.
    const earlier = titles.get(label.title);
    if (earlier !== undefined) {
      throw new SeedDataError(`${entry} and ${earlier} both declare the label "${label.title}"`);
    }
    titles.set(label.title, entry);
  });
  const identities = new Map<string, string>();
  (data.customAttributeDefinitions ?? []).forEach((definition, index) => {
    const entry = `customAttributeDefinitions[${index}] (${definition.key ?? definition.attributeKey})`;
    claim(`attribute-${attributeDefinitionKey(definition)}`, entry);
    // Chatwoot keeps one definition per key and model: a second would fail its create.
    const identity = `${definition.attributeModel} attribute "${definition.attributeKey}"`;
    const earlier = identities.get(identity);
    if (earlier !== undefined) throw new SeedDataError(`${entry} and ${earlier} both define the ${identity}`);
    identities.set(identity, entry);
  });
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

/**
 * A declared inbox's name must say one thing: two declarations of it (an ApiInbox keeps its name
 * unique in the account), or a table entry of the same name, would leave references ambiguous.
 */
function refuseAmbiguousInboxNames(data: CheckedSeedData, tables: ReferenceTables): void {
  const declared = new Set<string>();
  (data.apiInboxes ?? []).forEach((inbox, index) => {
    const entry = `apiInboxes[${index}] (${inbox.key ?? inbox.name})`;
    if (declared.has(inbox.name)) {
      throw new SeedDataError(
        `${entry}: [name] "${inbox.name}" is declared twice; inbox names must be unique`,
      );
    }
    if (Object.prototype.hasOwnProperty.call(tables.inboxes, inbox.name)) {
      throw new SeedDataError(
        `${entry}: [name] "${inbox.name}" is also in the inboxes table; references to it would be ambiguous, ` +
          "so remove it from the table (references to a declared inbox need no id)",
      );
    }
    declared.add(inbox.name);
  });
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
