import { rubyDowncase } from "../http/rubyish";
import { randomBytes, randomUUID } from "node:crypto";
import type {
  Account,
  AccountUser,
  AgentBot,
  Contact,
  ContactInbox,
  Conversation,
  Inbox,
  Role,
  Team,
  User,
} from "./types";
import { releaseProfile, type ReleaseProfile } from "../releases";
import { TagTable } from "../domain/tags";

export type TokenOwner = { kind: "user"; user: User } | { kind: "bot"; bot: AgentBot };

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/** A token shaped like Rails' `has_secure_token` (24 base58 characters). */
export function secureToken(length = 24): string {
  const bytes = randomBytes(length);
  let token = "";
  for (const byte of bytes) token += BASE58[byte % BASE58.length];
  return token;
}

export function uuid(): string {
  return randomUUID();
}

function sourceKey(inboxId: number, sourceId: string): string {
  return `${inboxId}\u0000${sourceId}`;
}

/**
 * Every record of every account, with the indexes the API needs to stay O(1) per request.
 * Ids come from global sequences, as in Chatwoot's Postgres tables; conversation display ids come
 * from a per-account sequence.
 */
export class Store {
  /**
   * The Chatwoot release this installation runs: views and domain code ask its flags
   * (`emulator/releases.ts`).
   */
  constructor(readonly release: ReleaseProfile = releaseProfile()) {}

  readonly accounts = new Map<number, Account>();
  readonly users = new Map<number, User>();
  /** acts-as-taggable-on's `tags` table: names shared by every account, reused ignoring case. */
  readonly tags = new TagTable();
  private readonly tokens = new Map<string, TokenOwner>();
  private readonly contactInboxesByKey = new Map<string, ContactInbox>();
  private readonly contactInboxesBySource = new Map<string, ContactInbox[]>();
  private readonly sequences = new Map<string, number>();

  nextId(sequence: string): number {
    const next = (this.sequences.get(sequence) ?? 0) + 1;
    this.sequences.set(sequence, next);
    return next;
  }

  createAccount(name: string): Account {
    const account: Account = {
      id: this.nextId("accounts"),
      name,
      status: "active",
      createdAtMs: Date.now(),
      members: new Map(),
      contacts: new Map(),
      contactIdByEmail: new Map(),
      contactIdByPhone: new Map(),
      contactIdByIdentifier: new Map(),
      inboxes: new Map(),
      conversations: new Map(),
      nextDisplayId: 1,
      labels: new Map(),
      customAttributeDefinitions: new Map(),
      teams: new Map(),
      bots: new Map(),
    };
    this.accounts.set(account.id, account);
    return account;
  }

  createUser(fields: { name: string; email: string; accessToken?: string }): User {
    const user: User = {
      id: this.nextId("users"),
      name: fields.name,
      displayName: null,
      email: fields.email,
      accessToken: fields.accessToken ?? secureToken(),
      pubsubToken: secureToken(),
      customAttributes: {},
      messageSignature: null,
      uiSettings: {},
      createdAtMs: Date.now(),
    };
    if (this.tokens.has(user.accessToken)) throw new Error("access token already in use");
    this.users.set(user.id, user);
    this.tokens.set(user.accessToken, { kind: "user", user });
    return user;
  }

  /**
   * A new access token for the user; the old one stops working at once (`user.access_token
   * .regenerate_token` in chatwoot app/controllers/api/v1/profiles_controller.rb).
   */
  regenerateAccessToken(user: User): void {
    this.tokens.delete(user.accessToken);
    user.accessToken = secureToken();
    this.tokens.set(user.accessToken, { kind: "user", user });
  }

  addMember(account: Account, user: User, role: Role): AccountUser {
    const membership: AccountUser = {
      userId: user.id,
      role,
      availability: "online",
      autoOffline: true,
      activeAtMs: null,
    };
    account.members.set(user.id, membership);
    return membership;
  }

  createBot(account: Account, name: string, accessToken: string = secureToken()): AgentBot {
    const bot: AgentBot = {
      id: this.nextId("agent_bots"),
      accountId: account.id,
      name,
      description: "",
      outgoingUrl: "http://localhost/bot",
      accessToken,
    };
    if (this.tokens.has(accessToken)) throw new Error("access token already in use");
    account.bots.set(bot.id, bot);
    this.tokens.set(bot.accessToken, { kind: "bot", bot });
    return bot;
  }

  createTeam(account: Account, name: string, description: string | null): Team {
    const now = Date.now();
    const team: Team = {
      id: this.nextId("teams"),
      accountId: account.id,
      // `Team`'s before_validation stores the name lower-cased (chatwoot app/models/team.rb).
      name: rubyDowncase(name),
      description,
      allowAutoAssign: true,
      memberIds: new Set(),
      createdAtMs: now,
      updatedAtMs: now,
    };
    account.teams.set(team.id, team);
    return team;
  }

  tokenOwner(token: string): TokenOwner | undefined {
    return this.tokens.get(token);
  }

  findBot(botId: number): AgentBot | undefined {
    for (const account of this.accounts.values()) {
      const bot = account.bots.get(botId);
      if (bot) return bot;
    }
    return undefined;
  }

