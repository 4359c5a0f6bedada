/**
 * A V8 code cache for the provider hosts the harness starts (installed by `hostPreload.ts`,
 * which each host preloads with `node --require`).
 *
 * Why: the harness starts a fresh dynamic-provider host for every command, as the CLI does, and
 * each one compiles the same ~850 CommonJS files of `@pulumi/pulumi` and its dependencies. On the
 * 2-core machines the suite runs on, that compiling is a large share of the suite's CPU. Node 22
 * caches compiled code by itself (`NODE_COMPILE_CACHE`); Node 20, which this project supports, does
 * not, so this does the same for files under `node_modules`.
 *
 * What it changes: nothing a program can observe. A module is compiled from the same source, with
 * the wrapper Node itself uses (`Module.wrap`), and run with the same five arguments, `require`
 * built as Node's `makeRequireFunction` builds it (`lib/internal/modules/helpers.js`). The cache is
 * keyed by the file's path and a hash of its content, so an edited or upgraded package is compiled
 * afresh; V8 itself rejects data from another V8 version or other flags. Two kinds of file are
 * left to Node: those outside `node_modules` (this repository's build changes all the time) and
 * those whose text contains `import(`, since a script compiled this way cannot run a dynamic import.
 *
 * Hosts are stopped by a signal, so nothing can be written at exit: a file compiled without cached
 * data has its data written on the next turn of the event loop, when its top level has run.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";

/** Where the cache lives: the directory the harness passes in `PULUMI_CHATWOOT_HARNESS_COMPILE_CACHE`. */
export const COMPILE_CACHE_ENV = "PULUMI_CHATWOOT_HARNESS_COMPILE_CACHE";

/** The parts of Node's CommonJS loader this uses: public in practice, private in Node's types. */
interface NodeModuleInternals {
  _compile(content: string, filename: string): unknown;
  require(id: string): unknown;
  exports: unknown;
}
interface NodeModuleStatics {
  prototype: NodeModuleInternals;
  wrap(content: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _resolveLookupPaths(request: string, parent: unknown): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}

function cacheFile(directory: string, filename: string, content: string): string {
  const key = createHash("sha256").update(filename).update("\0").update(content).digest("hex");
  return path.join(directory, `${key}.bin`);
}

function readCachedData(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file, so a host reading at the same time never sees half a file. */
function writeCachedData(file: string, data: Buffer): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, data);
    fs.renameSync(temporary, file);
  } catch {
    // A cache that cannot be written only costs the next host the compile.
    fs.rmSync(temporary, { force: true });
  }
}

/** Installs the cache in this process, if the harness asked for it. */
export function installCompileCache(directory: string | undefined): void {
  if (directory === undefined || directory === "") return;
  fs.mkdirSync(directory, { recursive: true });
  const NodeModule = Module as unknown as NodeModuleStatics;
  const compile = NodeModule.prototype._compile;
  const toWrite: Array<{ file: string; script: vm.Script }> = [];
  const flush = (): void => {
    for (const { file, script } of toWrite.splice(0)) writeCachedData(file, script.createCachedData());
  };

  NodeModule.prototype._compile = function (this: NodeModuleInternals, content: string, filename: string) {
    if (!filename.includes(`${path.sep}node_modules${path.sep}`) || content.includes("import(")) {
      return compile.call(this, content, filename);
    }
    const file = cacheFile(directory, filename, content);
    const cachedData = readCachedData(file);
    const script = new vm.Script(NodeModule.wrap(content), {
      filename,
      ...(cachedData === undefined ? {} : { cachedData }),
    });
    if (cachedData === undefined || script.cachedDataRejected === true) {
      if (toWrite.length === 0) setImmediate(flush);
      toWrite.push({ file, script });
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(
      this.exports,
      this.exports,
      requireFor(NodeModule, this),
      this,
      filename,
      path.dirname(filename),
    );
  };
}

/** `require` for `module`, with the properties Node's own has. */
function requireFor(NodeModule: NodeModuleStatics, module: NodeModuleInternals): NodeJS.Require {
  const require = ((id: string) => module.require(id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) =>
    NodeModule._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => NodeModule._resolveLookupPaths(request, module);
  require.resolve = resolve;
  require.main = process.mainModule;
  require.extensions = NodeModule._extensions as NodeJS.Require["extensions"];
  require.cache = NodeModule._cache as NodeJS.Require["cache"];
  return require;
}
