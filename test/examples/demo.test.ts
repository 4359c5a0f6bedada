import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { findPulumiBinary } from "../../harness/pulumiCli";
import { loadSeedData } from "../../provider";
import { contactKey, conversationKey } from "../../provider/seed/names";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { chatwootStackName } from "../../scripts/demo/target";
import { ADMIN_TOKEN, REPOSITORY_ROOT } from "../support/stack";
import { datasetCounts } from "./support/datasetExpectations";
import { DemoProcess, environmentWithoutPulumi, type DemoExit } from "./support/demoProcess";
import { exampleDir } from "./support/exampleProjects";

const data = loadSeedData(path.join(exampleDir("demo-dataset"), "dataset.yaml"));
const expected = datasetCounts(data);
/** The emulator's admin token, fixed so that the tests can tell whether the demo printed it. */
const EMULATOR_TOKEN = "sentinel-demo-admin-token-5f2a91";
const HARNESS_FIRST_LINE = /^No pulumi CLI found: .*dynamic-provider host directly \(engine harness\)/;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Asserts the summary: the counts line and one row per conversation of the data set. */
function assertSummary(stdout: string, chatwootUrl: string): void {
  assert.match(
    stdout,
    new RegExp(
      `${expected.apiInboxes} API inbox, ${expected.labels} labels, ` +
        `${expected.attributeDefinitions} custom attribute definitions`,
    ),
  );
  assert.match(
    stdout,
    new RegExp(
      `${expected.contacts} contacts, ${expected.contactInboxes} contact inboxes, ` +
        `${expected.conversations} conversations, ${expected.messages} messages`,
    ),
  );
  for (const contact of data.contacts) {
    for (const conversation of contact.conversations ?? []) {
      const row = new RegExp(
        `^\\s+${escape(`${contactKey(contact)}/${conversationKey(conversation)}`)}\\s+${escape(contact.name ?? "")}\\s+` +
          `${conversation.status ?? "open"}\\s+${conversation.priority ?? "none"}\\s+` +
          `${escape(chatwootUrl)}/app/accounts/\\d+/conversations/\\d+$`,
        "m",
      );
      assert.match(stdout, row);
    }
  }
}

/** Leaves `.pulumi/` as the test found it: directories it created go, anything else stays. */
function removeIfEmpty(dir: string): void {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
}

function firstLine(run: DemoExit): string {
  return run.stdout.split("\n")[0] ?? "";
}

