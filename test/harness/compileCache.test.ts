import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { COMPILE_CACHE_ENV } from "../../harness/compileCache";
import { REPOSITORY_ROOT } from "../support/stack";

const PRELOAD = path.join(REPOSITORY_ROOT, "dist", "harness", "hostPreload.js");

/**
 * The code cache provider hosts preload (`harness/compileCache.ts`): it must not change what a
 * module does, only spare the compile, and must leave alone what it cannot compile the same way.
 */
describe("harness: the hosts' compile cache", function () {
  this.timeout(60_000);
  let work: string;
  let cache: string;

  before(function () {
    if (!fs.existsSync(PRELOAD)) {
      console.warn(`      SKIPPED: ${PRELOAD} is missing; run \`npm run build\` first`);
      this.skip();
    }
  });
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "compile-cache-test-"));
    cache = path.join(work, "cache");
    // A package that loads another module with a dynamic import, and a file outside node_modules.
    const pkg = path.join(work, "node_modules", "dynamic-loader");
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, "index.js"), 'exports.load = () => import("node:path");\n');
    fs.writeFileSync(path.join(work, "local.js"), "module.exports = 42;\n");
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  /** Runs `script` in a fresh node with the preload, from the repository (so `yaml` resolves). */
  const run = (script: string): string =>
    execFileSync(process.execPath, ["--require", PRELOAD, "-e", script], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, [COMPILE_CACHE_ENV]: cache },
      encoding: "utf8",
    });
  const cached = () => (fs.existsSync(cache) ? fs.readdirSync(cache).filter((f) => f.endsWith(".bin")) : []);

  const probe = `
    const yaml = require("yaml");
    const local = require(${JSON.stringify(path.join("WORK", "local.js"))});
    require(${JSON.stringify(path.join("WORK", "node_modules", "dynamic-loader"))}).load().then((p) =>
      console.log(JSON.stringify([yaml.stringify({ a: [1, 2] }), local, p.sep, require.resolve("yaml")])));
  `;
  const probeIn = (dir: string) => probe.replaceAll("WORK", dir);

  it("runs modules exactly as without it, and the second process uses what the first wrote", () => {
    const plain = execFileSync(process.execPath, ["-e", probeIn(work)], {
      cwd: REPOSITORY_ROOT,
      encoding: "utf8",
    });
    const first = run(probeIn(work));
    const written = cached();
    assert.ok(written.length > 0, "the first process wrote cached code");
    const second = run(probeIn(work));
    assert.equal(first, plain);
    assert.equal(second, plain);
    assert.deepEqual(cached(), written, "the second process found everything cached and wrote nothing new");
  });

  it("caches only node_modules files without a dynamic import", () => {
    run(probeIn(work));
    // The same run with only `yaml` cached: the local file and the dynamic-import package add nothing.
    const only = path.join(work, "cache-yaml");
    execFileSync(process.execPath, ["--require", PRELOAD, "-e", 'require("yaml")'], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, [COMPILE_CACHE_ENV]: only },
    });
    assert.equal(cached().length, fs.readdirSync(only).filter((f) => f.endsWith(".bin")).length);
  });

  it("recompiles from source when the cached data is damaged", () => {
    const plain = execFileSync(process.execPath, ["-e", probeIn(work)], {
      cwd: REPOSITORY_ROOT,
      encoding: "utf8",
    });
    run(probeIn(work));
    for (const file of cached()) fs.writeFileSync(path.join(cache, file), "not V8 code cache data");
    assert.equal(run(probeIn(work)), plain);
    const rewritten = cached().filter(
      (file) => fs.readFileSync(path.join(cache, file), "utf8") !== "not V8 code cache data",
    );
    assert.equal(rewritten.length, cached().length, "each rejected entry is written again");
  });
});
