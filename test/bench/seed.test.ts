import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const REPOSITORY_ROOT = join(__dirname, "..", "..");

/**
 * `npm run bench` at a tiny N: it runs end to end and prints (and writes as JSON) every section.
 * Only the shape is checked; the bench's figures are never asserted (they depend on the machine).
 */
describe("seeding benchmark (smoke)", function () {
  this.timeout(180_000);
  let directory: string;

  before(() => {
    directory = mkdtempSync(join(tmpdir(), "bench-smoke-"));
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it("prints each operation, the requests by route, the state and the targets, and writes them as JSON", async () => {
    const json = join(directory, "seed.json");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["-r", "ts-node/register", "bench/seed.ts", "--sizes", "3", "--latencies", "2", "--json", json],
      { cwd: REPOSITORY_ROOT, maxBuffer: 16 * 1024 * 1024 },
    );
    assert.match(stdout, /^## N = 3, latency 2 ms$/m);
    for (const operation of ["create", "noop", "refresh", "destroy"]) {
      assert.match(stdout, new RegExp(`^\\| ${operation} \\| [\\d.]+ s \\| [\\d.]+ s \\|`, "m"), operation);
      assert.match(stdout, new RegExp(`^- ${operation}: `, "m"), `${operation} routes`);
    }
    assert.match(stdout, /^- create: .*POST contacts \d+(\.\d+)?\/1/m);
    assert.match(stdout, /^State: \d+ bytes for 6 resources/m);
    assert.match(stdout, /^End state after create: the same/m);
    assert.match(stdout, /^## Targets/m);

    const written = JSON.parse(readFileSync(json, "utf8")) as {
      scenarios: Array<{
        pairs: number;
        operations: Array<{ operation: string; provider: { requests: number } }>;
      }>;
      targets: { verdicts: unknown[] };
    };
    assert.equal(written.scenarios.length, 1);
    assert.deepEqual(
      written.scenarios[0]!.operations.map((measure) => measure.operation),
      ["create", "noop", "refresh", "destroy"],
    );
    assert.ok(written.scenarios[0]!.operations[0]!.provider.requests > 0, "create's requests were recorded");
    assert.ok(written.targets.verdicts.length > 0);
  });
});