/** `npm run demo` is `npm run build && node dist/scripts/demo.js`; `npm test` builds first. */
describe("npm run demo (dist/scripts/demo.js)", function () {
  // A guard against a hang, not a speed test: a whole program run took up to 112 s on the 2-core
  // machine while other test suites loaded it (load average 20).
  this.timeout(300_000);
  const running: DemoProcess[] = [];
  const start = (args: readonly string[], env: NodeJS.ProcessEnv) => {
    const demo = new DemoProcess(args, env);
    running.push(demo);
    return demo;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map((demo) => demo.stop()));
  });

  describe("without a pulumi CLI", () => {
    let hidden: ReturnType<typeof environmentWithoutPulumi>;
    before(() => {
      hidden = environmentWithoutPulumi({ CHATWOOT_EMULATOR_ADMIN_TOKEN: EMULATOR_TOKEN });
    });
    after(() => hidden?.remove());

    it("seeds the emulator through the engine harness, says so first, prints the summary and exits 0", async () => {
      const run = await start([], hidden.env).exit();
      assert.equal(run.code, 0, `${run.stdout}\n--- stderr\n${run.stderr}`);
      assert.match(firstLine(run), HARNESS_FIRST_LINE);
      const url = /Started the Chatwoot emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout)?.[1];
      assert.ok(url, run.stdout);
      assertSummary(run.stdout, url);
      assert.match(run.stdout, new RegExp(`Done in [\\d.]+ s: ${expected.registrations} created\\.`));
      // From an empty account: the data's own API inbox called the demo back for every message
      // (incoming, outgoing and private notes alike: webhook_sendable?) and every conversation.
      assert.match(run.stdout, /seeding its empty demo account \(account \d+\)/);
      assert.match(
        run.stdout,
        /The API inbox called back \d+ times at http:\/\/127\.0\.0\.1:\d+\/chatwoot-callbacks:/,
      );
      assert.match(run.stdout, new RegExp(`^  message_created: ${expected.messages}$`, "m"));
      assert.match(run.stdout, new RegExp(`^  conversation_created: ${expected.conversations}$`, "m"));
      assert.ok(!`${run.stdout}${run.stderr}`.includes(EMULATOR_TOKEN), "the token was printed");
    });

    it("--keep-running keeps the seeded emulator up, with its URL and admin token, until Ctrl-C", async () => {
      const demo = start(["--keep-running"], hidden.env);
      const [, url] = await demo.waitForOutput(
        /keeps running at (http:\/\/127\.0\.0\.1:\d+) until you press Ctrl-C/,
      );
      const [, token] = await demo.waitForOutput(/admin token: (\S+)\n.*local sandbox token/);
      assert.equal(token, EMULATOR_TOKEN);
      const response = await fetch(`${url}/__emulator/summary`, { headers: { api_access_token: token! } });
      const { accounts } = (await response.json()) as { accounts: Array<Record<string, number | string>> };
      const demoAccount = accounts.find((account) => account.name === "Lumen & Co. (demo)");
      assert.ok(demoAccount, JSON.stringify(accounts));
      assert.deepEqual(
        [demoAccount.contacts, demoAccount.contactInboxes, demoAccount.conversations],
        [expected.contacts, expected.contactInboxes, expected.conversations],
      );
      demo.signal("SIGINT");
      const run = await demo.exit();
      assert.equal(run.code, 0, run.stdout);
      assert.match(firstLine(run), HARNESS_FIRST_LINE);
      await assert.rejects(fetch(`${url}/__emulator/summary`), "the emulator still answers after Ctrl-C");
    });

    describe("--url: a Chatwoot given on the command line and in the environment", () => {
      let chatwoot: RunningEmulator;
      let stateFile: string;
      before(async () => {
        // Another emulator plays the real Chatwoot.
        chatwoot = await startEmulator({ adminToken: ADMIN_TOKEN });
        stateFile = path.join(
          REPOSITORY_ROOT,
          ".pulumi",
          "harness",
          `${chatwootStackName(chatwoot.url, 1)}.json`,
        );
      });
      after(async () => {
        await chatwoot?.close();
        if (stateFile) {
          fs.rmSync(stateFile, { force: true });
          removeIfEmpty(path.dirname(stateFile));
          removeIfEmpty(path.dirname(path.dirname(stateFile)));
        }
      });

      it("seeds it with the token from the environment, never printing it", async () => {
        const env = {
          ...hidden.env,
          CHATWOOT_API_ACCESS_TOKEN: ADMIN_TOKEN,
          CHATWOOT_ACCOUNT_ID: String(chatwoot.accountId),
          CHATWOOT_TEAM_ID: String(chatwoot.teamId),
        };
        // This account's agent is not the data's frontline@lumen.example: the id stands in for it.
        const args = ["--url", chatwoot.url, "--agent-id", String(chatwoot.agentId)];
        const run = await start(args, env).exit();
        assert.equal(run.code, 0, `${run.stdout}\n--- stderr\n${run.stderr}`);
        assert.match(firstLine(run), HARNESS_FIRST_LINE);
        assertSummary(run.stdout, chatwoot.url);
        const counts = chatwoot.summary()[0]!;
        assert.deepEqual(
          [counts.contacts, counts.contactInboxes, counts.conversations],
          [expected.contacts, expected.contactInboxes, expected.conversations],
        );
        assert.ok(!`${run.stdout}${run.stderr}`.includes(ADMIN_TOKEN), "the token was printed");
        // The stack remembers what it seeded, so that a second run changes only what the data changed.
        assert.ok(fs.existsSync(stateFile));
        assert.ok(!fs.readFileSync(stateFile, "utf8").includes(ADMIN_TOKEN), "the token is in the state");
      });

      it("exits 1 when the run fails (a token Chatwoot refuses), saying so but not printing the token", async () => {
        // A Chatwoot of its own: a stack that seeded before would find nothing to change and send
        // no request, so the refused token would never show.
        const refusing = await startEmulator({ adminToken: ADMIN_TOKEN });
        const refusingState = path.join(
          REPOSITORY_ROOT,
          ".pulumi",
          "harness",
          `${chatwootStackName(refusing.url, 1)}.json`,
        );
        try {
          const wrongToken = "refused-token-0d9c7b1e5a";
          const env = {
            ...hidden.env,
            CHATWOOT_API_ACCESS_TOKEN: wrongToken,
            CHATWOOT_ACCOUNT_ID: String(refusing.accountId),
            CHATWOOT_AGENT_ID: String(refusing.agentId),
            CHATWOOT_TEAM_ID: String(refusing.teamId),
          };
          const run = await start(["--url", refusing.url], env).exit();
          assert.equal(run.code, 1, `${run.stdout}\n--- stderr\n${run.stderr}`);
          assert.match(run.stderr, /Seeding failed/);
          assert.ok(!`${run.stdout}${run.stderr}`.includes(wrongToken), "the token was printed");
          const counts = refusing.summary()[0]!;
          assert.deepEqual([counts.contacts, counts.conversations], [0, 0]);
        } finally {
          await refusing.close();
          fs.rmSync(refusingState, { force: true });
        }
      });

      it("without the token and account in the environment, names what is missing and exits non-zero", async () => {
        const run = await start(["--url", chatwoot.url], hidden.env).exit();
        assert.equal(run.code, 2);
        assert.match(run.stderr, /CHATWOOT_API_ACCESS_TOKEN/);
        assert.match(run.stderr, /CHATWOOT_ACCOUNT_ID/);
        // The inbox is the data's own, and the agent and team are found by name: no id is needed.
        assert.doesNotMatch(run.stderr, /CHATWOOT_AGENT_ID|CHATWOOT_TEAM_ID|CHATWOOT_INBOX_ID/);
        assert.equal(run.stdout, "");
        assert.equal(chatwoot.summary()[0]!.contacts, expected.contacts, "nothing else was seeded");
      });
    });

    it("--help explains the options and exits 0; an unknown flag exits non-zero", async () => {
      const help = await start(["--help"], hidden.env).exit();
      assert.equal(help.code, 0);
      for (const flag of [
        "--keep-running",
        "--url",
        "--agent-id",
        "--team-id",
        "CHATWOOT_API_ACCESS_TOKEN",
      ]) {
        assert.ok(help.stdout.includes(flag), flag);
      }
      const unknown = await start(["--frobnicate"], hidden.env).exit();
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /--frobnicate/);
    });
  });

  describe("with a pulumi CLI", () => {
    const binary = findPulumiBinary();
    before(function () {
      if (binary === undefined) {
        console.warn(
          "      SKIPPED: no `pulumi` binary on PATH, in $PULUMI_HOME/bin or ~/.pulumi/bin; install the Pulumi CLI " +
            "to run `npm run demo`'s `pulumi up` / `pulumi preview --expect-no-changes` path",
        );
        this.skip();
      }
    });

    it("runs pulumi up, then pulumi preview --expect-no-changes, with a local backend, and prints the summary", async () => {
      const run = await start([], { ...process.env, CHATWOOT_EMULATOR_ADMIN_TOKEN: EMULATOR_TOKEN }).exit();
      assert.equal(run.code, 0, `${run.stdout}\n--- stderr\n${run.stderr}`);
      assert.match(firstLine(run), /^Found the pulumi CLI at .*local backend in \.pulumi\//);
      assert.match(run.stdout, /pulumi preview --expect-no-changes: no changes/);
      const url = /Started the Chatwoot emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout)?.[1];
      assert.ok(url, run.stdout);
      assertSummary(run.stdout, url);
      assert.ok(!`${run.stdout}${run.stderr}`.includes(EMULATOR_TOKEN), "the token was printed");
    });
  });
});
