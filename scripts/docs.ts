/**
 * Regenerates the field tables in README.md from the resources' field specs (`npm run docs`).
 * A test fails when the README and the specs disagree, so the docs cannot drift.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { withFieldTables } from "./fieldTables";

const readmePath = path.join(path.dirname(require.resolve("pulumi-chatwoot/package.json")), "README.md");
fs.writeFileSync(readmePath, withFieldTables(fs.readFileSync(readmePath, "utf8")));
console.log("README.md field tables regenerated");
