/**
 * The engine's deployment document, as `pulumi stack export` writes it and `pulumi stack import` reads
 * it (`sdk/go/common/apitype/core.go UntypedDeployment`, `DeploymentV3`, `ResourceV3`, `OperationV2`;
 * `pkg/resource/stack/deployment.go SerializeDeployment`, `SerializePropertyValue`,
 * `DeserializePropertyValue`; `pkg/resource/deploy/manifest.go NewMagic`):
 *
 *   { "version": 3, "deployment": { "manifest": { time, magic, version }, "secrets_providers"?,
 *     "resources": [ResourceV3…], "pending_operations"?: [{ resource, type }] } }
 *
 * Fields are written in `ResourceV3`'s order and left out when empty (`omitempty`); `custom`, `urn` and
 * `type` always appear. A secret is `{"4dabf…": "1b470…", "ciphertext": "…"}`, or with `showSecrets`
 * (`--show-secrets`) `{"4dabf…": "1b470…", "plaintext": "<the value as JSON>"}`; import accepts both.
 * Ciphertext here is the harness's own (AES-GCM under a key that lives only in this process, see
 * `state.ts`): a document with ciphertext can only be read back by the process that wrote it, and
 * `secrets_providers` says so (`type: "harness"`). Documents meant to be kept (test fixtures) are
 * written with `showSecrets`, which `pulumi stack import` also accepts.
 */
import { createHash } from "crypto";
import { isDefaultProvider } from "./defaultProvider";
import {
  cloneResource,
  decryptSecret,
  encryptSecret,
  type CustomTimeouts,
  type ResourceState,
} from "./state";
import {
  isPropertyMap,
  isSecret,
  secret,
  secretSignature,
  specialSignatureKey,
  type PropertyMap,
  type PropertyValue,
} from "./wire";

/** `apitype.DeploymentSchemaVersionCurrent`. */
export const deploymentSchemaVersion = 3;

/** `pkg/resource/operation.go OperationType`. */
export type OperationType = "creating" | "updating" | "deleting" | "reading" | "importing";

/** One resource as `ResourceV3` serializes it (the fields the harness keeps). */
export interface CheckpointResource {
  readonly urn: string;
  readonly custom: boolean;
  readonly delete?: boolean;
  readonly id?: string;
  readonly type: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly parent?: string;
  readonly protect?: boolean;
  readonly dependencies?: string[];
  readonly initErrors?: string[];
  readonly provider?: string;
  readonly propertyDependencies?: Record<string, string[]>;
  readonly pendingReplacement?: boolean;
  readonly additionalSecretOutputs?: string[];
  readonly customTimeouts?: CustomTimeouts;
  readonly retainOnDelete?: boolean;
}

/** An operation the engine started and did not see finish, as a document holds it (`OperationV2`). */
export interface CheckpointOperation {
  readonly resource: CheckpointResource;
  readonly type: OperationType;
}

/** An operation the engine started and did not see finish (`resource.Operation`). */
export interface PendingOperation {
  readonly resource: ResourceState;
  readonly type: OperationType;
}

export interface DeploymentDocument {
  readonly version: number;
  readonly deployment: {
    readonly manifest: { readonly time: string; readonly magic: string; readonly version: string };
    readonly secrets_providers?: { readonly type: string; readonly state?: unknown };
    readonly resources?: CheckpointResource[];
    readonly pending_operations?: CheckpointOperation[];
  };
}

/** What the harness keeps of an imported document. */
export interface ImportedState {
  readonly provider?: ResourceState;
  readonly resources: ResourceState[];
  readonly pendingOperations: PendingOperation[];
}

/** The version written into the manifest: the SDK the harness drives stands in for the CLI's. */
const manifestVersion = `${(require("@pulumi/pulumi/package.json") as { version: string }).version}`;

export function exportDeployment(
  resources: readonly ResourceState[],
  pendingOperations: readonly PendingOperation[],
  options: { showSecrets: boolean },
): DeploymentDocument {
  const encode = (value: PropertyValue): unknown => encodeValue(value, options.showSecrets);
  return {
    version: deploymentSchemaVersion,
    deployment: {
      manifest: {
        time: new Date().toISOString(),
        magic: createHash("sha256").update(manifestVersion).digest("hex"),
        version: manifestVersion,
      },
      ...(options.showSecrets ? {} : { secrets_providers: { type: "harness" } }),
      ...(resources.length ? { resources: resources.map((r) => serializeResource(r, encode)) } : {}),
      ...(pendingOperations.length
        ? {
            pending_operations: pendingOperations.map((op) => ({
              resource: serializeResource(op.resource, encode),
              type: op.type,
            })),
          }
        : {}),
    },
  };
}

export function importDeployment(document: DeploymentDocument): ImportedState {
  if (document.version !== deploymentSchemaVersion && document.version !== 4) {
    throw new Error(`unsupported deployment version ${document.version} (the harness reads 3 and 4)`);
  }
  const resources = (document.deployment.resources ?? []).map(deserializeResource);
  return {
    ...splitDefaultProvider(resources),
    pendingOperations: (document.deployment.pending_operations ?? []).map((op) => ({
      resource: deserializeResource(op.resource),
      type: op.type,
    })),
  };
}

