#!/usr/bin/env node
/**
 * `npm run demo`: seeds the demo data set into a Chatwoot emulator (or, with `--url`, a real
 * Chatwoot) through the root Pulumi project, and prints a summary. `--help` for the options;
 * scripts/demo/ holds the pieces.
 */
import { runDemo } from "./demo/main";

runDemo(process.argv.slice(2), process.env, {
  out: (line) => console.log(line),
  error: (line) => console.error(line),
}).then(
  // Exit explicitly: the harness's gRPC clients and servers may keep the event loop alive.
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`The demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
