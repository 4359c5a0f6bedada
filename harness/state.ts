/**
 * The stack state the harness keeps between operations: an ordered list of resource states, like the
 * `resources` of a checkpoint (`pkg/resource/deploy/snapshot.go`), with the fields the engine rules use.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "crypto";
import { clonePropertyMap, isPropertyMap, isSecret, specialSignatureKey, secretSignature } from "./wire";
import type { PropertyMap, PropertyValue } from "./wire";

export interface CustomTimeouts {
  /** Seconds, as the engine passes them to the provider (0 = none). */
  readonly create?: number;
  readonly update?: number;
  readonly delete?: number;
  readonly read?: number;
}

export interface ResourceState {
  readonly urn: string;
  readonly type: string;
  /** False for component resources and the stack: they have no provider and no id. */
  readonly custom: boolean;
  /** Empty for components, and for creations in a preview. */
  id: string;
  readonly parent?: string;
  /**
   * Custom resources: the provider reference `<provider urn>::<provider id>` (the default provider's,
   * see `defaultProvider.ts`).
   */
  provider?: string;
  /** The checked inputs, with secret wrappers where the inputs were secret. */
  inputs: PropertyMap;
  /** The provider's outputs (always including `__provider` for dynamic resources), secrets re-marked. */
  outputs: PropertyMap;
  dependencies: string[];
  propertyDependencies?: Record<string, string[]>;
  /** Reasons from a partially failed create/update; the next update must update the resource. */
  initErrors?: string[];
  readonly additionalSecretOutputs?: readonly string[];
  readonly customTimeouts?: CustomTimeouts;
  readonly protect?: boolean;
  readonly retainOnDelete?: boolean;
  /** The old half of a create-before-delete replacement whose delete has not happened yet. */
  delete?: boolean;
  /** Deleted by a delete-before-replace whose replacement has not been created yet. */
  pendingReplacement?: boolean;
}

export function cloneResource(resource: ResourceState): ResourceState {
  return JSON.parse(JSON.stringify(resource)) as ResourceState;
}

/** Every URN the resource depends on: parent, explicit and property dependencies (`GetAllDependencies`). */
export function allDependencies(resource: ResourceState): string[] {
  const urns = new Set<string>(resource.dependencies);
  if (resource.parent) urns.add(resource.parent);
  for (const list of Object.values(resource.propertyDependencies ?? {}))
    for (const urn of list) urns.add(urn);
  return [...urns];
}

/**
 * Orders deletions like `step_generator.go ScheduleDeletes`: antichains of resources that do not depend
 * on each other, dependents before their dependencies. Each antichain may run in parallel; an antichain
 * starts only when the previous one has finished.
 */
export function scheduleDeletes<T extends ResourceState>(condemned: readonly T[]): T[][] {
  const remaining = new Set(condemned);
  const byUrn = new Map<string, T[]>();
  for (const resource of condemned) byUrn.set(resource.urn, [...(byUrn.get(resource.urn) ?? []), resource]);
  const antichains: T[][] = [];
  while (remaining.size > 0) {
    // Resources none of whose dependencies are still condemned can go in this round (then reverse).
    const round = [...remaining].filter((resource) =>
      allDependencies(resource).every(
        (urn) => !(byUrn.get(urn) ?? []).some((dep) => dep !== resource && remaining.has(dep)),
      ),
    );
    if (round.length === 0) throw new Error("dependency cycle among resources to delete");
    for (const resource of round) remaining.delete(resource);
    antichains.push(round);
  }
  return antichains.reverse();
}

/**
 * After a refresh deleted resources, drops references to them from the remaining ones, re-parenting
 * to the nearest surviving ancestor (`engine.FilterRefreshDeletes`, `rebuildBaseState`).
 */
export function dropDanglingReferences(resources: ResourceState[]): ResourceState[] {
  const present = new Set<string>();
  const parentOf = new Map<string, string | undefined>();
  return resources.map((resource) => {
    let parent = resource.parent;
    while (parent !== undefined && !present.has(parent)) parent = parentOf.get(parent);
    parentOf.set(resource.urn, parent);
    present.add(resource.urn);
    const keep = (urn: string): boolean => present.has(urn) && urn !== resource.urn;
    const propertyDependencies = resource.propertyDependencies
      ? Object.fromEntries(
          Object.entries(resource.propertyDependencies).map(([key, urns]) => [key, urns.filter(keep)]),
        )
      : undefined;
    const { parent: _oldParent, propertyDependencies: _oldPropertyDependencies, ...rest } = resource;
    return {
      ...rest,
      ...(parent !== undefined ? { parent } : {}),
      dependencies: resource.dependencies.filter(keep),
      ...(propertyDependencies ? { propertyDependencies } : {}),
    };
  });
}

/**
 * Serializes the state the way a checkpoint stores it: secret values encrypted (here with a key that
 * lives only in this process), so a plaintext search of the JSON finds exactly what a real, encrypted
 * state file would expose. `showSecrets` keeps plaintext, like `pulumi stack export --show-secrets`.
 */
export function serializeState(resources: readonly ResourceState[], showSecrets = false): string {
  if (showSecrets) return JSON.stringify(resources, null, 2);
  const redact = (value: PropertyValue): PropertyValue => {
    if (isSecret(value)) {
      return {
        [specialSignatureKey]: secretSignature,
        ciphertext: encryptSecret(JSON.stringify(value.value)),
      };
    }
    if (Array.isArray(value)) return value.map(redact);
    if (isPropertyMap(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)]));
    return value;
  };
  return JSON.stringify(
    resources.map((resource) => ({
      ...resource,
      inputs: redact(clonePropertyMap(resource.inputs)),
      outputs: redact(clonePropertyMap(resource.outputs)),
    })),
    null,
    2,
  );
}

const stateKey = randomBytes(32);

/** Encrypts a secret's JSON under this process's key (AES-256-GCM; a new nonce each time). */
export function encryptSecret(plaintext: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", stateKey, nonce);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1:${nonce.toString("base64")}:${body.toString("base64")}`;
}

/** Decrypts what {@link encryptSecret} wrote in this process; anything else is an error. */
export function decryptSecret(ciphertext: string): string {
  const [version, nonceText, bodyText] = ciphertext.split(":");
  if (version !== "v1" || !nonceText || !bodyText) throw new Error("malformed secret ciphertext");
  const body = Buffer.from(bodyText, "base64");
  try {
    const decipher = createDecipheriv("aes-256-gcm", stateKey, Buffer.from(nonceText, "base64"));
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new Error(
      "cannot decrypt a secret: this document was exported by another process; export it with showSecrets",
    );
  }
}
