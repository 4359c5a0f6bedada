/**
 * Property values as the Pulumi engine and the dynamic-provider host exchange them: plain JSON inside a
 * `google.protobuf.Struct`, where two sentinels carry what JSON cannot (`sdk/nodejs/runtime/rpc.ts`, `sdk/go/common/resource/plugin/rpc.go`).
 *
 * - An unknown value (preview only) is the string {@link unknown}.
 * - A secret is the object `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`.
 *
 * The helpers mirror the engine's own rules (`sdk/go/common/resource/plugin/provider_plugin.go`
 * `annotateSecrets`, `removeSecrets`; `MarshalProperties` with `KeepUnknowns: false`).
 */

/** A JSON value as carried by `google.protobuf.Value`. */
export type PropertyValue = null | boolean | number | string | PropertyValue[] | PropertyMap;

/** A JSON object as carried by `google.protobuf.Struct`: resource inputs, outputs, config. */
export interface PropertyMap {
  [key: string]: PropertyValue;
}

/** The wire form of an unknown (computed) value, sent to Check and Diff during preview only. */
export const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The key that marks an object as a special value; its value says which kind. */
export const specialSignatureKey = "4dabf18193072939515e22adb298388d";

/** The signature of a secret value. */
export const secretSignature = "1b47061264138c4ac30d75fd1eb44270";

/** A secret value in wire form. */
export interface SecretValue extends PropertyMap {
  [specialSignatureKey]: typeof secretSignature;
  value: PropertyValue;
}

/** Wraps a value as a secret, as `pulumi.secret()` serializes it. */
export function secret(value: PropertyValue): SecretValue {
  return { [specialSignatureKey]: secretSignature, value };
}

export function isSecret(value: unknown): value is SecretValue {
  return isPropertyMap(value) && value[specialSignatureKey] === secretSignature;
}

export function isUnknown(value: unknown): boolean {
  return value === unknown;
}

export function isPropertyMap(value: unknown): value is PropertyMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value inside a secret wrapper (and inside nested wrappers), or the value itself. */
export function unwrapSecret(value: PropertyValue): PropertyValue {
  return isSecret(value) ? unwrapSecret(value.value) : value;
}

/** Whether a secret wrapper occurs anywhere inside the value (the engine's `ContainsSecrets`). */
export function containsSecrets(value: PropertyValue): boolean {
  if (isSecret(value)) return true;
  if (Array.isArray(value)) return value.some(containsSecrets);
  if (isPropertyMap(value)) return Object.values(value).some(containsSecrets);
  return false;
}

/** Whether the unknown sentinel occurs anywhere inside the value (the engine's `ContainsUnknowns`). */
export function containsUnknowns(value: PropertyValue): boolean {
  if (value === unknown) return true;
  if (Array.isArray(value)) return value.some(containsUnknowns);
  if (isPropertyMap(value)) return Object.values(value).some(containsUnknowns);
  return false;
}

/**
 * Replaces every secret wrapper, at any depth, by the value it wraps. This is what the engine sends to a
 * provider that answered `acceptSecrets: false` to Configure, as the dynamic-provider host does.
 */
export function stripSecrets<T extends PropertyValue>(value: T): T;
export function stripSecrets(value: PropertyValue): PropertyValue {
  if (isSecret(value)) return stripSecrets(value.value);
  if (Array.isArray(value)) return value.map((element) => stripSecrets(element));
  if (isPropertyMap(value)) return mapValues(value, (element) => stripSecrets(element));
  return value;
}

/**
 * Drops unknown values from objects and arrays, as the engine's marshalling does outside preview
 * (`KeepUnknowns: false`): the provider never sees the sentinel in a real update.
 */
export function dropUnknowns<T extends PropertyValue>(value: T): T;
export function dropUnknowns(value: PropertyValue): PropertyValue {
  if (Array.isArray(value)) return value.filter((element) => element !== unknown).map(dropUnknowns);
  if (isPropertyMap(value)) {
    const result: PropertyMap = {};
    for (const [key, element] of Object.entries(value)) {
      if (element !== unknown) result[key] = dropUnknowns(element);
    }
    return result;
  }
  return value;
}

/**
 * Re-marks provider outputs as secret where the same-named input was secret, because a provider that does
 * not accept secrets loses that marking (`provider_plugin.go annotateSecrets`):
 * - for each input key that also exists in the outputs: if both values are plain objects, recurse;
 * - otherwise, if the input value contains a secret anywhere, the whole output value becomes secret
 *   (so an array with one secret element becomes a wholly secret array).
 *
 * `inputs` is either the input map (with its secret wrappers) or, for convenience, a list of top-level
 * input keys that were secret. Returns a new map; `outputs` is not modified.
 */
export function annotateSecrets(outputs: PropertyMap, inputs: PropertyMap | readonly string[]): PropertyMap {
  const inputMap = Array.isArray(inputs) ? secretMarkers(inputs) : (inputs as PropertyMap);
  const result: PropertyMap = { ...outputs };
  for (const [key, inputValue] of Object.entries(inputMap)) {
    if (!(key in result)) continue;
    const outputValue = result[key] as PropertyValue;
    if (isPlainObject(outputValue) && isPlainObject(inputValue)) {
      result[key] = annotateSecrets(outputValue, inputValue);
    } else if (!isSecret(outputValue) && containsSecrets(inputValue)) {
      result[key] = secret(outputValue);
    }
  }
  return result;
}

/**
 * Marks top-level outputs secret the way the engine's step executor does after every step
 * (`step_executor.go continueExecuteStep`): keys listed in `additionalSecretOutputs`, and keys whose
 * same-named top-level input is a secret.
 */
export function markSecretOutputs(
  outputs: PropertyMap,
  inputs: PropertyMap,
  additionalSecretOutputs: readonly string[] = [],
): PropertyMap {
  const result: PropertyMap = { ...outputs };
  for (const key of additionalSecretOutputs) {
    const value = result[key];
    if (key !== "id" && value !== undefined && !isSecret(value)) result[key] = secret(value);
  }
  for (const [key, value] of Object.entries(result)) {
    if (!isSecret(value) && isSecret(inputs[key])) result[key] = secret(value);
  }
  return result;
}

/** Deep equality of two property values (JSON semantics; object key order is irrelevant). */
export function propertyValuesEqual(
  left: PropertyValue | undefined,
  right: PropertyValue | undefined,
): boolean {
  if (left === right) return true;
  if (Array.isArray(left) && Array.isArray(right)) {
    return (
      left.length === right.length &&
      left.every((element, index) => propertyValuesEqual(element, right[index]))
    );
  }
  if (isPropertyMap(left) && isPropertyMap(right)) {
    const leftKeys = Object.keys(left);
    if (leftKeys.length !== Object.keys(right).length) return false;
    return leftKeys.every((key) => key in right && propertyValuesEqual(left[key], right[key]));
  }
  return false;
}

/** A deep copy, so that state kept by the harness cannot be changed through a caller's reference. */
export function clonePropertyMap(map: PropertyMap): PropertyMap {
  return JSON.parse(JSON.stringify(map)) as PropertyMap;
}

function isPlainObject(value: PropertyValue): value is PropertyMap {
  return isPropertyMap(value) && !isSecret(value);
}

function secretMarkers(keys: readonly string[]): PropertyMap {
  return Object.fromEntries(keys.map((key) => [key, secret(true)]));
}

function mapValues(map: PropertyMap, transform: (value: PropertyValue) => PropertyValue): PropertyMap {
  const result: PropertyMap = {};
  for (const [key, value] of Object.entries(map)) result[key] = transform(value);
  return result;
}
