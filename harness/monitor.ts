/**
 * A fake resource monitor (and engine log service) for running an unmodified Pulumi program out of
 * process: the gRPC services the language host hands to `@pulumi/pulumi/cmd/run` as `--monitor` and
 * `--engine` (`pkg/resource/deploy/source_eval.go resmon`; `proto/pulumi/resource.proto`, `engine.proto`).
 *
 * Dynamic resources go to the harness `Deployment` with the RAW `RegisterResourceRequest.object`, so
 * unknown sentinels and secret wrappers reach the engine rules exactly as the engine would see them.
 * The stack and component resources are recorded (their outputs arrive by `RegisterResourceOutputs`;
 * the stack's outputs are the program's exports).
 *
 * Features offered to the SDK: only `secrets`. The real engine also offers resource references, output
 * values, alias specs, transforms, hooks, `deletedWith`…; the SDK then falls back (resources passed as
 * inputs are sent as their ids) or reports the option as unsupported.
 */
import type { handleUnaryCall, Server } from "@grpc/grpc-js";
import type * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import type * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
import type { Empty } from "google-protobuf/google/protobuf/empty_pb";
import type { Deployment, RegisterArgs } from "./deployment";
import { RegistrationError } from "./operation";
import type { PulumiSdk } from "./pulumiSdk";
import { rootStackType } from "./urn";
import type { PropertyMap } from "./wire";

export type LogSeverity = "debug" | "info" | "warning" | "error";

/** A message the program logged through the engine service (`pulumi.log.*`, unhandled errors). */
export interface ProgramLogEntry {
  readonly severity: LogSeverity;
  readonly message: string;
  readonly urn?: string;
}

const supportedFeatures = new Set(["secrets"]);

export class ResourceMonitorServer {
  readonly logs: ProgramLogEntry[] = [];
  /** The outputs the program exported (the stack resource's `RegisterResourceOutputs`). */
  stackOutputs: PropertyMap = {};
  private rootUrn = "";
  private stackUrn = "";

  private constructor(
    private readonly sdk: PulumiSdk,
    private readonly server: Server,
    private readonly deployment: Deployment,
    /** `127.0.0.1:<port>`, serving both `--monitor` and `--engine`. */
    readonly address: string,
  ) {}

