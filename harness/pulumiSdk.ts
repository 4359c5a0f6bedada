/**
 * Loads the pieces of `@pulumi/pulumi` the harness talks through, from the SAME installation that will
 * run the code under test.
 *
 * The engine's shim (`pulumi-resource-pulumi-nodejs`) resolves `@pulumi/pulumi/cmd/dynamic-provider`
 * from the project directory, so the project's own SDK version is the host version. `@grpc/grpc-js` and
 * `google-protobuf` must come from that SDK's resolution path too: grpc-js checks `instanceof
 * ChannelCredentials` and protobuf checks message classes, so mixing two copies breaks at runtime.
 */
import * as path from "path";
import type * as grpcJs from "@grpc/grpc-js";
import type * as structProto from "google-protobuf/google/protobuf/struct_pb";
import type * as emptyProto from "google-protobuf/google/protobuf/empty_pb";
import type * as providerProto from "@pulumi/pulumi/proto/provider_pb";
import type * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as pluginProto from "@pulumi/pulumi/proto/plugin_pb";
import type * as statusProto from "@pulumi/pulumi/proto/status_pb";
import type * as resourceProto from "@pulumi/pulumi/proto/resource_pb";
import type * as resourceGrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import type * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import type * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";

/** The modules of one `@pulumi/pulumi` installation, typed by the project's own copies of their typings. */
export interface PulumiSdk {
  /** Directory of the `@pulumi/pulumi` package. */
  readonly dir: string;
  readonly version: string;
  readonly grpc: typeof grpcJs;
  readonly struct: typeof structProto;
  readonly empty: typeof emptyProto;
  readonly provider: typeof providerProto;
  readonly providerGrpc: typeof providerGrpc;
  readonly plugin: typeof pluginProto;
  readonly status: typeof statusProto;
  readonly resource: typeof resourceProto;
  readonly resourceGrpc: typeof resourceGrpc;
  readonly engine: typeof engineProto;
  readonly engineGrpc: typeof engineGrpc;
  /** `cmd/dynamic-provider/index.js`: the dynamic-provider host entry point. */
  readonly dynamicProviderHostScript: string;
  /** `cmd/run`: the Node.js program runner the language host launches. */
  readonly programRunnerScript: string;
}

const loaded = new Map<string, PulumiSdk>();

/** Loads (once per installation) the `@pulumi/pulumi` that `projectDir` resolves, as Node would. */
export function loadPulumiSdk(projectDir: string): PulumiSdk {
  const dir = resolvePulumiDir(projectDir);
  const cached = loaded.get(dir);
  if (cached) return cached;

  const fromSdk = (request: string): unknown => require(require.resolve(request, { paths: [dir] }));
  const proto = (name: string): unknown => require(path.join(dir, "proto", name));
  const packageJson = require(path.join(dir, "package.json")) as { version: string };

  const sdk: PulumiSdk = {
    dir,
    version: packageJson.version,
    grpc: fromSdk("@grpc/grpc-js") as typeof grpcJs,
    struct: fromSdk("google-protobuf/google/protobuf/struct_pb") as typeof structProto,
    empty: fromSdk("google-protobuf/google/protobuf/empty_pb") as typeof emptyProto,
    provider: proto("provider_pb") as typeof providerProto,
    providerGrpc: proto("provider_grpc_pb") as typeof providerGrpc,
    plugin: proto("plugin_pb") as typeof pluginProto,
    status: proto("status_pb") as typeof statusProto,
    resource: proto("resource_pb") as typeof resourceProto,
    resourceGrpc: proto("resource_grpc_pb") as typeof resourceGrpc,
    engine: proto("engine_pb") as typeof engineProto,
    engineGrpc: proto("engine_grpc_pb") as typeof engineGrpc,
    dynamicProviderHostScript: path.join(dir, "cmd", "dynamic-provider", "index.js"),
    programRunnerScript: path.join(dir, "cmd", "run"),
  };
  loaded.set(dir, sdk);
  return sdk;
}

/** The directory of the `@pulumi/pulumi` package that `projectDir` resolves. */
export function resolvePulumiDir(projectDir: string): string {
  try {
    return path.dirname(
      require.resolve("@pulumi/pulumi/package.json", { paths: [path.resolve(projectDir)] }),
    );
  } catch (error) {
    throw new Error(
      `Cannot resolve @pulumi/pulumi from ${projectDir}: the dynamic-provider host runs the project's own ` +
        `installed SDK, so install it there first (${String(error)})`,
    );
  }
}
