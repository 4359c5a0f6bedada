/**
 * Defers two libraries `@pulumi/pulumi` loads at startup and a provider host never uses: TypeScript
 * and `@npmcli/arborist`. Installed in each provider host by `hostPreload.ts`.
 *
 * Why: `require("@pulumi/pulumi")` costs about 1.1 s of CPU, and some 0.7 s of that is these two.
 * `runtime/closure/parseFunction.js` loads TypeScript (through `typescript-shim.js`) to parse the
 * functions a *program* serializes, and `runtime/closure/codePaths.js` loads arborist to find the
 * packages a serialized function needs. A dynamic-provider host (`cmd/dynamic-provider/index.js`)
 * only deserializes `__provider` and calls it, so neither is ever called there, yet every host the
 * harness starts (one per command, as the CLI starts them) pays for both.
 *
 * What it changes: when, not whether, they load. Each `require` of them from inside
 * `@pulumi/pulumi` is resolved as usual (so a missing package still throws where it threw, which
 * `typescript-shim.js` relies on to fall back to its vendored copy) but answered with a stand-in
 * that loads the real module on first use and forwards every operation to it.
 * `codePaths.js` passes arborist straight to TypeScript's `__importStar`, which reads `__esModule`
 * at once; that stand-in answers as the namespace `__importStar` would build instead (`__esModule`
 * true, `default` the module itself, every other key the module's own), without loading it.
 */
import Module from "node:module";
import * as path from "node:path";

/** How the requiring module uses what `require` returns. */
type Shape =
  /** Keeps it and reads its properties later: the stand-in is the module. */
  | "module"
  /** Hands it to `__importStar` at once: the stand-in is the namespace that would have built. */
  | "importStar";

/** What is deferred: a request, made from a file of `@pulumi/pulumi` at `from`. */
export const DEFERRED: ReadonlyArray<{ request: string; from: string; shape: Shape }> = [
  { request: "typescript", from: "typescript-shim.js", shape: "module" },
  { request: "@npmcli/arborist", from: path.join("runtime", "closure", "codePaths.js"), shape: "importStar" },
];

const PULUMI_SDK_DIRECTORY = `${path.sep}node_modules${path.sep}@pulumi${path.sep}pulumi${path.sep}`;

interface NodeModuleStatics {
  _load(request: string, parent: { filename?: string } | undefined, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: unknown, isMain: boolean): string;
}

/** Installs the deferral in this process. */
export function installDeferredModules(): void {
  const NodeModule = Module as unknown as NodeModuleStatics;
  const load = NodeModule._load;
  NodeModule._load = function (request, parent, isMain) {
    const filename = parent?.filename ?? "";
    const sdkAt = filename.lastIndexOf(PULUMI_SDK_DIRECTORY);
    const deferred =
      sdkAt < 0
        ? undefined
        : DEFERRED.find(
            (entry) =>
              entry.request === request && filename.slice(sdkAt + PULUMI_SDK_DIRECTORY.length) === entry.from,
          );
    if (deferred === undefined) return load.call(this, request, parent, isMain);
    // Resolving is cheap and throws for a missing package exactly where loading would have.
    NodeModule._resolveFilename(request, parent, isMain);
    let real: object | undefined;
    const loadReal = (): object => (real ??= load.call(this, request, parent, isMain) as object);
    return standIn(loadReal, deferred.shape);
  };
}

/** An object that behaves as `loadReal()` (or its `__importStar` namespace) and loads it on first use. */
function standIn(loadReal: () => object, shape: Shape): object {
  const namespaceKey = (key: string | symbol): boolean =>
    shape === "importStar" && (key === "__esModule" || key === "default");
  return new Proxy(
    {},
    {
      get: (_target, key) => {
        if (namespaceKey(key)) return key === "__esModule" ? true : loadReal();
        return Reflect.get(loadReal(), key);
      },
      has: (_target, key) => namespaceKey(key) || Reflect.has(loadReal(), key),
      set: (_target, key, value) => Reflect.set(loadReal(), key, value),
      deleteProperty: (_target, key) => Reflect.deleteProperty(loadReal(), key),
      defineProperty: (_target, key, descriptor) => Reflect.defineProperty(loadReal(), key, descriptor),
      ownKeys: () => Reflect.ownKeys(loadReal()),
      // The stand-in's own target is an empty extensible object, so a property is reported
      // configurable: a proxy may not claim a non-configurable property its target lacks.
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(loadReal(), key);
        return descriptor === undefined ? undefined : { ...descriptor, configurable: true };
      },
      getPrototypeOf: () => Reflect.getPrototypeOf(loadReal()),
    },
  );
}