  // ---- contact inboxes: the unique index on (inbox_id, source_id) and the plain index on source_id

  contactInboxAt(inboxId: number, sourceId: string): ContactInbox | undefined {
    return this.contactInboxesByKey.get(sourceKey(inboxId, sourceId));
  }

  /** `ContactInbox.find_by(source_id:)`: global, first created wins. */
  firstContactInboxWithSource(sourceId: string): ContactInbox | undefined {
    return this.contactInboxesBySource.get(sourceId)?.[0];
  }

  insertContactInbox(contactInbox: ContactInbox): void {
    this.contactInboxesByKey.set(sourceKey(contactInbox.inbox.id, contactInbox.sourceId), contactInbox);
    const bySource = this.contactInboxesBySource.get(contactInbox.sourceId);
    if (bySource) bySource.push(contactInbox);
    else this.contactInboxesBySource.set(contactInbox.sourceId, [contactInbox]);
    contactInbox.contact.contactInboxes.push(contactInbox);
  }

  removeContactInbox(contactInbox: ContactInbox): void {
    const key = sourceKey(contactInbox.inbox.id, contactInbox.sourceId);
    if (this.contactInboxesByKey.get(key) === contactInbox) this.contactInboxesByKey.delete(key);
    const bySource = this.contactInboxesBySource.get(contactInbox.sourceId);
    if (bySource) {
      const remaining = bySource.filter((entry) => entry !== contactInbox);
      if (remaining.length === 0) this.contactInboxesBySource.delete(contactInbox.sourceId);
      else this.contactInboxesBySource.set(contactInbox.sourceId, remaining);
    }
    const owned = contactInbox.contact.contactInboxes;
    const index = owned.indexOf(contactInbox);
    if (index !== -1) owned.splice(index, 1);
  }

  // ---- contacts: per-account uniqueness indexes

  indexContact(account: Account, contact: Contact): void {
    if (contact.email !== null) account.contactIdByEmail.set(contact.email, contact.id);
    if (contact.phoneNumber !== null && contact.phoneNumber.trim() !== "") {
      account.contactIdByPhone.set(contact.phoneNumber, contact.id);
    }
    if (contact.identifier !== null) account.contactIdByIdentifier.set(contact.identifier, contact.id);
  }

  unindexContact(account: Account, contact: Contact): void {
    if (contact.email !== null && account.contactIdByEmail.get(contact.email) === contact.id) {
      account.contactIdByEmail.delete(contact.email);
    }
    if (contact.phoneNumber !== null && account.contactIdByPhone.get(contact.phoneNumber) === contact.id) {
      account.contactIdByPhone.delete(contact.phoneNumber);
    }
    if (contact.identifier !== null && account.contactIdByIdentifier.get(contact.identifier) === contact.id) {
      account.contactIdByIdentifier.delete(contact.identifier);
    }
  }

  // ---- conversations

  removeConversation(account: Account, conversation: Conversation): void {
    conversation.deleted = true;
    if (account.conversations.get(conversation.displayId) === conversation) {
      account.conversations.delete(conversation.displayId);
    }
    const list = conversation.contact.conversations;
    const index = list.indexOf(conversation);
    if (index !== -1) list.splice(index, 1);
  }

  removeInbox(account: Account, inbox: Inbox): void {
    account.inboxes.delete(inbox.id);
  }

  /**
   * A deep copy of every record, sharing nothing with this store: what a database dump and restore
   * would give back, ids and sequences included. One `structuredClone` call copies the whole graph, so
   * a record referenced from several places (a contact inbox in its contact, its inbox's index and the
   * source index) is still one record in the copy.
   */
  clone(): Store {
    const copy = new Store(this.release);
    const graph = structuredClone({
      accounts: this.accounts,
      users: this.users,
      tags: this.tags.entries(),
      tokens: this.tokens,
      contactInboxesByKey: this.contactInboxesByKey,
      contactInboxesBySource: this.contactInboxesBySource,
      sequences: this.sequences,
    });
    for (const [id, account] of graph.accounts) copy.accounts.set(id, account);
    for (const [id, user] of graph.users) copy.users.set(id, user);
    copy.tags.load(graph.tags);
    for (const [token, owner] of graph.tokens) copy.tokens.set(token, owner);
    for (const [key, entry] of graph.contactInboxesByKey) copy.contactInboxesByKey.set(key, entry);
    for (const [key, entries] of graph.contactInboxesBySource) copy.contactInboxesBySource.set(key, entries);
    for (const [name, value] of graph.sequences) copy.sequences.set(name, value);
    return copy;
  }

  /** Counts for the inspection summary. */
  summary(account: Account): {
    contacts: number;
    contactInboxes: number;
    conversations: number;
    messages: number;
  } {
    let contactInboxes = 0;
    for (const contact of account.contacts.values()) contactInboxes += contact.contactInboxes.length;
    let messages = 0;
    for (const conversation of account.conversations.values()) messages += conversation.messages.length;
    return {
      contacts: account.contacts.size,
      contactInboxes,
      conversations: account.conversations.size,
      messages,
    };
  }
}
