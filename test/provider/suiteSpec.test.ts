import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { NEWEST_RELEASE, OLDEST_RELEASE, releaseProfile } from "../../emulator/releases";
import { REPOSITORY_ROOT } from "../support/stack";

/**
 * `.mocharc.json` lists the test directories one by one, heaviest first, so that the two-core CI
 * machine does not end on a long file alone. Mocha runs a file twice if two entries match it and
 * never if none does: every test file must be matched by exactly one entry.
 */
describe("the suite's spec list", () => {
  it("runs every test file exactly once", () => {
    const spec = (
      JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, ".mocharc.json"), "utf8")) as { spec: string[] }
    ).spec;
    const testFiles: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(path.join(REPOSITORY_ROOT, dir), { withFileTypes: true })) {
        const relative = path.posix.join(dir, entry.name);
        if (entry.isDirectory()) walk(relative);
        else if (entry.name.endsWith(".test.ts")) testFiles.push(relative);
      }
    };
    walk("test");
    // Each entry is `test/<directory>/*.test.ts`: it matches the test files directly in that directory.
    for (const entry of spec)
      assert.match(entry, /^test\/[a-z]+\/\*\.test\.ts$/, `unexpected spec entry ${entry}`);
    const matches = (file: string) =>
      spec.filter((entry) => path.posix.dirname(entry) === path.posix.dirname(file));
    for (const file of testFiles)
      assert.equal(matches(file).length, 1, `${file} is matched by ${matches(file).length} spec entries`);
  });

  it("runs the lifecycle tier on the newest release and again on the oldest", () => {
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const spec = (
      JSON.parse(fs.readFileSync(path.join(REPOSITORY_ROOT, ".mocharc.json"), "utf8")) as { spec: string[] }
    ).spec;
    // `mocha` with .mocharc.json: the emulator's default release, the newest.
    assert.equal(releaseProfile().version, NEWEST_RELEASE);
    assert.ok(spec.includes("test/lifecycle/*.test.ts"));
    const test = scripts.test ?? "";
    assert.match(
      test,
      /&& mocha && npm run --silent test:oldest-release$/,
      "npm test runs both, failing if either fails",
    );
    const oldest = scripts["test:oldest-release"] ?? "";
    assert.ok(oldest.startsWith(`CHATWOOT_EMULATOR_VERSION=${OLDEST_RELEASE} mocha `), oldest);
    assert.ok(oldest.endsWith(" 'test/lifecycle/*.test.ts'"), oldest);
  });
});
