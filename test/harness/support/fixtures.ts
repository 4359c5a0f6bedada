import * as path from "path";
import { Engine, type DeploymentHandle, type RegisterArgs } from "../../../harness/engine";
import type { PropertyMap } from "../../../harness/wire";
import { RecordsServer } from "./recordsServer";
import { recordProvider, serializeProvider } from "./toyProvider";

/** The repository root: the project directory whose `@pulumi/pulumi` hosts the provider. */
export const projectDir = path.resolve(__dirname, "../../..");

export const recordType = "pulumi-nodejs:dynamic/toy:Record";

/** A distinctive secret, so that a search of state or logs cannot match it by accident. */
export const apiToken = "tok-7f3a9c1e-never-in-state";

export interface ToyWorld {
  readonly server: RecordsServer;
  readonly engine: Engine;
  /** `__provider` text of {@link recordProvider}. */
  readonly providerText: string;
  /**
   * A new stack on the same engine and server: no resources, the original config, and a server that
   * takes any token, serves reads and has logged nothing.
   */
  fresh(): void;
  /** The distinct `Authorization` headers the server has seen since its log was cleared. */
  tokensSent(): string[];
  close(): Promise<void>;
}

/** A records server plus an Engine whose host is configured with `toy:url` and the secret `toy:token`. */
export async function startToyWorld(extra: { parallel?: number } = {}): Promise<ToyWorld> {
  const server = await RecordsServer.start();
  const [engine, providerText] = await Promise.all([
    Engine.start({
      projectDir,
      config: { "toy:url": server.url, "toy:token": apiToken },
      secretConfigKeys: ["toy:token"],
      ...(extra.parallel === undefined ? {} : { parallel: extra.parallel }),
    }),
    serializeProvider(recordProvider),
  ]);
  return {
    server,
    engine,
    providerText,
    fresh() {
      engine.resetState();
      engine.setConfig({ "toy:url": server.url, "toy:token": apiToken }, ["toy:token"]);
      server.acceptedToken = undefined;
      server.failReads = false;
      server.clearLog();
    },
    tokensSent: () => [...new Set(server.requests.map((request) => request.authorization ?? ""))],
    async close() {
      await engine.close();
      await server.close();
    },
  };
}

/** Registration arguments for a toy record. */
export function recordArgs(
  providerText: string,
  name: string,
  inputs: PropertyMap,
  options: Omit<RegisterArgs, "type" | "name" | "inputs"> = {},
): RegisterArgs {
  return { type: recordType, name, inputs: { ...inputs, __provider: providerText }, ...options };
}

/** Registers one toy record per entry, in order, awaiting each. */
export function recordsProgram(
  providerText: string,
  records: Record<string, PropertyMap>,
): (deployment: DeploymentHandle) => Promise<void> {
  return async (deployment) => {
    for (const [name, inputs] of Object.entries(records))
      await deployment.register(recordArgs(providerText, name, inputs));
  };
}

export function urnOf(name: string, stack = "dev", project = "p"): string {
  return `urn:pulumi:${stack}::${project}::${recordType}::${name}`;
}

/** A result's steps as `op name`, in the order they finished. */
export function stepOps(result: { steps: readonly { op: string; urn: string }[] }): string[] {
  return result.steps.map((step) => `${step.op} ${step.urn.split("::").pop() as string}`);
}