  static async start(sdk: PulumiSdk, deployment: Deployment): Promise<ResourceMonitorServer> {
    const server = new sdk.grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", sdk.grpc.ServerCredentials.createInsecure(), (error, boundPort) =>
        error ? reject(error) : resolve(boundPort),
      ),
    );
    const monitor = new ResourceMonitorServer(sdk, server, deployment, `127.0.0.1:${port}`);
    // Methods left out (Invoke, ReadResource, Call, transforms, hooks, RegisterPackage…) answer UNIMPLEMENTED.
    server.addService(sdk.resourceGrpc.ResourceMonitorService, {
      supportsFeature: monitor.supportsFeature,
      registerResource: monitor.registerResource,
      registerResourceOutputs: monitor.registerResourceOutputs,
      signalAndWaitForShutdown: monitor.signalAndWaitForShutdown,
    });
    server.addService(sdk.engineGrpc.EngineService, {
      log: monitor.log,
      getRootResource: monitor.getRootResource,
      setRootResource: monitor.setRootResource,
      requirePulumiVersion: monitor.requirePulumiVersion,
    });
    return monitor;
  }

  /** Stops accepting calls and drops open connections (the program has exited). */
  close(): void {
    this.server.forceShutdown();
  }

  private readonly supportsFeature: handleUnaryCall<
    resourceProto.SupportsFeatureRequest,
    resourceProto.SupportsFeatureResponse
  > = (call, callback) => {
    const response = new this.sdk.resource.SupportsFeatureResponse();
    response.setHassupport(supportedFeatures.has(call.request.getId()));
    callback(null, response);
  };

  private readonly registerResource: handleUnaryCall<
    resourceProto.RegisterResourceRequest,
    resourceProto.RegisterResourceResponse
  > = (call, callback) => {
    let args: RegisterArgs;
    try {
      args = this.registerArgs(call.request);
    } catch (error) {
      return callback(
        { code: this.sdk.grpc.status.INVALID_ARGUMENT, details: (error as Error).message },
        null,
      );
    }
    const { resource, struct } = this.sdk;
    const respond = (urn: string, id: string, outputs: PropertyMap, result: resourceProto.Result): void => {
      const response = new resource.RegisterResourceResponse();
      response.setUrn(urn);
      response.setId(id);
      response.setObject(struct.Struct.fromJavaScript(outputs));
      response.setResult(result);
      callback(null, response);
    };
    this.deployment.register(args).then(
      (registered) => {
        if (args.type === rootStackType) this.stackUrn = registered.urn;
        // The engine never returns component outputs from RegisterResource (`source_eval.go`).
        respond(
          registered.urn,
          registered.id ?? "",
          args.custom === false ? {} : registered.outputs,
          resource.Result.SUCCESS,
        );
      },
      (error: unknown) => {
        if (
          error instanceof RegistrationError &&
          this.deployment.continueOnError &&
          error.kind !== "cancelled"
        ) {
          const result = error.kind === "skipped" ? resource.Result.SKIP : resource.Result.FAIL;
          return respond(error.urn, "", {}, result);
        }
        // Fail-fast: the engine cancels the deployment, and the waiting registration sees the monitor go away.
        callback(
          {
            code: this.sdk.grpc.status.UNAVAILABLE,
            details: "resource monitor shut down while waiting on step's done channel",
          },
          null,
        );
      },
    );
  };

  private readonly registerResourceOutputs: handleUnaryCall<
    resourceProto.RegisterResourceOutputsRequest,
    Empty
  > = (call, callback) => {
    const urn = call.request.getUrn();
    const outputs = (call.request.getOutputs()?.toJavaScript() ?? {}) as PropertyMap;
    try {
      this.deployment.registerOutputs(urn, outputs);
    } catch (error) {
      return callback(
        { code: this.sdk.grpc.status.INVALID_ARGUMENT, details: (error as Error).message },
        null,
      );
    }
    if (urn === this.stackUrn) this.stackOutputs = outputs;
    callback(null, new this.sdk.empty.Empty());
  };

  /** The program is done: like the engine, answer once every step, deletes included, has run. */
  private readonly signalAndWaitForShutdown: handleUnaryCall<Empty, Empty> = (_call, callback) => {
    void this.deployment.finish().then(() => callback(null, new this.sdk.empty.Empty()));
  };

  private readonly log: handleUnaryCall<engineProto.LogRequest, Empty> = (call, callback) => {
    const severities: Record<number, LogSeverity> = { 0: "debug", 1: "info", 2: "warning", 3: "error" };
    const urn = call.request.getUrn();
    this.logs.push({
      severity: severities[call.request.getSeverity()] ?? "info",
      message: call.request.getMessage(),
      ...(urn ? { urn } : {}),
    });
    callback(null, new this.sdk.empty.Empty());
  };

  private readonly getRootResource: handleUnaryCall<
    engineProto.GetRootResourceRequest,
    engineProto.GetRootResourceResponse
  > = (_call, callback) => {
    const response = new this.sdk.engine.GetRootResourceResponse();
    response.setUrn(this.rootUrn);
    callback(null, response);
  };

  private readonly setRootResource: handleUnaryCall<
    engineProto.SetRootResourceRequest,
    engineProto.SetRootResourceResponse
  > = (call, callback) => {
    this.rootUrn = call.request.getUrn();
    callback(null, new this.sdk.engine.SetRootResourceResponse());
  };

  private readonly requirePulumiVersion: handleUnaryCall<
    engineProto.RequirePulumiVersionRequest,
    engineProto.RequirePulumiVersionResponse
  > = (_call, callback) => {
    callback(null, new this.sdk.engine.RequirePulumiVersionResponse());
  };

  private registerArgs(request: resourceProto.RegisterResourceRequest): RegisterArgs {
    const type = request.getType();
    if (request.getRemote())
      throw new Error(`${type}: remote components (Construct) are not supported by the harness`);
    if (request.getImportid()) throw new Error(`${type}: import is not supported by the harness`);
    if (request.getCustom() && request.getProvider()) {
      throw new Error(`${type}: explicit provider resources are not supported by the harness`);
    }
    const propertyDependencies: Record<string, string[]> = {};
    request.getPropertydependenciesMap().forEach((dependencies, key) => {
      propertyDependencies[key] = dependencies.getUrnsList();
    });
    const timeouts = request.getCustomtimeouts();
    const customTimeouts = {
      ...(timeouts?.getCreate() ? { create: timeouts.getCreate() } : {}),
      ...(timeouts?.getUpdate() ? { update: timeouts.getUpdate() } : {}),
      ...(timeouts?.getDelete() ? { delete: timeouts.getDelete() } : {}),
    };
    const parent = request.getParent();
    return {
      type,
      name: request.getName(),
      inputs: (request.getObject()?.toJavaScript() ?? {}) as PropertyMap,
      custom: request.getCustom(),
      ...(parent ? { parent } : {}),
      dependsOn: request.getDependenciesList(),
      ...(Object.keys(propertyDependencies).length ? { propertyDependencies } : {}),
      ...(request.getDeletebeforereplacedefined()
        ? { deleteBeforeReplace: request.getDeletebeforereplace() }
        : {}),
      additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
      ignoreChanges: request.getIgnorechangesList(),
      ...(Object.keys(customTimeouts).length ? { customTimeouts } : {}),
      ...(request.getProtect() ? { protect: true } : {}),
      ...(request.getRetainondelete() ? { retainOnDelete: true } : {}),
    };
  }
}
