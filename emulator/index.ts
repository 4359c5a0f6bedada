import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Socket } from "node:net";
import { EmulatorApp, type AccountSummary, type EmulatorSnapshot } from "./app";
import type { FaultConfig, FaultRule } from "./faults";
import type { LogSink } from "./log";
import { releaseProfile, type ChatwootRelease } from "./releases";
import { createRequestListener } from "./server";
import type { BareAccount, SeededAccount, SeedOptions } from "./store/seed";
import type { DeliveryRecord } from "./webhooks/deliveries";

export type { AccountSummary, EmulatorSnapshot } from "./app";
export type { FaultConfig, FaultKind, FaultRule } from "./faults";
export { FAULT_KINDS } from "./faults";
export type { ChatwootRelease, ReleaseBehaviour, ReleaseProfile } from "./releases";
export {
  NEWEST_RELEASE,
  OLDEST_RELEASE,
  SUPPORTED_RELEASES,
  UnsupportedReleaseError,
  releaseProfile,
} from "./releases";
export type { DeliveryRecord, DeliveryOutcome } from "./webhooks/deliveries";
export type { BareAccount, SeededAccount, SeedOptions } from "./store/seed";

/** Options of {@link startEmulator}. Every option is optional. */
export interface EmulatorOptions {
  /**
   * The Chatwoot release to behave like, e.g. `"4.1.0"` (see `SUPPORTED_RELEASES`); an unsupported
   * one is an {@link UnsupportedReleaseError} naming the supported ones. @default "4.14.2"
   */
  chatwootVersion?: string;
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default "127.0.0.1" */
  host?: string;
  /** Access token of the primary account's administrator — also the `/__emulator` token. @default random */
  adminToken?: string;
  /** Access token of the primary account's agent. @default random */
  agentToken?: string;
  /** Name of the primary account. @default "Emulated Account" */
  accountName?: string;
  /** Initial fault injection (random faults and deterministic rules). @default no faults */
  faults?: FaultConfig;
  /**
   * Requests per minute per client address, like Chatwoot's `RACK_ATTACK_LIMIT` (real Chatwoot
   * safelists loopback clients, so this is off unless set). 0 disables it. @default 0
   */
  rateLimitPerMinute?: number;
  /** `RATE_LIMIT_CONTACT_SEARCH`, applied only while `rateLimitPerMinute` is on. @default 100 */
  contactSearchLimitPerMinute?: number;
  /** `RATE_LIMIT_CONVERSATIONS_META`, applied only while `rateLimitPerMinute` is on. @default 30 */
  conversationsMetaLimitPerMinute?: number;
  /** `CONVERSATION_MESSAGE_PER_MINUTE_LIMIT`: messages per conversation per minute. @default 200 */
  messagesPerMinuteLimit?: number;
  /**
   * How long an accepted `DELETE /conversations/:id` takes to remove the conversation (Chatwoot
   * answers 200 at once and deletes in a background job). @default 5
   */
  conversationDeleteDelayMs?: number;
  /** How long contact and inbox deletes take to remove their dependents. @default conversationDeleteDelayMs */
  cascadeDeleteDelayMs?: number;
  /**
   * Serve the read-only web view of the data at `/` (no token needed; it never shows one). Turn it
   * off when binding to an address other people can reach and the data is not for them. @default true
   */
  webView?: boolean;
  /**
   * Where request log lines go (never containing a token): a function or a writable stream.
   * @default none
   */
  log?: LogSink | NodeJS.WritableStream;
}

