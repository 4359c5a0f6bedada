import { spawnSync } from "node:child_process";
import * as path from "node:path";

/** Where the Ruby scripts that run Chatwoot's own libraries live. */
const SCRIPTS = path.join(__dirname, "..", "emulator", "ruby");

export type RubyOutcome = { ok: true; output: unknown } | { ok: false; reason: string };

/**
 * Runs `test/emulator/ruby/<script>` with `input` as JSON on stdin and parses its JSON answer. A
 * missing `ruby` or gem is reported, not thrown, so a test can skip loudly; a script that fails for
 * any other reason throws.
 */
export function runRubyScript(script: string, input: unknown): RubyOutcome {
  const run = spawnSync("ruby", [path.join(SCRIPTS, script)], {
    input: JSON.stringify(input),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (run.error && (run.error as NodeJS.ErrnoException).code === "ENOENT") {
    return { ok: false, reason: "ruby is not installed" };
  }
  if (run.status !== 0) {
    const missing = /cannot load such file -- (\S+)/.exec(run.stderr ?? "");
    if (missing) return { ok: false, reason: `the Ruby library ${missing[1]} is not installed` };
    throw new Error(`ruby ${script} failed (${run.status ?? run.signal}): ${run.stderr}`);
  }
  return { ok: true, output: JSON.parse(run.stdout) as unknown };
}

/** Skips the calling test with a warning that says what to install. */
export function skipWithoutRuby(context: Mocha.Context, reason: string, packages: string): never {
  console.warn(`      ⚠ skipped: ${reason}; install it with \`apt-get install ${packages}\` (.ci/run does)`);
  context.skip();
}
