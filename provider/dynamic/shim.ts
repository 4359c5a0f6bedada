import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "./kinds";

/**
 * The provider object Pulumi serializes into every resource's `__provider` property.
 *
 * It carries no implementation: its only method, `configure`, loads the installed package's
 * implementation (`pulumi-chatwoot/dynamic`) and attaches its methods to this very object. The
 * provider host always calls `configure` right after deserializing a provider and before any
 * other method, and keeps that object for the whole process, so check/diff/create/read/update/
 * delete are in place whenever the host looks for them.
 *
 * Why so thin: the serialized text stays a few hundred bytes, holds no secret and no machine
 * path, and is the same in every version of this package (no `__provider` diffs on upgrade), and
 * refresh and delete run the installed code instead of whatever was frozen into the state.
 */
export function providerShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  const shim = {
    configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
      return require("pulumi-chatwoot/dynamic").attach(this, kind, request);
    },
  };
  // The CRUD methods arrive at `configure` time, which the ResourceProvider type cannot express.
  return shim as unknown as pulumi.dynamic.ResourceProvider;
}