/** Takes the default provider resource out of a resource list. */
export function splitDefaultProvider(resources: readonly ResourceState[]): {
  provider?: ResourceState;
  resources: ResourceState[];
} {
  const provider = resources.find(isDefaultProvider);
  return {
    ...(provider ? { provider: cloneResource(provider) } : {}),
    resources: resources.filter((resource) => !isDefaultProvider(resource)).map(cloneResource),
  };
}

function serializeResource(
  resource: ResourceState,
  encode: (value: PropertyValue) => unknown,
): CheckpointResource {
  const timeouts = nonZeroTimeouts(resource.customTimeouts);
  const maybe = <K extends string, V>(key: K, value: V | undefined, keep: boolean) =>
    (keep ? { [key]: value } : {}) as Partial<Record<K, V>>;
  return {
    urn: resource.urn,
    custom: resource.custom,
    ...maybe("delete", true, resource.delete === true),
    ...maybe("id", resource.id, resource.id !== ""),
    type: resource.type,
    ...maybe("inputs", encode(resource.inputs) as Record<string, unknown>, hasKeys(resource.inputs)),
    ...maybe("outputs", encode(resource.outputs) as Record<string, unknown>, hasKeys(resource.outputs)),
    ...maybe("parent", resource.parent, resource.parent !== undefined),
    ...maybe("protect", true, resource.protect === true),
    ...maybe("dependencies", [...resource.dependencies], resource.dependencies.length > 0),
    ...maybe("initErrors", [...(resource.initErrors ?? [])], (resource.initErrors ?? []).length > 0),
    ...maybe("provider", resource.provider, resource.provider !== undefined),
    ...maybe(
      "propertyDependencies",
      resource.propertyDependencies,
      hasKeys(resource.propertyDependencies ?? {}),
    ),
    ...maybe("pendingReplacement", true, resource.pendingReplacement === true),
    ...maybe(
      "additionalSecretOutputs",
      [...(resource.additionalSecretOutputs ?? [])],
      (resource.additionalSecretOutputs ?? []).length > 0,
    ),
    ...maybe("customTimeouts", timeouts, timeouts !== undefined),
    ...maybe("retainOnDelete", true, resource.retainOnDelete === true),
  };
}

function deserializeResource(resource: CheckpointResource): ResourceState {
  return {
    urn: resource.urn,
    type: resource.type,
    custom: resource.custom,
    id: resource.id ?? "",
    ...(resource.parent ? { parent: resource.parent } : {}),
    ...(resource.provider ? { provider: resource.provider } : {}),
    inputs: decodeValue(resource.inputs ?? {}) as PropertyMap,
    outputs: decodeValue(resource.outputs ?? {}) as PropertyMap,
    dependencies: [...(resource.dependencies ?? [])],
    ...(resource.propertyDependencies ? { propertyDependencies: { ...resource.propertyDependencies } } : {}),
    ...(resource.initErrors?.length ? { initErrors: [...resource.initErrors] } : {}),
    ...(resource.additionalSecretOutputs?.length
      ? { additionalSecretOutputs: [...resource.additionalSecretOutputs] }
      : {}),
    ...(resource.customTimeouts ? { customTimeouts: { ...resource.customTimeouts } } : {}),
    ...(resource.protect ? { protect: true } : {}),
    ...(resource.retainOnDelete ? { retainOnDelete: true } : {}),
    ...(resource.delete ? { delete: true } : {}),
    ...(resource.pendingReplacement ? { pendingReplacement: true } : {}),
  };
}

function encodeValue(value: PropertyValue, showSecrets: boolean): unknown {
  if (isSecret(value)) {
    const json = JSON.stringify(value.value);
    return showSecrets
      ? { [specialSignatureKey]: secretSignature, plaintext: json }
      : { [specialSignatureKey]: secretSignature, ciphertext: encryptSecret(json) };
  }
  if (Array.isArray(value)) return value.map((element) => encodeValue(element, showSecrets));
  if (isPropertyMap(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v, showSecrets)]));
  }
  return value;
}

function decodeValue(value: unknown): PropertyValue {
  if (Array.isArray(value)) return value.map(decodeValue);
  if (isPropertyMap(value)) {
    if (value[specialSignatureKey] === secretSignature) {
      const { plaintext, ciphertext } = value as { plaintext?: unknown; ciphertext?: unknown };
      // `DeserializePropertyValue`: exactly one of the two.
      if ((typeof plaintext === "string") === (typeof ciphertext === "string")) {
        throw new Error(
          "malformed secret value: exactly one of `ciphertext` or `plaintext` must be supplied",
        );
      }
      const json = typeof plaintext === "string" ? plaintext : decryptSecret(ciphertext as string);
      return secret(decodeValue(JSON.parse(json)));
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeValue(v)]));
  }
  return value as PropertyValue;
}

function nonZeroTimeouts(timeouts: CustomTimeouts | undefined): CustomTimeouts | undefined {
  if (!timeouts) return undefined;
  const kept = Object.fromEntries(Object.entries(timeouts).filter(([, seconds]) => seconds));
  return Object.keys(kept).length ? (kept as CustomTimeouts) : undefined;
}

function hasKeys(map: object): boolean {
  return Object.keys(map).length > 0;
}
