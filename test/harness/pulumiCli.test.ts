/**
 * The real-CLI tier. Its plumbing (binary lookup, environment, flags) is tested with a stand-in
 * executable; the lifecycle test needs a real `pulumi` and skips loudly without one.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { findPulumiBinary, PulumiCli, PulumiCommandError } from "../../harness/pulumiCli";
import { apiToken } from "./support/fixtures";
import { RecordsServer } from "./support/recordsServer";
import { writeToyProgram } from "./support/toyProgram";

describe("pulumiCli helpers", function () {
  let scratch: string;

  beforeEach(function () {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-test-"));
  });

  afterEach(function () {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  /** A fake `pulumi` that appends its arguments and the relevant environment to `calls.log`. */
  function writeFakePulumi(exitCode = 0): string {
    const bin = path.join(scratch, "bin");
    fs.mkdirSync(bin);
    const script = path.join(bin, "pulumi");
    fs.writeFileSync(
      script,
      [
        "#!/bin/sh",
        `echo "ARGS $*" >> "${path.join(scratch, "calls.log")}"`,
        `echo "ENV $PULUMI_BACKEND_URL $PULUMI_CONFIG_PASSPHRASE $PULUMI_SKIP_UPDATE_CHECK $PWD" >> "${path.join(scratch, "calls.log")}"`,
        "echo '{\"answer\": 42}'",
        `exit ${exitCode}`,
      ].join("\n"),
      { mode: 0o755 },
    );
    return script;
  }

  it("finds pulumi on PATH, and reports none when there is none", function () {
    const fake = writeFakePulumi();
    assert.equal(findPulumiBinary({ PATH: path.dirname(fake) }), fake);
    assert.equal(findPulumiBinary({ PATH: scratch, HOME: scratch }), undefined);
    fs.chmodSync(fake, 0o644);
    assert.equal(
      findPulumiBinary({ PATH: path.dirname(fake) }),
      undefined,
      "a non-executable file is not a binary",
    );
  });

  it("runs every command in the project with a file backend, passphrase and non-interactive flags", async function () {
    const binary = writeFakePulumi();
    const cli = await PulumiCli.open({ projectDir: scratch, stack: "ci", binary, passphrase: "pass" });
    try {
      await cli.setConfig("toy:token", "s3cret", { secret: true });
      await cli.up();
      assert.deepEqual(await cli.stackOutputs(), { answer: 42 });
      const log = fs.readFileSync(path.join(scratch, "calls.log"), "utf8").trim().split("\n");
      assert.deepEqual(
        log.filter((line) => line.startsWith("ARGS")),
        [
          "ARGS stack select --create ci --non-interactive --color never",
          "ARGS config set --secret --stack ci --non-interactive toy:token -- s3cret --color never",
          "ARGS up --yes --non-interactive --stack ci --color never",
          "ARGS stack output --json --stack ci --color never",
        ],
      );
      for (const line of log.filter((entry) => entry.startsWith("ENV"))) {
        assert.equal(line, `ENV file://${cli.backendDir} pass true ${fs.realpathSync(scratch)}`);
      }
    } finally {
      cli.dispose();
    }
    assert.equal(fs.existsSync(cli.backendDir), false, "the temporary backend is removed");
  });

  it("reports a failing command with its output, and removes only a backend it created", async function () {
    const binary = writeFakePulumi(3);
    const before = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("pulumi-backend-")).length;
    await assert.rejects(
      PulumiCli.open({ projectDir: scratch, binary }),
      (error: unknown) =>
        error instanceof PulumiCommandError && error.result.exitCode === 3 && /answer/.test(error.message),
    );
    const after = fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("pulumi-backend-")).length;
    assert.equal(after, before, "the temporary backend of a failed open is removed");
    const ownBackend = path.join(scratch, "backend");
    fs.mkdirSync(ownBackend);
    await assert.rejects(
      PulumiCli.open({ projectDir: scratch, binary, backendDir: ownBackend }),
      PulumiCommandError,
    );
    assert.ok(fs.existsSync(ownBackend), "a backend directory the caller passed is kept");
  });
});

describe("real pulumi CLI lifecycle (acceptance tier)", function () {
  this.timeout(300_000);

  it("up, no-change preview, destroy of the toy program with a local backend", async function () {
    const binary = findPulumiBinary();
    if (!binary) {
      console.warn(
        "      SKIPPED: no `pulumi` binary on PATH, in $PULUMI_HOME/bin or ~/.pulumi/bin; install the CLI to run this tier",
      );
      this.skip();
    }
    const server = await RecordsServer.start();
    const program = writeToyProgram();
    const cli = await PulumiCli.open({ projectDir: program.dir, binary });
    try {
      await cli.setAllConfig({ "toy:url": server.url, "toy:token": apiToken, "toy:greeting": "hello" }, [
        "toy:token",
        "toy:greeting",
      ]);
      await cli.up();
      assert.equal(server.byName("first")?.value, "hello");
      await cli.preview(["--expect-no-changes"]);
      assert.doesNotMatch(await cli.exportState(), new RegExp(`${apiToken}|hello`));
      await cli.destroy();
      assert.equal(server.records.size, 0);
    } finally {
      cli.dispose();
      program.remove();
      await server.close();
    }
  });
});
