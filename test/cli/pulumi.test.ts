import { strict as assert } from "node:assert";
import { findPulumiBinary, PulumiCli } from "../../harness/pulumiCli";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { writeLinkedProject } from "../support/programs";
import { ADMIN_TOKEN } from "../support/stack";

/**
 * The tier only a real `pulumi` CLI can cover: the engine's own step generator, checkpoint format
 * and state encryption, on a local file backend against the emulator.
 */
describe("real pulumi CLI: up, preview and refresh with no changes, destroy", function () {
  this.timeout(300_000);
  const binary = findPulumiBinary();
  let project: { dir: string; remove(): void } | undefined;
  let emulator: RunningEmulator | undefined;
  let cli: PulumiCli | undefined;

  before(async function () {
    if (binary === undefined) {
      console.warn(
        "      SKIPPED: no `pulumi` binary on PATH, in $PULUMI_HOME/bin or ~/.pulumi/bin; install the Pulumi CLI " +
          "to run `pulumi up/preview/refresh/destroy` against the emulator",
      );
      this.skip();
    }
    project = writeLinkedProject("chatwoot-cli-tier");
    emulator = await startEmulator({ adminToken: ADMIN_TOKEN });
    cli = await PulumiCli.open({ projectDir: project.dir, binary: binary! });
    await cli.run(["stack", "init", "dev", "--non-interactive"]);
    await cli.setAllConfig(
      {
        "chatwoot:url": emulator.url,
        "chatwoot:accountId": String(emulator.accountId),
        "chatwoot:apiAccessToken": ADMIN_TOKEN,
        "demo:inboxId": String(emulator.inboxId),
      },
      ["chatwoot:apiAccessToken"],
    );
  });

  after(async () => {
    cli?.dispose();
    await emulator?.close();
    project?.remove();
  });

  it("runs the whole lifecycle with the real engine", async () => {
    await cli!.up();
    const counts = emulator!.summary()[0]!;
    assert.deepEqual([counts.contacts, counts.contactInboxes, counts.conversations], [1, 1, 1]);
    await cli!.preview(["--expect-no-changes"]);
    await cli!.refresh(["--expect-no-changes"]);
    const outputs = await cli!.stackOutputs();
    assert.match(String(outputs.url), /\/app\/accounts\/1\/conversations\/\d+$/);
    assert.ok(!(await cli!.exportState()).includes(ADMIN_TOKEN), "the token is in the checkpoint");
    await cli!.destroy();
    assert.equal(emulator!.summary()[0]!.contacts, 0);
  });
});
