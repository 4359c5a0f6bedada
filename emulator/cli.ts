#!/usr/bin/env node
import { parseArgs } from "node:util";
import { FAULT_KINDS, startEmulator, type EmulatorOptions, type FaultConfig, type FaultKind } from "./index";
import { FaultValidationError, validateFaultConfig } from "./faults";
import { NEWEST_RELEASE, SUPPORTED_RELEASES, UnsupportedReleaseError, releaseProfile } from "./releases";

const USAGE = `Usage: chatwoot-emulator [options]

Starts a local Chatwoot Application API emulator. When ready it prints one JSON line on stdout
(url, accountId, adminToken, agentToken, adminId, agentId, inboxId, otherInboxId, teamId, ...);
request logs go to stderr.

Options (environment variable in brackets):
  --chatwoot-version <x.y.z>      Chatwoot release to behave like [CHATWOOT_EMULATOR_VERSION]
                                  (default ${NEWEST_RELEASE}; supported: ${SUPPORTED_RELEASES[0]} to ${NEWEST_RELEASE})
  --port <n>                      port, 0 picks a free one [CHATWOOT_EMULATOR_PORT] (default 3000)
  --host <address>                interface [CHATWOOT_EMULATOR_HOST] (default 127.0.0.1)
  --admin-token <token>           administrator token [CHATWOOT_EMULATOR_ADMIN_TOKEN] (default random)
  --agent-token <token>           agent token [CHATWOOT_EMULATOR_AGENT_TOKEN] (default random)
  --rate-limit <n>                requests per minute per client, 0 = off
                                  [CHATWOOT_EMULATOR_RATE_LIMIT or RACK_ATTACK_LIMIT] (default 0)
  --fault-probability <p>         chance 0..1 of a random fault [CHATWOOT_EMULATOR_FAULT_PROBABILITY]
  --fault-mix <kind=weight,...>   weights of ${FAULT_KINDS.join(", ")}
                                  [CHATWOOT_EMULATOR_FAULT_MIX] (default all 1)
  --fault-latency-ms <n>          delay of latency faults [CHATWOOT_EMULATOR_FAULT_LATENCY_MS] (default 250)
  --fault-seed <n>                seed of the fault generator [CHATWOOT_EMULATOR_FAULT_SEED]
  --fault-rules <json>            deterministic rules, a JSON array [CHATWOOT_EMULATOR_FAULT_RULES]
  --conversation-delete-delay-ms <n>  delay of background deletes [CHATWOOT_EMULATOR_DELETE_DELAY_MS] (default 5)
  --no-web-view                   do not serve the read-only HTML view at / [CHATWOOT_EMULATOR_WEB_VIEW=0]
  --quiet                         no request logs
  --help                          this text
`;

class UsageError extends Error {}

function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed))
    throw new UsageError(`${name} must be a number, got ${JSON.stringify(value)}`);
  return parsed;
}

function parseMix(text: string | undefined): Partial<Record<FaultKind, number>> | undefined {
  if (text === undefined || text === "") return undefined;
  const mix: Partial<Record<FaultKind, number>> = {};
  for (const part of text.split(",")) {
    const [kind, weight] = part.split("=").map((piece) => piece.trim());
    if (!kind || !(FAULT_KINDS as readonly string[]).includes(kind))
      throw new UsageError(`unknown fault kind: ${kind}`);
    mix[kind as FaultKind] = numberOption(`weight of ${kind}`, weight ?? "1") ?? 1;
  }
  return mix;
}

