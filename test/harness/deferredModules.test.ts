import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPOSITORY_ROOT } from "../support/stack";

const PRELOAD = path.join(REPOSITORY_ROOT, "dist", "harness", "hostPreload.js");

/**
 * The hosts' deferral of TypeScript and arborist (`harness/deferredModules.ts`): a host must not
 * load them at startup, and whatever does use them must get exactly what it got without the
 * deferral.
 */
describe("harness: libraries a provider host defers", function () {
  this.timeout(60_000);
  let work: string;

  before(function () {
    if (!fs.existsSync(PRELOAD)) {
      console.warn(`      SKIPPED: ${PRELOAD} is missing; run \`npm run build\` first`);
      this.skip();
    }
  });
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "deferred-modules-test-"));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  /**
   * Runs `script` in a fresh node from `cwd`, with or without the hosts' preload; its stdout. Outside
   * the repository, packages resolve from its node_modules only when `repositoryPackages` says so.
   */
  const node = (script: string, options: { preload: boolean; cwd?: string; repositoryPackages?: boolean }) =>
    execFileSync(process.execPath, [...(options.preload ? ["--require", PRELOAD] : []), "-e", script], {
      cwd: options.cwd ?? REPOSITORY_ROOT,
      env: {
        ...process.env,
        ...(options.repositoryPackages === true
          ? { NODE_PATH: path.join(REPOSITORY_ROOT, "node_modules") }
          : {}),
      },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });

  it("keeps TypeScript and arborist out of a process that only loads @pulumi/pulumi", () => {
    const loaded = `
      require("@pulumi/pulumi");
      const deferred = /node_modules[\\\\/](typescript|@npmcli[\\\\/]arborist)[\\\\/]/;
      console.log(JSON.stringify(Object.keys(require.cache).filter((file) => deferred.test(file))));`;
    assert.deepEqual(JSON.parse(node(loaded, { preload: true })), []);
    // Without it both load: the deferral is what keeps them out, for this version of the SDK.
    const plain = JSON.parse(node(loaded, { preload: false })) as string[];
    assert.ok(
      plain.some((file) => file.includes(`${path.sep}typescript${path.sep}`)),
      "TypeScript loads",
    );
    assert.ok(
      plain.some((file) => file.includes(`${path.sep}arborist${path.sep}`)),
      "arborist loads",
    );
  });

  it("gives the SDK's closure serializer and code-path finder the same answers once they use them", () => {
    // serializeFunction parses with TypeScript; computeCodePaths walks the packages with arborist.
    fs.writeFileSync(
      path.join(work, "package.json"),
      JSON.stringify({ name: "w", version: "1.0.0", dependencies: { "left-pad": "1.0.0" } }),
    );
    fs.mkdirSync(path.join(work, "node_modules", "left-pad"), { recursive: true });
    fs.writeFileSync(
      path.join(work, "node_modules", "left-pad", "package.json"),
      JSON.stringify({ name: "left-pad", version: "1.0.0" }),
    );
    fs.writeFileSync(path.join(work, "node_modules", "left-pad", "index.js"), "module.exports = 1;\n");
    const uses = `
      const pulumi = require("@pulumi/pulumi");
      const offset = 3;
      (async () => {
        const serialized = await pulumi.runtime.serializeFunction((x) => x + offset);
        const paths = await pulumi.runtime.computeCodePaths({});
        console.log(JSON.stringify({ text: serialized.text, paths: [...paths.keys()] }));
      })();`;
    const deferred = node(uses, { preload: true, cwd: work, repositoryPackages: true });
    assert.match(deferred, /x \+ offset/);
    assert.match(deferred, /node_modules\/left-pad/);
    assert.equal(deferred, node(uses, { preload: false, cwd: work, repositoryPackages: true }));
  });

  /** A stand-in `@pulumi/pulumi` holding `files`, with `packages` installed beside it. */
  function fakeSdk(files: Record<string, string>, packages: Record<string, string>): void {
    const sdk = path.join(work, "node_modules", "@pulumi", "pulumi");
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(sdk, file)), { recursive: true });
      fs.writeFileSync(path.join(sdk, file), text);
    }
    for (const [name, text] of Object.entries(packages)) {
      fs.mkdirSync(path.join(work, "node_modules", name), { recursive: true });
      fs.writeFileSync(path.join(work, "node_modules", name, "index.js"), text);
    }
  }
  const inWork = (script: string, preload: boolean): string =>
    node(`process.chdir(${JSON.stringify(work)}); ${script}`, { preload, cwd: work });
  const sdkFile = (file: string) =>
    JSON.stringify(path.join(work, "node_modules", "@pulumi", "pulumi", file));

  it("lets typescript-shim fall back when TypeScript is not installed, as it does without the deferral", () => {
    fakeSdk(
      {
        "typescript-shim.js":
          'try { module.exports = require("typescript"); } catch { module.exports = { vendored: true }; }\n',
      },
      {},
    );
    const script = `const ts = require(${sdkFile("typescript-shim.js")});
      console.log(ts.vendored === true ? "vendored" : "not vendored");`;
    assert.equal(inWork(script, true), "vendored\n");
    assert.equal(inWork(script, false), "vendored\n");
  });

  it("hands __importStar arborist's namespace without loading it, and loads it on first use", () => {
    // codePaths.js's own shape: TypeScript's __importStar helper applied to the require at once.
    fakeSdk(
      {
        "runtime/closure/codePaths.js": `
          var __importStar = function (mod) {
            if (mod && mod.__esModule) return mod;
            var result = {};
            if (mod != null) for (var k in mod) if (Object.hasOwnProperty.call(mod, k)) result[k] = mod[k];
            result["default"] = mod;
            return result;
          };
          const arborist = __importStar(require("@npmcli/arborist"));
          exports.arborist = arborist;`,
      },
      {
        "@npmcli/arborist": `
          globalThis.arboristLoads = (globalThis.arboristLoads ?? 0) + 1;
          class Arborist { constructor(options) { this.path = options.path; } }
          module.exports = Arborist;
          module.exports.Arborist = Arborist;
          module.exports.Node = class Node {};`,
      },
    );
    const script = `
      const { arborist } = require(${sdkFile("runtime/closure/codePaths.js")});
      const before = globalThis.arboristLoads ?? 0;
      const made = new arborist.Arborist({ path: "/w" });
      console.log(JSON.stringify({
        before,
        after: globalThis.arboristLoads,
        made: made.path,
        defaultIsTheModule: arborist.default === arborist.Arborist,
        nodeClass: typeof arborist.Node,
      }));`;
    const plain = JSON.parse(inWork(script, false)) as Record<string, unknown>;
    const deferred = JSON.parse(inWork(script, true)) as Record<string, unknown>;
    assert.equal(plain.before, 1, "without the deferral, arborist loads with codePaths.js");
    assert.equal(deferred.before, 0, "with it, arborist is not loaded until used");
    assert.deepEqual({ ...deferred, before: 1 }, plain);
  });
});
