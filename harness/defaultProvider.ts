/**
 * The default provider resource of the Node.js dynamic provider, as the engine records it.
 *
 * - A dynamic resource names no provider, so the engine registers a default one for its package
 *   (`default_providers.go newRegisterDefaultProviderEvent`): type `pulumi:providers:pulumi-nodejs`,
 *   name `default` (no version: the dynamic resource requests none), no parent, and as inputs the
 *   package config from `target.go GetPackageConfig`, which for a dynamic provider is the ENTIRE stack
 *   config with its namespaced keys, each secret config value kept secret (`WithSecret(c.Secure())`).
 * - Its steps are internal: they are left out of the summary (`update.go isInternalStep`).
 * - The provider registry creates it with a fresh UUID id and outputs equal to its inputs
 *   (`providers/registry.go Create`), and keeps that id across updates (`Update`). DiffConfig is not
 *   implemented by the dynamic-provider host, so any difference between the stored outputs and the new
 *   inputs (secretness included: `PropertyValue.DeepEquals`) is an update, never a replacement
 *   (`registry.go Diff`).
 * - Every custom resource refers to it as `<urn>::<id>` (`providers.Reference`), and any command that
 *   does not run the program (`refresh`, `destroy`, the refresh half of `up --refresh`) loads it from
 *   these stored inputs (`deployment.go EnsureProvider` → `registry.go Same`).
 */
import { randomUUID } from "crypto";
import type { ResourceState } from "./state";
import { isSecret, propertyValuesEqual, secret, unwrapSecret, type PropertyMap } from "./wire";

export const defaultProviderType = "pulumi:providers:pulumi-nodejs";

export function defaultProviderUrn(stack: string, project: string): string {
  return `urn:pulumi:${stack}::${project}::${defaultProviderType}::default`;
}

/** `providers.Reference.String()`: the URN, `::`, the id. */
export function providerReference(provider: Pick<ResourceState, "urn" | "id">): string {
  return `${provider.urn}::${provider.id}`;
}

export function isDefaultProvider(resource: Pick<ResourceState, "type">): boolean {
  return resource.type === defaultProviderType;
}

/** Stack config, as `pulumi config` holds it: namespaced keys, and which of them are secret. */
export interface StackConfig {
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
}

/** `GetPackageConfig` for a dynamic provider: every key, namespaced, secrets wrapped. */
export function providerInputs(stackConfig: StackConfig): PropertyMap {
  const inputs: PropertyMap = {};
  for (const [key, value] of Object.entries(stackConfig.config))
    inputs[key] = stackConfig.secretKeys.includes(key) ? secret(value) : value;
  return inputs;
}

/** The stack config a stored default provider was configured with (what `Configure` gets again). */
export function configFromProviderInputs(inputs: PropertyMap): StackConfig {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(inputs)) {
    if (isSecret(value)) secretKeys.push(key);
    const plain = unwrapSecret(value);
    config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
  }
  return { config, secretKeys };
}

/** The registry's Diff for a dynamic provider: DIFF_UNKNOWN, so old outputs against new inputs. */
export function providerConfigChanged(stored: ResourceState, inputs: PropertyMap): boolean {
  return !propertyValuesEqual(stored.outputs, inputs);
}

/** The provider's state after a create (fresh id) or an update (same id). */
export function providerState(
  stack: string,
  project: string,
  inputs: PropertyMap,
  previous?: ResourceState,
): ResourceState {
  return {
    urn: defaultProviderUrn(stack, project),
    type: defaultProviderType,
    custom: true,
    id: previous?.id ?? randomUUID(),
    inputs: JSON.parse(JSON.stringify(inputs)) as PropertyMap,
    outputs: JSON.parse(JSON.stringify(inputs)) as PropertyMap,
    dependencies: [],
  };
}
