import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { withFieldTables } from "../../scripts/fieldTables";

describe("README field tables", () => {
  it("match the resources' field specs (run `npm run docs` after changing a field)", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    assert.equal(readme, withFieldTables(readme));
  });
});
