import type { EmulatorState, HandlerSettings } from "./context";
import { WebhookDeliveries, type DeliveryRecord } from "./webhooks/deliveries";
import { FaultInjector, type FaultConfig } from "./faults";
import { Router } from "./http/router";
import { FixedWindowLimiter } from "./rateLimit";
import { registerAgentRoutes } from "./routes/agents";
import { registerContactInboxRoutes } from "./routes/contactInboxes";
import { registerContactLabelRoutes } from "./routes/contactLabels";
import { registerContactRoutes } from "./routes/contacts";
import { registerConversationMemberRoutes } from "./routes/conversationMembers";
import { registerConversationListRoutes } from "./routes/conversationLists";
import { registerConversationRoutes } from "./routes/conversations";
import { registerCustomAttributeDefinitionRoutes } from "./routes/customAttributeDefinitions";
import { registerInboxMemberRoutes } from "./routes/inboxMembers";
import { registerInboxRoutes } from "./routes/inboxes";
import { registerLabelRoutes } from "./routes/labels";
import { registerMessageRoutes } from "./routes/messages";
import { registerProfileRoutes } from "./routes/profile";
import { registerServerInfoRoutes } from "./routes/serverInfo";
import { releaseProfile, type ReleaseProfile } from "./releases";
import { Scheduler } from "./scheduler";
import { registerTeamRoutes } from "./routes/teams";
import {
  seedAccount,
  seedBareAccount,
  type BareAccount,
  type SeededAccount,
  type SeedOptions,
} from "./store/seed";
import { Store } from "./store/store";

export interface AppSettings extends HandlerSettings {
  /** Requests per minute per client address; 0 disables rate limiting. */
  rateLimitPerMinute: number;
  /** `RATE_LIMIT_CONTACT_SEARCH`: searches per minute per account while rate limiting is on. */
  contactSearchLimitPerMinute: number;
  /** `RATE_LIMIT_CONVERSATIONS_META`: calls per minute per token and account while rate limiting is on. */
  conversationsMetaLimitPerMinute: number;
}

export interface AccountSummary {
  accountId: number;
  name: string;
  contacts: number;
  contactInboxes: number;
  conversations: number;
  messages: number;
}

/** The Chatwoot Application API routes (everything but `/__emulator`) of one release. */
export function buildApiRouter(release: ReleaseProfile = releaseProfile()): Router {
  const router = new Router();
  registerServerInfoRoutes(router, release);
  registerProfileRoutes(router);
  registerContactRoutes(router);
  registerContactInboxRoutes(router);
  registerContactLabelRoutes(router);
  // Literal paths (`/conversations/meta`, …) must come before `/conversations/:id`.
  registerConversationListRoutes(router);
  registerConversationRoutes(router, release);
  registerConversationMemberRoutes(router);
  registerMessageRoutes(router);
  registerInboxRoutes(router);
  registerInboxMemberRoutes(router);
  registerLabelRoutes(router);
  registerAgentRoutes(router);
  registerTeamRoutes(router);
  registerCustomAttributeDefinitionRoutes(router);
  return router;
}

/** A copy of an emulator's data (`EmulatorApp.snapshot`); opaque to its users. */
export interface EmulatorSnapshot {
  readonly store: Store;
  readonly deliveries: readonly DeliveryRecord[];
  readonly primary: SeededAccount;
}

/**
 * Everything one emulator instance holds: data, fault configuration and rate-limit counters, plus the
 * operations the inspection endpoints and the code API expose.
 */
export class EmulatorApp {
  readonly state: EmulatorState;
  readonly router: Router;
  readonly faults: FaultInjector;
  readonly clientLimiter: FixedWindowLimiter;
  readonly searchLimiter: FixedWindowLimiter;
  readonly metaLimiter: FixedWindowLimiter;
  private primarySeed: SeedOptions;
  primary: SeededAccount;
  /** Requests applied late (`commit_late`), each waiting for `remaining` more API requests. */
  heldRequests: Array<{ remaining: number; apply: () => unknown }> = [];

