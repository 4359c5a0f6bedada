/**
 * What each provider host preloads (`node --require dist/harness/hostPreload.js`): the compile cache
 * of `compileCache.ts`, in the directory the harness names, and the deferral of the two libraries a
 * host never uses (`deferredModules.ts`). Kept apart from both so that importing the harness never
 * patches the loader of the process that imports it.
 */
import { COMPILE_CACHE_ENV, installCompileCache } from "./compileCache";
import { installDeferredModules } from "./deferredModules";

installCompileCache(process.env[COMPILE_CACHE_ENV]);
installDeferredModules();
