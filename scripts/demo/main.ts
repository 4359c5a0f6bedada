import * as path from "node:path";
import { findPulumiBinary } from "../../harness";
import { seedWithCli } from "./cliRunner";
import { seedWithHarness } from "./harnessRunner";
import { DemoUsageError, parseDemoCommand, USAGE, type DemoOptions } from "./options";
import { redactSecrets } from "../../provider/client/redact";
import { findRepositoryRoot, readRootProject, type RootProject } from "./rootProject";
import { SeedRunError, type SeedRun } from "./seedRun";
import { stateLocations } from "./stateLocations";
import { emulatorMismatches, formatCallbacks, formatSummary, parseDemoOutputs } from "./summary";
import { openTarget, type SeedTarget } from "./target";

/** Where the demo writes: lines for a person on `out`, problems on `error`. */
export interface DemoIo {
  out(line: string): void;
  error(line: string): void;
}

/** Exit codes: 0 done, 1 the seeding failed, 2 a command line the demo cannot run. */
export async function runDemo(argv: readonly string[], env: NodeJS.ProcessEnv, io: DemoIo): Promise<number> {
  let options: DemoOptions;
  try {
    const command = parseDemoCommand(argv, env);
    if (command.kind === "help") {
      io.out(USAGE);
      return 0;
    }
    options = command.options;
  } catch (error) {
    if (!(error instanceof DemoUsageError)) throw error;
    io.error(error.message);
    return 2;
  }

  const project = readRootProject(findRepositoryRoot(__dirname));
  const binary = findPulumiBinary(env);
  // The first line says which engine runs the program: the real CLI, or the harness without it.
  io.out(
    binary === undefined
      ? "No pulumi CLI found: running the program through Pulumi's dynamic-provider host directly (engine harness)."
      : `Found the pulumi CLI at ${binary}: running \`pulumi up\` on the root project, with a local backend in .pulumi/ (no Pulumi Cloud login).`,
  );

  const target = await openTarget(options.target, env);
  const redact = (text: string) => redactSecrets(text, [target.token]);
  const stopOnSignal = () => {
    io.error("Interrupted: stopping.");
    void target.close().finally(() => process.exit(130));
  };
  process.once("SIGINT", stopOnSignal).once("SIGTERM", stopOnSignal);
  try {
    io.out(describeTarget(target));
    io.out(
      `Running the root project "${project.name}" (program: ${path.relative(project.projectDir, project.programDir) || "."}, ` +
        `stack "${target.stack}"); this takes a few seconds.`,
    );
    const run = await seed(binary, project, target, redact, io);
    for (const line of run.report) io.out(`  ${line}`);

    const outputs = parseDemoOutputs(run.outputs);
    const held = target.emulator?.summary().find((account) => account.accountId === target.accountId);
    io.out("");
    io.out(
      formatSummary(outputs, {
        where:
          target.emulator === undefined
            ? `Chatwoot at ${target.url}`
            : `the Chatwoot emulator at ${target.url}`,
        accountId: target.accountId,
        emulatorCounts: held,
      }),
    );
    const mismatches = held === undefined ? [] : emulatorMismatches(outputs, held);
    if (mismatches.length > 0) {
      io.error(`The emulator does not hold what the program declared:\n  ${mismatches.join("\n  ")}`);
      return 1;
    }
    if (target.emulator !== undefined && target.callbacks !== undefined) {
      // Chatwoot sends callbacks from a job queue, after the answers; wait until each is answered.
      await target.emulator.webhooksSettled();
      io.out("");
      io.out(formatCallbacks(target.callbacks.url, target.callbacks.byEvent()));
    }
    io.out("");
    if (target.emulator !== undefined && options.keepRunning) {
      process.off("SIGINT", stopOnSignal).off("SIGTERM", stopOnSignal);
      for (const line of await keepRunningLines(target)) io.out(line);
      await nextSignal();
      io.out("Stopping the emulator.");
    } else if (target.emulator !== undefined) {
      io.out("The emulator stops now; `npm run demo -- --keep-running` keeps it up to look around.");
    }
    return 0;
  } catch (error) {
    if (error instanceof SeedRunError) {
      io.error(`Seeding failed: ${error.message}\n${error.details}`);
    } else {
      io.error(`Seeding failed: ${redact((error as Error).message ?? String(error))}`);
    }
    return 1;
  } finally {
    process.off("SIGINT", stopOnSignal).off("SIGTERM", stopOnSignal);
    await target.close();
  }
}

function seed(
  binary: string | undefined,
  project: RootProject,
  target: SeedTarget,
  redact: (text: string) => string,
  io: DemoIo,
): Promise<SeedRun> {
  const locations = stateLocations(project.projectDir, target);
  return binary === undefined
    ? seedWithHarness(project, target, locations, redact)
    : seedWithCli(binary, project, target, locations, redact, (line) => io.out(`  ${line}`));
}

function describeTarget(target: SeedTarget): string {
  const people = [
    target.agentId === undefined ? undefined : `agent ${target.agentId}`,
    target.teamId === undefined ? undefined : `team ${target.teamId}`,
  ].filter((part) => part !== undefined);
  const ids = [`account ${target.accountId}`, ...people].join(", ");
  return target.emulator === undefined
    ? `Seeding Chatwoot at ${target.url} (${ids}).`
    : `Started the Chatwoot emulator at ${target.url}; seeding its empty demo account (${ids}).`;
}

/** The emulator's address, how to look at it, and its admin token (a sandbox token that dies with it). */
async function keepRunningLines(target: SeedTarget): Promise<string[]> {
  const conversations = `${target.url}/api/v1/accounts/${target.accountId}/conversations`;
  return [
    `The emulator keeps running at ${target.url} until you press Ctrl-C.`,
    ...((await servesWebView(target.url)) ? [`  web view:    ${target.url}/`] : []),
    `  admin token: ${target.token}`,
    "               (a local sandbox token of this emulator only: it stops working when the emulator stops)",
    `  try:         curl -H "api_access_token: ${target.token}" ${conversations}`,
  ];
}

/** Whether the emulator answers `GET /` with a page (the read-only web view, where built in). */
async function servesWebView(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/`, { headers: { accept: "text/html" } });
    await response.arrayBuffer();
    return response.ok && (response.headers.get("content-type") ?? "").includes("text/html");
  } catch {
    return false;
  }
}

function nextSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done).off("SIGTERM", done);
      resolve();
    };
    process.once("SIGINT", done).once("SIGTERM", done);
  });
}
