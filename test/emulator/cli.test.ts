import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { optionsFromCommandLine } from "../../emulator/cli";

const CLI = join(__dirname, "..", "..", "dist", "emulator", "cli.js");

interface Started {
  child: ChildProcessWithoutNullStreams;
  ready: Record<string, unknown> & { url: string; adminToken: string; agentToken: string; accountId: number };
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Spawns the built CLI and resolves with its ready line. */
function startCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } });
  let stdout = "";
  let stderr = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI not ready: ${stderr}`)), 10_000);
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const newline = stdout.indexOf("\n");
      if (newline !== -1) {
        clearTimeout(timer);
        resolve({
          child,
          ready: JSON.parse(stdout.slice(0, newline)),
          stdout: () => stdout,
          stderr: () => stderr,
          exited,
        });
      }
    });
    child.on("exit", () => reject(new Error(`CLI exited early: ${stderr}`)));
  });
}

describe("emulator: chatwoot-emulator CLI", function () {
  this.timeout(20_000);

  before(function () {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  });

  it("prints one JSON ready line, serves the API, logs to stderr without tokens and stops on SIGTERM", async () => {
    const cli = await startCli(["--port", "0"]);
    const { ready } = cli;
    assert.equal(ready.chatwootVersion, "4.14.2", "the newest modelled release by default");
    for (const field of [
      "url",
      "accountId",
      "adminToken",
      "agentToken",
      "adminId",
      "agentId",
      "inboxId",
      "otherInboxId",
      "teamId",
    ]) {
      assert.ok(field in ready, `ready line has ${field}`);
    }
    const accountUrl = `${ready.url}/api/v1/accounts/${ready.accountId}`;
    const contacts = await fetch(`${accountUrl}/contacts`, {
      headers: { api_access_token: ready.adminToken },
    });
    assert.equal(contacts.status, 200);
    const leaky = await fetch(`${accountUrl}/contacts?api_access_token=${ready.agentToken}`);
    assert.equal(leaky.status, 401);
    cli.child.kill("SIGTERM");
    assert.equal(await cli.exited, 0);
    const stderr = cli.stderr();
    assert.match(stderr, new RegExp(`GET /api/v1/accounts/${ready.accountId}/contacts 200`));
    assert.match(stderr, /api_access_token=\[REDACTED\]/);
    for (const secret of [ready.adminToken, ready.agentToken, String(ready.botToken)]) {
      assert.ok(!stderr.includes(secret), "no token in the log");
    }
    assert.equal(cli.stdout().trim().split("\n").length, 1, "exactly one line on stdout");
  });

  it("takes fault rules and tokens from the environment and stops on SIGINT", async () => {
    const cli = await startCli(["--port", "0", "--quiet"], {
      CHATWOOT_EMULATOR_ADMIN_TOKEN: "sentinel-admin-token",
      CHATWOOT_EMULATOR_VERSION: "4.2.0",
      CHATWOOT_EMULATOR_FAULT_RULES: JSON.stringify([
        { method: "GET", path: "/inboxes", fault: "503", times: 1 },
      ]),
    });
    assert.equal(cli.ready.adminToken, "sentinel-admin-token");
    assert.equal(cli.ready.chatwootVersion, "4.2.0");
    const url = `${cli.ready.url}/api/v1/accounts/${cli.ready.accountId}/inboxes`;
    const headers = { api_access_token: "sentinel-admin-token" };
    assert.equal((await fetch(url, { headers })).status, 503);
    assert.equal((await fetch(url, { headers })).status, 200);
    cli.child.kill("SIGINT");
    assert.equal(await cli.exited, 0);
    assert.equal(cli.stderr(), "", "--quiet logs nothing");
  });

  it("refuses bad flags with the usage text and exit code 2", async () => {
    const child = spawn(process.execPath, [CLI, "--fault-probability", "lots"]);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    assert.equal(code, 2);
    assert.match(stderr, /--fault-probability must be a number/);
    assert.match(stderr, /Usage: chatwoot-emulator/);
  });

  it("refuses an unsupported --chatwoot-version, listing the supported releases, with exit code 2", async () => {
    const child = spawn(process.execPath, [CLI, "--port", "0", "--chatwoot-version", "4.15.0"]);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    assert.equal(code, 2);
    assert.match(
      stderr,
      /Chatwoot "4\.15\.0" is not a supported release; the emulator models 4\.0\.0, 4\.0\.1, .*4\.14\.2/,
    );
  });

  it("parses flags over environment variables", () => {
    const options = optionsFromCommandLine(
      ["--port", "4000", "--rate-limit", "60", "--fault-mix", "429=2,drop=1", "--chatwoot-version", "v4.6.0"],
      {
        CHATWOOT_EMULATOR_PORT: "5000",
        RACK_ATTACK_LIMIT: "10",
        CHATWOOT_EMULATOR_FAULT_PROBABILITY: "0.25",
        CHATWOOT_EMULATOR_VERSION: "4.0.0",
      },
    );
    assert.notEqual(options, "help");
    if (options === "help") return;
    assert.equal(options.port, 4000);
    assert.equal(options.rateLimitPerMinute, 60);
    assert.equal(options.chatwootVersion, "4.6.0");
    assert.deepEqual(options.faults, { probability: 0.25, mix: { "429": 2, drop: 1 } });
  });

  it("parses --no-web-view, the delete delay, fault latency and seed, each also from its variable", () => {
    const fromFlags = optionsFromCommandLine(
      [
        "--no-web-view",
        "--conversation-delete-delay-ms",
        "40",
        "--fault-latency-ms",
        "900",
        "--fault-seed",
        "17",
        "--fault-probability",
        "0.5",
      ],
      {},
    );
    assert.notEqual(fromFlags, "help");
    if (fromFlags === "help") return;
    assert.equal(fromFlags.webView, false);
    assert.equal(fromFlags.conversationDeleteDelayMs, 40);
    assert.deepEqual(fromFlags.faults, { probability: 0.5, latencyMs: 900, seed: 17 });

    const fromEnv = optionsFromCommandLine([], {
      CHATWOOT_EMULATOR_WEB_VIEW: "0",
      CHATWOOT_EMULATOR_DELETE_DELAY_MS: "41",
      CHATWOOT_EMULATOR_FAULT_LATENCY_MS: "901",
      CHATWOOT_EMULATOR_FAULT_SEED: "18",
    });
    assert.notEqual(fromEnv, "help");
    if (fromEnv === "help") return;
    assert.equal(fromEnv.webView, false);
    assert.equal(fromEnv.conversationDeleteDelayMs, 41);
    assert.deepEqual(fromEnv.faults, { latencyMs: 901, seed: 18 });

    const defaults = optionsFromCommandLine([], { CHATWOOT_EMULATOR_WEB_VIEW: "1" });
    assert.notEqual(defaults, "help");
    if (defaults === "help") return;
    assert.equal(defaults.webView, undefined, "the view stays on unless turned off");
    assert.equal(defaults.conversationDeleteDelayMs, undefined);
  });

  it("serves no web view with --no-web-view, while the API answers", async () => {
    const cli = await startCli(["--port", "0", "--quiet", "--no-web-view"]);
    try {
      const page = await fetch(`${cli.ready.url}/`);
      assert.equal(page.status, 404);
      const api = await fetch(`${cli.ready.url}/api/v1/profile`, {
        headers: { api_access_token: cli.ready.adminToken },
      });
      assert.equal(api.status, 200);
    } finally {
      cli.child.kill("SIGTERM");
      await cli.exited;
    }
  });
});
