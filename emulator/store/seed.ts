import { createApiChannel, createInbox } from "../domain/inboxes";
import type { Store } from "./store";

/**
 * Credentials and ids of an account with its people and nothing else: an administrator, an agent,
 * a team and a bot, but no inbox, contact, conversation, label or attribute definition.
 */
export interface BareAccount {
  accountId: number;
  adminId: number;
  adminToken: string;
  agentId: number;
  agentToken: string;
  /** A team the agent belongs to. */
  teamId: number;
  /** An agent bot of the account (bot tokens may only call Chatwoot's bot allow-list). */
  botId: number;
  botToken: string;
}

/** Credentials and ids of one seeded account, as printed by the CLI and returned by `startEmulator`. */
export interface SeededAccount extends BareAccount {
  /** An API inbox the agent is a member of. */
  inboxId: number;
  /** An API inbox the agent is not a member of. */
  otherInboxId: number;
}

export interface SeedOptions {
  /** Account name. @default "Emulated Account" */
  name?: string;
  /**
   * Access token of the administrator. When a user already holds it (say, the primary account's
   * administrator), that user becomes this account's administrator too, as a Chatwoot user can
   * belong to several accounts. @default a new user with a random token
   */
  adminToken?: string;
  /** Access token of the agent. @default random */
  agentToken?: string;
  /** The agent's name. @default "Agent" */
  agentName?: string;
  /** The agent's email. @default `agent@example.com` (`agent+<account id>@example.com` after the first account) */
  agentEmail?: string;
  /** The team's name. @default "Support" */
  teamName?: string;
  /** Access token of the agent bot. @default random */
  botToken?: string;
}

/**
 * Creates an account the way a fresh Chatwoot installation plus a little set-up looks: an
 * administrator, an agent, two API inboxes (only one of which the agent belongs to), a team and a bot.
 */
export function seedAccount(store: Store, options: SeedOptions = {}): SeededAccount {
  const bare = seedBareAccount(store, options);
  const account = store.accounts.get(bare.accountId)!;
  const inbox = createInbox(store, account, "API Inbox", createApiChannel(store));
  inbox.memberIds.add(bare.agentId);
  const otherInbox = createInbox(store, account, "Other API Inbox", createApiChannel(store));
  return { ...bare, inboxId: inbox.id, otherInboxId: otherInbox.id };
}

/**
 * Creates an account with its people only: an administrator, an agent, a team and a bot. Inboxes,
 * labels and everything else are for the program under test to declare (Chatwoot's API cannot
 * make agents join an account by invitation alone, and a team needs an administrator's set-up).
 */
export function seedBareAccount(store: Store, options: SeedOptions = {}): BareAccount {
  const account = store.createAccount(options.name ?? "Emulated Account");
  const suffix = account.id === 1 ? "" : `+${account.id}`;
  const existingAdmin = options.adminToken === undefined ? undefined : store.tokenOwner(options.adminToken);
  const admin =
    existingAdmin?.kind === "user"
      ? existingAdmin.user
      : store.createUser({
          name: "Admin",
          email: `admin${suffix}@example.com`,
          ...(options.adminToken !== undefined ? { accessToken: options.adminToken } : {}),
        });
  const agent = store.createUser({
    name: options.agentName ?? "Agent",
    email: options.agentEmail ?? `agent${suffix}@example.com`,
    ...(options.agentToken !== undefined ? { accessToken: options.agentToken } : {}),
  });
  store.addMember(account, admin, "administrator");
  store.addMember(account, agent, "agent");

  const team = store.createTeam(account, options.teamName ?? "Support", "Front-line support");
  team.memberIds.add(agent.id);

  const bot = store.createBot(account, "Emulated Bot", options.botToken);

  return {
    accountId: account.id,
    adminId: admin.id,
    adminToken: admin.accessToken,
    agentId: agent.id,
    agentToken: agent.accessToken,
    teamId: team.id,
    botId: bot.id,
    botToken: bot.accessToken,
  };
}
