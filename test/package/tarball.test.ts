import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Engine } from "../../harness/engine";
import { runProgram, describeRun } from "../../harness/program";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { PROGRAM_TSCONFIG, THREE_RESOURCE_PROGRAM } from "../support/programs";
import { ADMIN_TOKEN, REPOSITORY_ROOT, providerText } from "../support/stack";

/**
 * The package as users get it: `npm pack`, installed into a separate Pulumi project, whose program
 * runs through Pulumi's program runner and the real provider host (resolved from that project).
 */
describe("the packed package in a separate Pulumi project", function () {
  // A guard against a hang, not a speed test: a whole program run took up to 112 s on the 2-core
  // machine while other test suites loaded it (load average 20).
  this.timeout(300_000);
  let projectDir: string;
  let emulator: RunningEmulator;
  let engine: Engine;

  before(async () => {
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-chatwoot-tarball-"));
    execFileSync("npm", ["pack", "--pack-destination", projectDir, "--silent"], { cwd: REPOSITORY_ROOT });
    const tarball = fs.readdirSync(projectDir).find((file) => file.endsWith(".tgz"))!;
    const ownPackage = JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, "package.json"), "utf8"));
    fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), "name: tarball-project\nruntime: nodejs\n");
    fs.writeFileSync(
      path.join(projectDir, "package.json"),
      JSON.stringify({
        name: "tarball-project",
        private: true,
        dependencies: {
          "pulumi-chatwoot": `file:./${tarball}`,
          "@pulumi/pulumi": ownPackage.devDependencies["@pulumi/pulumi"],
        },
        devDependencies: {
          typescript: ownPackage.devDependencies.typescript,
          "ts-node": ownPackage.devDependencies["ts-node"],
          "@types/node": ownPackage.devDependencies["@types/node"],
        },
      }),
    );
    fs.writeFileSync(path.join(projectDir, "tsconfig.json"), PROGRAM_TSCONFIG);
    fs.writeFileSync(path.join(projectDir, "index.ts"), THREE_RESOURCE_PROGRAM);
    // From npm's cache (CI's `npm ci` fills it), like any project install.
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: projectDir,
    });
    emulator = await startEmulator({ adminToken: ADMIN_TOKEN });
    engine = await Engine.start({
      projectDir,
      project: "tarball-project",
      config: {
        "chatwoot:url": emulator.url,
        "chatwoot:accountId": String(emulator.accountId),
        "chatwoot:apiAccessToken": ADMIN_TOKEN,
        "demo:inboxId": String(emulator.inboxId),
      },
      secretConfigKeys: ["chatwoot:apiAccessToken"],
    });
  });

  after(async () => {
    await engine?.close();
    await emulator?.close();
    if (projectDir) fs.rmSync(projectDir, { recursive: true, force: true });
  });

  it("installs only what users need: the provider, the emulator, no tests, no harness, no sources", () => {
    const installed = path.join(projectDir, "node_modules", "pulumi-chatwoot");
    assert.ok(
      !fs.realpathSync(installed).startsWith(REPOSITORY_ROOT),
      "the package must be a copy, not a link",
    );
    assert.ok(fs.existsSync(path.join(installed, "dist", "provider", "dynamic", "host.js")));
    assert.ok(fs.existsSync(path.join(installed, "dist", "emulator", "index.js")));
    assert.ok(!fs.existsSync(path.join(installed, "dist", "harness")));
    assert.ok(!fs.existsSync(path.join(installed, "test")));
    assert.ok(!fs.existsSync(path.join(installed, "provider")));
  });

  it("previews, creates, and then finds nothing to change", async () => {
    const preview = await runProgram({ engine, programDir: projectDir, preview: true });
    assert.equal(preview.exitCode, 0, describeRun(preview));
    assert.deepEqual(preview.summary, { create: 4 });
    assert.equal(emulator.summary()[0]!.contacts, 0);

    const up = await runProgram({ engine, programDir: projectDir });
    assert.equal(up.exitCode, 0, describeRun(up));
    assert.deepEqual(up.summary, { create: 4 });
    assert.match(
      String(up.stackOutputs.url),
      new RegExp(`^${emulator.url}/app/accounts/1/conversations/\\d+$`),
    );
    assert.equal(typeof up.stackOutputs.sourceId, "string");
    const counts = emulator.summary()[0]!;
    assert.deepEqual([counts.contacts, counts.contactInboxes, counts.conversations], [1, 1, 1]);

    const again = await runProgram({ engine, programDir: projectDir });
    assert.equal(again.exitCode, 0, describeRun(again));
    assert.deepEqual(again.summary, { same: 4 });
    const refresh = await engine.refresh();
    assert.deepEqual(refresh.errors, []);
    assert.ok(refresh.steps.every((step) => step.refreshResult === "same"));
  });

  it("stores the same small __provider as the repository's build, with no token anywhere", () => {
    for (const resource of engine.state.filter((r) => r.custom)) {
      const kind = resource.type.split(":").pop() as "Contact" | "ContactInbox" | "Conversation";
      assert.equal(resource.inputs.__provider, providerText(kind));
    }
    assert.ok(!engine.stateJson().includes(ADMIN_TOKEN));
    assert.ok(!engine.hostLog().includes(ADMIN_TOKEN));
  });

  it("destroys everything it created", async () => {
    const destroy = await engine.destroy();
    assert.deepEqual(destroy.errors, []);
    assert.equal(emulator.summary()[0]!.contacts, 0);
  });
});
