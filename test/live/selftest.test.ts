import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { REPOSITORY_ROOT } from "../support/stack";

/**
 * The live tier runs nowhere in CI (no real Chatwoot), so this checks that it can run at all: the
 * same file, pointed at the emulator as if it were a real server, passes and leaves nothing behind.
 */
describe("live tier self-test (against the emulator standing in for a real Chatwoot)", function () {
  this.timeout(120_000);

  it("passes, and leaves no contact behind", async () => {
    const emulator = await startEmulator();
    try {
      // Asynchronously: the emulator answers from this very process while the child runs.
      const run = await runNode(
        [
          require.resolve("mocha/bin/mocha.js"),
          "--no-config",
          "--require",
          "ts-node/register",
          "--timeout",
          "120000",
          path.join(__dirname, "live.test.ts"),
        ],
        {
          cwd: REPOSITORY_ROOT,
          env: {
            ...process.env,
            CHATWOOT_LIVE_URL: emulator.url,
            CHATWOOT_LIVE_TOKEN: emulator.adminToken,
            CHATWOOT_LIVE_ACCOUNT_ID: String(emulator.accountId),
            CHATWOOT_LIVE_INBOX_ID: String(emulator.inboxId),
          },
        },
      );
      assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /3 passing/);
      assert.doesNotMatch(run.stdout, /pending|SKIPPED/);
      assert.equal(emulator.summary()[0]!.contacts, 0);
    } finally {
      await emulator.close();
    }
  });
});

function runNode(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, options);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
