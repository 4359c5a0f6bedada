import type { ServiceError } from "@grpc/grpc-js";
import type { PulumiSdk } from "./pulumiSdk";
import type { PropertyMap } from "./wire";

/**
 * What a provider reported when a resource was created (or updated) but failed to initialize: the
 * host packs `ErrorResourceInitFailed` into `grpc-status-details-bin` when the thrown error carries an
 * `id`, and the engine then keeps the resource in state with these `reasons` as init errors.
 */
export interface ResourceInitFailure {
  readonly id: string;
  readonly properties: PropertyMap;
  readonly reasons: readonly string[];
  readonly inputs?: PropertyMap;
}

/** A failed gRPC call to the dynamic-provider host. */
export class HostCallError extends Error {
  override readonly name = "HostCallError";

  constructor(
    /** The RPC, e.g. `Create`. */
    readonly method: string,
    /** The gRPC status code (`UNKNOWN` = 2 for errors thrown by provider code). */
    readonly code: number,
    /** The error text as the provider threw it (gRPC `details`). */
    readonly details: string,
    /** Present when the provider reported a partially created resource. */
    readonly initFailure?: ResourceInitFailure,
  ) {
    super(`${method} failed: ${details}`);
  }
}

/** Converts a grpc-js error into a {@link HostCallError}, decoding a packed `ErrorResourceInitFailed`. */
export function toHostCallError(sdk: PulumiSdk, method: string, error: ServiceError): HostCallError {
  return new HostCallError(method, error.code, error.details, decodeInitFailure(sdk, error));
}

const initFailedTypeName = "pulumirpc.ErrorResourceInitFailed";

function decodeInitFailure(sdk: PulumiSdk, error: ServiceError): ResourceInitFailure | undefined {
  for (const raw of error.metadata?.get("grpc-status-details-bin") ?? []) {
    const bytes = typeof raw === "string" ? Buffer.from(raw, "binary") : raw;
    const status = sdk.status.Status.deserializeBinary(new Uint8Array(bytes));
    for (const detail of status.getDetailsList()) {
      if (detail.getTypeName() !== initFailedTypeName) continue;
      const failure = sdk.provider.ErrorResourceInitFailed.deserializeBinary(detail.getValue_asU8());
      const inputs = failure.getInputs()?.toJavaScript() as PropertyMap | undefined;
      return {
        id: failure.getId(),
        properties: (failure.getProperties()?.toJavaScript() ?? {}) as PropertyMap,
        reasons: failure.getReasonsList(),
        ...(inputs ? { inputs } : {}),
      };
    }
  }
  return undefined;
}
