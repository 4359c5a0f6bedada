/**
 * HostDriver on its own: the real host from the installed `@pulumi/pulumi`, raw calls with no engine
 * rules applied.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { HostDriver } from "../../harness/host";
import { HostCallError } from "../../harness/hostErrors";
import { secret, specialSignatureKey } from "../../harness/wire";
import { apiToken, projectDir, urnOf } from "./support/fixtures";
import { RecordsServer } from "./support/recordsServer";
import { recordProvider, serializeProvider } from "./support/toyProvider";

describe("HostDriver (raw gRPC calls to the real dynamic-provider host)", function () {
  let server: RecordsServer;
  let host: HostDriver;
  let providerText: string;

  before(async function () {
    server = await RecordsServer.start();
    [host, providerText] = await Promise.all([
      HostDriver.start({
        projectDir,
        config: { "toy:url": server.url, "toy:token": apiToken },
        secretConfigKeys: ["toy:token"],
      }),
      serializeProvider(recordProvider),
    ]);
  });

  after(async function () {
    await host?.close();
    await server?.close();
  });

  beforeEach(function () {
    server.clearLog();
  });

  it("runs the installed SDK's host: Handshake is UNIMPLEMENTED, secrets are not accepted", function () {
    const installed = require(path.join(projectDir, "node_modules/@pulumi/pulumi/package.json")) as {
      version: string;
    };
    assert.equal(host.pluginVersion, installed.version);
    assert.equal(host.handshakeCode, host.sdk.grpc.status.UNIMPLEMENTED);
    assert.deepEqual(host.protocol, {
      acceptSecrets: false,
      supportsPreview: false,
      acceptResources: false,
      acceptOutputs: false,
    });
  });

  it("sends exactly what it is given: an unstripped secret wrapper reaches the provider verbatim", async function () {
    const urn = urnOf("raw");
    const checked = await host.check({
      urn,
      olds: {},
      news: { name: "raw", value: secret("plain"), __provider: providerText },
    });
    const created = await host.create({ urn, properties: checked.inputs ?? {} });
    assert.ok(created.id);
    const post = server.requests.find((request) => request.method === "POST");
    assert.deepEqual((post?.body as { value: unknown }).value, {
      [specialSignatureKey]: secret("plain")[specialSignatureKey],
      value: "plain",
    });
  });

  it("decodes a partial creation (ErrorResourceInitFailed in grpc-status-details-bin)", async function () {
    const urn = urnOf("half");
    const error = await host
      .create({ urn, properties: { name: "unhealthy-half", __provider: providerText } })
      .then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
    assert.ok(error instanceof HostCallError);
    assert.equal(error.method, "Create");
    assert.equal(error.code, host.sdk.grpc.status.UNKNOWN);
    const id = server.byName("unhealthy-half")?.id as string;
    assert.equal(error.details, `record ${id} is unhealthy`);
    assert.deepEqual(error.initFailure, {
      id,
      properties: { recordId: id, name: "unhealthy-half", value: null, healthy: false },
      reasons: [`record ${id} did not become healthy`],
    });
  });

  it("keeps what the host prints after its port line as the host log", async function () {
    await host.check({
      urn: urnOf("logged"),
      olds: {},
      news: { name: "logged-name", __provider: providerText },
    });
    assert.match(host.hostLog(), /toy:check name=logged-name/);
    assert.doesNotMatch(host.hostLog(), /^\d+\n/, "the port line is not part of the log");
  });

  it("applies a per-call deadline", async function () {
    const created = await host.create({
      urn: urnOf("slow"),
      properties: { name: "slow", __provider: providerText },
    });
    const release = server.hold();
    try {
      await assert.rejects(
        host.read(
          { id: created.id, urn: urnOf("slow"), properties: created.properties },
          { deadlineMs: 200 },
        ),
        (error: unknown) =>
          error instanceof HostCallError && error.code === host.sdk.grpc.status.DEADLINE_EXCEEDED,
      );
    } finally {
      release();
    }
  });

  it("without Configure, a provider with configure() fails, and close() ends the whole process group", async function () {
    const unconfigured = await HostDriver.start({ projectDir, configure: false });
    try {
      await assert.rejects(
        unconfigured.check({ urn: urnOf("x"), olds: {}, news: { name: "x", __provider: providerText } }),
        (error: unknown) =>
          error instanceof HostCallError && /Cannot read properties of undefined/.test(error.details),
      );
    } finally {
      await unconfigured.close();
    }
    assert.ok(unconfigured.exited);
    assert.throws(() => process.kill(-(unconfigured.pid as number), 0), { code: "ESRCH" });
  });

  it("starts a host exactly as the CLI does when told to (preload: false), and reads its peak memory as it stops", async function () {
    if (process.platform !== "linux") {
      console.warn("      SKIPPED: reading a host's command line and peak memory needs Linux /proc");
      this.skip();
    }
    const commandLine = (pid: number) => fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const [plain, preloaded] = await Promise.all([
      HostDriver.start({ projectDir, configure: false, preload: false }),
      HostDriver.start({ projectDir, configure: false }),
    ]);
    try {
      assert.deepEqual(
        commandLine(plain.pid as number).slice(1, 2),
        [plain.sdk.dynamicProviderHostScript],
        "node <host script>, nothing before it",
      );
      const preload = path.join(projectDir, "dist", "harness", "hostPreload.js");
      if (fs.existsSync(preload))
        assert.deepEqual(commandLine(preloaded.pid as number).slice(1, 3), ["--require", preload]);
      else
        console.warn(
          `      the preloaded half is not checked: ${preload} is missing; run \`npm run build\` first`,
        );
      assert.equal(plain.peakResidentBytes, undefined, "not read while the host runs");
    } finally {
      await Promise.all([plain.close(), preloaded.close()]);
    }
    assert.ok((plain.peakResidentBytes ?? 0) > 10 * 1024 * 1024, `peak ${plain.peakResidentBytes} bytes`);
  });
});
