import { parseArgs } from "node:util";

/** Where the demo seeds the data set. */
export type DemoTarget =
  | { readonly kind: "emulator" }
  | {
      readonly kind: "chatwoot";
      readonly url: string;
      readonly accountId: number;
      readonly token: string;
      /** Ids for the data's agent and team, where that account names them differently. */
      readonly agentId: number | undefined;
      readonly teamId: number | undefined;
    };

export interface DemoOptions {
  readonly target: DemoTarget;
  /** Keep the embedded emulator up after seeding, until Ctrl-C. */
  readonly keepRunning: boolean;
}

export type DemoCommand = { readonly kind: "help" } | { readonly kind: "run"; readonly options: DemoOptions };

/** A command line the demo cannot run; the message says what to change. */
export class DemoUsageError extends Error {
  override readonly name = "DemoUsageError";
}

export const USAGE = `Usage: npm run demo -- [--keep-running] [--url <chatwoot url> [--agent-id <id>] [--team-id <id>]]

Seeds the demo data set (examples/demo-dataset/dataset.yaml) with the repository's root Pulumi
project into an empty account: its own API inbox, whose callbacks the demo receives and counts,
then contacts, contact inboxes and conversations. It prints a summary. By default it seeds a new
account of a Chatwoot emulator started for the occasion;
with a \`pulumi\` CLI installed it runs \`pulumi up\` and \`pulumi preview --expect-no-changes\` with a
local backend in .pulumi/, and without one it runs the program through Pulumi's dynamic-provider
host directly (the engine harness the tests use).

  --keep-running     keep the emulator up afterwards and print its URL and admin token, until Ctrl-C
  --url <url>        seed a real Chatwoot instead; needs CHATWOOT_API_ACCESS_TOKEN and
                     CHATWOOT_ACCOUNT_ID in the environment (an administrator's token)
  --agent-id <id>    with --url: the agent to use for the data's frontline@lumen.example, when that
                     account has no agent with that email (or CHATWOOT_AGENT_ID)
  --team-id <id>     with --url: the team to use for the data's "Support", when that account has
                     no team of that name (or CHATWOOT_TEAM_ID)
  -h, --help         show this help`;

/** Reads the command line and, for `--url`, the environment. Throws {@link DemoUsageError}. */
export function parseDemoCommand(argv: readonly string[], env: NodeJS.ProcessEnv): DemoCommand {
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    throw new DemoUsageError(`${(error as Error).message}\nRun \`npm run demo -- --help\` for the options.`);
  }
  const flags = parsed.values;
  if (flags.help) return { kind: "help" };
  const keepRunning = flags["keep-running"] ?? false;
  if (flags.url === undefined) {
    const idFlags = ["agent-id", "team-id"].filter((name) => flags[name as "agent-id"] !== undefined);
    if (idFlags.length > 0) {
      throw new DemoUsageError(
        `--${idFlags.join(", --")}: only with --url (the emulator's demo account has the agent and team the data names)`,
      );
    }
    return { kind: "run", options: { target: { kind: "emulator" }, keepRunning } };
  }
  if (keepRunning)
    throw new DemoUsageError("--keep-running applies to the embedded emulator only, not with --url");
  return { kind: "run", options: { target: chatwootTarget(flags, env), keepRunning } };
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      help: { type: "boolean", short: "h" },
      "keep-running": { type: "boolean" },
      url: { type: "string" },
      "agent-id": { type: "string" },
      "team-id": { type: "string" },
    },
  });
}

function chatwootTarget(flags: ReturnType<typeof parseFlags>["values"], env: NodeJS.ProcessEnv): DemoTarget {
  const url = httpUrl(flags.url ?? "");
  const sources = {
    token: env.CHATWOOT_API_ACCESS_TOKEN,
    accountId: env.CHATWOOT_ACCOUNT_ID,
  };
  const optionalIds = {
    agentId: flags["agent-id"] ?? env.CHATWOOT_AGENT_ID,
    teamId: flags["team-id"] ?? env.CHATWOOT_TEAM_ID,
  };
  const where = {
    token: "CHATWOOT_API_ACCESS_TOKEN in the environment",
    accountId: "CHATWOOT_ACCOUNT_ID in the environment",
  };
  const optionalWhere = {
    agentId: "--agent-id or CHATWOOT_AGENT_ID",
    teamId: "--team-id or CHATWOOT_TEAM_ID",
  };
  const missing = (Object.keys(sources) as Array<keyof typeof sources>).filter(
    (name) => (sources[name] ?? "").trim() === "",
  );
  if (missing.length > 0) {
    throw new DemoUsageError(
      `--url ${url} also needs:\n  - ${missing.map((name) => where[name]).join("\n  - ")}\n` +
        "The token is an administrator's API access token (Chatwoot: Profile settings, Access token).",
    );
  }
  return {
    kind: "chatwoot",
    url,
    token: sources.token!.trim(),
    accountId: positiveId(sources.accountId!, where.accountId),
    agentId: optionalId(optionalIds.agentId, optionalWhere.agentId),
    teamId: optionalId(optionalIds.teamId, optionalWhere.teamId),
  };
}

function httpUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DemoUsageError(
      `--url must be Chatwoot's base URL, such as https://chatwoot.example.com (got "${text}")`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new DemoUsageError(`--url must be an http or https URL (got "${text}")`);
  }
  // The token must never land in a stack config file or a log line through the URL.
  if (url.username !== "" || url.password !== "") {
    throw new DemoUsageError("--url must not carry credentials; put the token in CHATWOOT_API_ACCESS_TOKEN");
  }
  return url.toString().replace(/\/+$/, "");
}

function optionalId(text: string | undefined, where: string): number | undefined {
  return text === undefined || text.trim() === "" ? undefined : positiveId(text, where);
}

function positiveId(text: string, where: string): number {
  const trimmed = text.trim();
  if (!/^[1-9]\d{0,14}$/.test(trimmed))
    throw new DemoUsageError(`${where} must be a positive integer id (got "${trimmed}")`);
  return Number(trimmed);
}