function parseRules(text: string | undefined): FaultConfig["rules"] {
  if (text === undefined || text === "") return undefined;
  try {
    const rules: unknown = JSON.parse(text);
    if (!Array.isArray(rules)) throw new UsageError("--fault-rules must be a JSON array");
    return rules as FaultConfig["rules"];
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--fault-rules is not valid JSON: ${(error as Error).message}`);
  }
}

/** Command line flags win over environment variables. */
export function optionsFromCommandLine(argv: string[], env: NodeJS.ProcessEnv): EmulatorOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      "chatwoot-version": { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      "admin-token": { type: "string" },
      "agent-token": { type: "string" },
      "rate-limit": { type: "string" },
      "fault-probability": { type: "string" },
      "fault-mix": { type: "string" },
      "fault-latency-ms": { type: "string" },
      "fault-seed": { type: "string" },
      "fault-rules": { type: "string" },
      "conversation-delete-delay-ms": { type: "string" },
      "no-web-view": { type: "boolean" },
      quiet: { type: "boolean" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return "help";
  const faults: FaultConfig = {};
  const probability = numberOption(
    "--fault-probability",
    values["fault-probability"] ?? env.CHATWOOT_EMULATOR_FAULT_PROBABILITY,
  );
  if (probability !== undefined) faults.probability = probability;
  const mix = parseMix(values["fault-mix"] ?? env.CHATWOOT_EMULATOR_FAULT_MIX);
  if (mix !== undefined) faults.mix = mix;
  const latency = numberOption(
    "--fault-latency-ms",
    values["fault-latency-ms"] ?? env.CHATWOOT_EMULATOR_FAULT_LATENCY_MS,
  );
  if (latency !== undefined) faults.latencyMs = latency;
  const seed = numberOption("--fault-seed", values["fault-seed"] ?? env.CHATWOOT_EMULATOR_FAULT_SEED);
  if (seed !== undefined) faults.seed = seed;
  const rules = parseRules(values["fault-rules"] ?? env.CHATWOOT_EMULATOR_FAULT_RULES);
  if (rules !== undefined) faults.rules = rules;
  try {
    validateFaultConfig(faults);
  } catch (error) {
    if (error instanceof FaultValidationError) throw new UsageError(error.message);
    throw error;
  }

  const options: EmulatorOptions = {
    port: numberOption("--port", values.port ?? env.CHATWOOT_EMULATOR_PORT) ?? 3000,
    host: values.host ?? env.CHATWOOT_EMULATOR_HOST ?? "127.0.0.1",
    faults,
    log: values.quiet ? null : process.stderr,
  };
  const version = values["chatwoot-version"] ?? env.CHATWOOT_EMULATOR_VERSION;
  if (version !== undefined && version !== "") {
    try {
      options.chatwootVersion = releaseProfile(version).version;
    } catch (error) {
      if (error instanceof UnsupportedReleaseError) throw new UsageError(error.message);
      throw error;
    }
  }
  const adminToken = values["admin-token"] ?? env.CHATWOOT_EMULATOR_ADMIN_TOKEN;
  if (adminToken) options.adminToken = adminToken;
  const agentToken = values["agent-token"] ?? env.CHATWOOT_EMULATOR_AGENT_TOKEN;
  if (agentToken) options.agentToken = agentToken;
  const rateLimit = numberOption(
    "--rate-limit",
    values["rate-limit"] ?? env.CHATWOOT_EMULATOR_RATE_LIMIT ?? env.RACK_ATTACK_LIMIT,
  );
  if (rateLimit !== undefined) options.rateLimitPerMinute = rateLimit;
  const deleteDelay = numberOption(
    "--conversation-delete-delay-ms",
    values["conversation-delete-delay-ms"] ?? env.CHATWOOT_EMULATOR_DELETE_DELAY_MS,
  );
  if (deleteDelay !== undefined) options.conversationDeleteDelayMs = deleteDelay;
  const webViewEnv = env.CHATWOOT_EMULATOR_WEB_VIEW?.trim().toLowerCase();
  if (values["no-web-view"] || webViewEnv === "0" || webViewEnv === "false") options.webView = false;
  return options;
}

async function main(): Promise<void> {
  let options: EmulatorOptions | "help";
  try {
    options = optionsFromCommandLine(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`chatwoot-emulator: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === "help") {
    process.stdout.write(USAGE);
    return;
  }
  const emulator = await startEmulator(options);
  const ready = {
    url: emulator.url,
    chatwootVersion: emulator.chatwootVersion,
    accountId: emulator.accountId,
    adminToken: emulator.adminToken,
    agentToken: emulator.agentToken,
    adminId: emulator.adminId,
    agentId: emulator.agentId,
    inboxId: emulator.inboxId,
    otherInboxId: emulator.otherInboxId,
    teamId: emulator.teamId,
    botId: emulator.botId,
    botToken: emulator.botToken,
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`chatwoot-emulator: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