/** A running emulator: the primary account's credentials and ids, and control operations. */
export interface RunningEmulator extends SeededAccount {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The Chatwoot release it behaves like. */
  chatwootVersion: ChatwootRelease;
  host: string;
  port: number;
  /** Stops listening, drops open connections and cancels pending background deletes. */
  close(): Promise<void>;
  /** Counts of contacts, contact inboxes, conversations and messages per account. */
  summary(): AccountSummary[];
  /** Drops all data and re-creates the primary account with the same ids and tokens. */
  reset(): void;
  /**
   * A copy of all data (ids, sequences and the callback log included), for `restore` to put back
   * later: a test can start from a seeded state without making it again. Refused while a delayed
   * delete, a held request or a callback is still in progress.
   */
  snapshot(): EmulatorSnapshot;
  /** Puts back the data a `snapshot` copied; faults are left as they are. */
  restore(snapshot: EmulatorSnapshot): void;
  /** Replaces the fault configuration. */
  setFaults(config: FaultConfig): void;
  /** Appends one deterministic fault rule. */
  addFaultRule(rule: FaultRule): void;
  /** Removes every fault (rules and random faults). */
  clearFaults(): void;
  /** The current fault configuration, rules with their remaining `times`. */
  faults(): FaultConfig & { fired: number };
  /** Creates another account with its own administrator, agent, inboxes, team and bot. */
  createAccount(options?: SeedOptions): SeededAccount;
  /**
   * Creates another account with its people only (administrator, agent, team, bot) and no inbox,
   * contact, label or anything else: where a program starts from an empty account.
   */
  createBareAccount(options?: SeedOptions): BareAccount;
  /** The API-inbox callbacks sent so far (the newest 1,000), oldest first. */
  webhookDeliveries(): readonly DeliveryRecord[];
  /** Resolves once every callback queued so far has been answered, refused or has failed. */
  webhooksSettled(): Promise<void>;
}

function toLogSink(log: EmulatorOptions["log"]): LogSink {
  if (log === undefined || log === null) return null;
  if (typeof log === "function") return log;
  return (line) => {
    log.write(`${line}\n`);
  };
}

/** Starts a Chatwoot Application API emulator over real HTTP. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  // First, so that a wrong version fails before a port is taken.
  const release = releaseProfile(options.chatwootVersion);
  const deleteDelay = options.conversationDeleteDelayMs ?? 5;
  const app = new EmulatorApp(
    {
      messagesPerMinuteLimit: options.messagesPerMinuteLimit ?? 200,
      conversationDeleteDelayMs: deleteDelay,
      cascadeDeleteDelayMs: options.cascadeDeleteDelayMs ?? deleteDelay,
      rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
      contactSearchLimitPerMinute: options.contactSearchLimitPerMinute ?? 100,
      conversationsMetaLimitPerMinute: options.conversationsMetaLimitPerMinute ?? 30,
    },
    {
      ...(options.accountName !== undefined ? { name: options.accountName } : {}),
      ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}),
      ...(options.agentToken !== undefined ? { agentToken: options.agentToken } : {}),
    },
    options.faults ?? {},
    release,
  );
  const server: Server = createServer(
    createRequestListener(app, { log: toLogSink(options.log), webView: options.webView ?? true }),
  );
  server.keepAliveTimeout = 5_000;
  const sockets = new Set<Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  let closing: Promise<void> | null = null;
  const running: RunningEmulator = {
    ...app.primary,
    url: `http://${urlHost}:${port}`,
    chatwootVersion: release.version,
    host,
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        app.state.scheduler.cancelAll();
        app.state.webhooks.abortAll();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
    summary: () => app.summary(),
    reset: () => {
      app.reset();
    },
    snapshot: () => app.snapshot(),
    restore: (snapshot) => app.restore(snapshot),
    setFaults: (config) => app.faults.set(config),
    addFaultRule: (rule) => app.faults.addRule(rule),
    clearFaults: () => app.faults.clear(),
    faults: () => app.faults.snapshot(),
    createAccount: (seed) => app.createAccount(seed),
    createBareAccount: (seed) => app.createBareAccount(seed),
    webhookDeliveries: () => app.state.webhooks.list(),
    webhooksSettled: () => app.state.webhooks.settled(),
  };
  return running;
}
