import { strict as assert } from "node:assert";
import * as path from "node:path";
import { Engine } from "../../harness/engine";
import { describeRun, runProgram } from "../../harness/program";
import { loadSeedData } from "../../provider";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { openDemoAccount } from "../../scripts/demo/demoAccount";
import { readRootProject } from "../../scripts/demo/rootProject";
import { ADMIN_TOKEN, REPOSITORY_ROOT } from "../support/stack";
import { datasetCounts } from "./support/datasetExpectations";
import { exampleDir } from "./support/exampleProjects";

/** The repository's own Pulumi.yaml, which `npm run demo` (and `pulumi up` at the top) runs. */
describe("the root project (Pulumi.yaml main: examples/demo-dataset)", function () {
  this.timeout(60_000);
  let emulator: RunningEmulator | undefined;
  let engine: Engine | undefined;

  after(async () => {
    await engine?.close();
    await emulator?.close();
  });

  it("runs the demo-dataset program from its own directory, as the engine resolves `main`", () => {
    const project = readRootProject(REPOSITORY_ROOT);
    assert.deepEqual(project, {
      name: project.name,
      projectDir: REPOSITORY_ROOT,
      programDir: exampleDir("demo-dataset"),
      entryPoint: ".",
    });
  });

  it("finds its data file from another working directory too (the repository root)", async () => {
    const project = readRootProject(REPOSITORY_ROOT);
    emulator = await startEmulator({ adminToken: ADMIN_TOKEN });
    // The preview looks the data's agent and team up by name, so it needs the demo's account.
    const account = openDemoAccount(emulator);
    engine = await Engine.start({
      projectDir: REPOSITORY_ROOT,
      project: project.name,
      config: {
        "chatwoot:url": emulator.url,
        "chatwoot:accountId": String(account.accountId),
        "chatwoot:apiAccessToken": ADMIN_TOKEN,
      },
      secretConfigKeys: ["chatwoot:apiAccessToken"],
    });
    // The program runs with the repository root as its working directory and is named by path:
    // a data file resolved from the working directory would not be found.
    const preview = await runProgram({
      engine,
      programDir: REPOSITORY_ROOT,
      entryPoint: path.relative(REPOSITORY_ROOT, project.programDir),
      preview: true,
      env: { PULUMI_NODEJS_TRANSPILE_ONLY: "true" },
    });
    assert.equal(preview.exitCode, 0, describeRun(preview));
    const expected = datasetCounts(loadSeedData(path.join(project.programDir, "dataset.yaml")));
    assert.deepEqual(preview.summary, { create: expected.registrations });
  });
});