  constructor(
    readonly settings: AppSettings,
    seed: SeedOptions,
    faults: FaultConfig = {},
    readonly release: ReleaseProfile = releaseProfile(),
  ) {
    this.router = buildApiRouter(release);
    this.state = {
      store: new Store(release),
      scheduler: new Scheduler(),
      settings,
      webhooks: new WebhookDeliveries(),
    };
    this.primarySeed = seed;
    this.primary = seedAccount(this.state.store, seed);
    // Keep the same tokens across resets so clients holding them keep working.
    this.primarySeed = {
      ...seed,
      adminToken: this.primary.adminToken,
      agentToken: this.primary.agentToken,
      botToken: this.primary.botToken,
    };
    this.faults = new FaultInjector(faults);
    this.clientLimiter = new FixedWindowLimiter(settings.rateLimitPerMinute);
    this.searchLimiter = new FixedWindowLimiter(
      settings.rateLimitPerMinute > 0 ? settings.contactSearchLimitPerMinute : 0,
    );
    this.metaLimiter = new FixedWindowLimiter(
      settings.rateLimitPerMinute > 0 ? settings.conversationsMetaLimitPerMinute : 0,
    );
  }

  /** The token that opens `/__emulator`: the primary account's administrator token. */
  get adminToken(): string {
    return this.primary.adminToken;
  }

  summary(): AccountSummary[] {
    const store = this.state.store;
    return [...store.accounts.values()].map((account) => ({
      accountId: account.id,
      name: account.name,
      ...store.summary(account),
    }));
  }

  /** Drops every record and re-creates the primary account with the same ids and tokens. */
  reset(): SeededAccount {
    this.state.scheduler.cancelAll();
    this.heldRequests = [];
    this.state.store = new Store(this.release);
    this.state.webhooks.clear();
    this.primary = seedAccount(this.state.store, this.primarySeed);
    this.clientLimiter.reset();
    this.searchLimiter.reset();
    this.metaLimiter.reset();
    return this.primary;
  }

  /**
   * Everything the emulator holds, copied: a later `restore` puts it back exactly (ids, sequences and
   * tokens included), as restoring a database dump would. Only a quiet emulator can be copied: a job
   * still scheduled (a delayed delete), a request held back by a fault or a callback still in flight
   * would be lost from the copy, so those are refused.
   */
  snapshot(): EmulatorSnapshot {
    const busy = [
      this.state.scheduler.waiting > 0 ? `${this.state.scheduler.waiting} scheduled job(s)` : "",
      this.heldRequests.length > 0 ? `${this.heldRequests.length} request(s) held by a fault` : "",
      this.state.webhooks.inProgress > 0 ? `${this.state.webhooks.inProgress} callback(s) in flight` : "",
    ].filter((reason) => reason !== "");
    if (busy.length > 0) throw new Error(`cannot snapshot the emulator while it has ${busy.join(", ")}`);
    return {
      store: this.state.store.clone(),
      deliveries: structuredClone(this.state.webhooks.list()),
      primary: { ...this.primary },
    };
  }

  /** Puts back what `snapshot` copied, with the rate-limit windows empty, as after `reset`. */
  restore(snapshot: EmulatorSnapshot): void {
    this.state.scheduler.cancelAll();
    this.heldRequests = [];
    this.state.store = snapshot.store.clone();
    this.state.webhooks.replaceLog(snapshot.deliveries);
    this.primary = { ...snapshot.primary };
    this.clientLimiter.reset();
    this.searchLimiter.reset();
    this.metaLimiter.reset();
  }

  /** Another account with its own administrator, agent, inboxes, team and bot. */
  createAccount(options: SeedOptions = {}): SeededAccount {
    return seedAccount(this.state.store, options);
  }

  /** Another account with its people only (administrator, agent, team, bot): no inbox, no data. */
  createBareAccount(options: SeedOptions = {}): BareAccount {
    return seedBareAccount(this.state.store, options);
  }
}
