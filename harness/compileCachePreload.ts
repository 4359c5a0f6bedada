/**
 * What each provider host preloads (`node --require dist/harness/compileCachePreload.js`): the
 * compile cache of `compileCache.ts`, in the directory the harness names. Kept apart from it so that
 * importing the harness never patches the loader of the process that imports it.
 */
import { COMPILE_CACHE_ENV, installCompileCache } from "./compileCache";

installCompileCache(process.env[COMPILE_CACHE_ENV]);
