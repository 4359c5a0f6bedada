/**
 * Small engine rules, each from the source file named on it.
 */
import type { CheckFailure } from "./host";
import { parseUrn } from "./urn";
import {
  isSecret,
  propertyValuesEqual,
  unwrapSecret,
  unknown,
  type PropertyMap,
  type PropertyValue,
} from "./wire";

/**
 * The keys whose values differ between old and new inputs, secrets unwrapped: what the engine uses when
 * the provider answers DIFF_UNKNOWN (`step_generator.go diffResource`, `unwrapResourceSecretsAndOutputs`).
 * An unknown new value always counts as a change.
 */
export function changedInputKeys(oldInputs: PropertyMap, newInputs: PropertyMap): string[] {
  const keys = new Set([...Object.keys(oldInputs), ...Object.keys(newInputs)]);
  return [...keys].filter((key) => {
    const before = oldInputs[key];
    const after = newInputs[key];
    if (after === unknown) return true;
    return !propertyValuesEqual(deepUnwrap(before), deepUnwrap(after));
  });
}

function deepUnwrap(value: PropertyValue | undefined): PropertyValue | undefined {
  if (value === undefined) return undefined;
  const plain = unwrapSecret(value);
  if (Array.isArray(plain)) return plain.map((element) => deepUnwrap(element) as PropertyValue);
  if (typeof plain === "object" && plain !== null) {
    return Object.fromEntries(
      Object.entries(plain).map(([key, element]) => [key, deepUnwrap(element) as PropertyValue]),
    );
  }
  return plain;
}

/**
 * A check failure as the CLI prints it (`step_generator.go issueCheckFailures`, `diag/errors.go` codes
 * 2002/2003). The value rendering approximates Go's `PropertyValue.String()`; secrets show as `[secret]`.
 */
export function checkFailureMessage(urn: string, programInputs: PropertyMap, failure: CheckFailure): string {
  const { type, name } = parseUrn(urn);
  if (!failure.property) return `${type} resource '${name}' has a problem: ${failure.reason}`;
  const value = programInputs[failure.property];
  return `${type} resource '${name}': property ${failure.property} value {${renderValue(value)}} has a problem: ${failure.reason}`;
}

function renderValue(value: PropertyValue | undefined): string {
  if (value === undefined) return "<nil>";
  if (isSecret(value)) return "[secret]";
  if (value === unknown) return "output<unknown>";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Resets ignored properties to their old values before Check (`step_generator.go processIgnoreChanges`).
 * Only top-level keys are supported here; the engine also accepts nested property paths.
 */
export function applyIgnoreChanges(
  inputs: PropertyMap,
  oldInputs: PropertyMap,
  ignoreChanges: readonly string[],
): PropertyMap {
  const result: PropertyMap = { ...inputs };
  for (const key of ignoreChanges) {
    if (/[.[\]"]/.test(key))
      throw new Error(`ignoreChanges path "${key}": the harness supports top-level keys only`);
    const old = oldInputs[key];
    if (old === undefined) delete result[key];
    else result[key] = old;
  }
  return result;
}

/**
 * Go duration text (`"30s"`, `"5m"`, `"1h30m"`) to seconds, as the engine converts `customTimeouts`
 * before sending them to the provider (`resource_options.go`, `time.ParseDuration`).
 */
export function durationToSeconds(text: string | undefined): number {
  if (!text) return 0;
  const units: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const pattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let seconds = 0;
  let consumed = 0;
  for (const match of text.matchAll(pattern)) {
    seconds += Number(match[1]) * (units[match[2] as string] as number);
    consumed += match[0].length;
  }
  if (consumed !== text.length)
    throw new Error(`invalid duration "${text}" (expected Go duration text like "5m")`);
  return seconds;
}

/** `deleteProtectedError.Error()` in `step.go`. */
export function deleteProtectedMessage(urn: string): string {
  return (
    `resource "${urn}" cannot be deleted\nbecause it is protected. To unprotect the resource, either remove ` +
    "the `protect` flag from the resource in your Pulumi program and run `pulumi up`, or use the command:\n" +
    `\`pulumi state unprotect '${urn}'\``
  );
}

/** The error for replacing a protected resource (`step_generator.go continueStepsFromDiff`). */
export function replaceProtectedMessage(urn: string): string {
  return (
    `unable to replace resource "${urn}"\nas it is currently marked for protection. To unprotect the resource, ` +
    "remove the `protect` flag from the resource in your Pulumi program and run `pulumi up`"
  );
}

/**
 * The error for a protected dependent that a delete-before-replace would have to delete
 * (`step_generator.go continueStepsFromDiff`, reported against the resource being replaced).
 */
export function replaceProtectedDependentMessage(dependentUrn: string, urn: string): string {
  return (
    `unable to replace resource "${dependentUrn}" as part of replacing "${urn}" as it is currently marked ` +
    "for protection. To unprotect the resource, remove the `protect` flag from the resource in your Pulumi " +
    `program and run \`pulumi up\`, or use the command:\n\`pulumi state unprotect '${dependentUrn}'\``
  );
}

/**
 * The warning of an update that starts from a checkpoint with pending operations
 * (`deployment_executor.go printPendingOperationsWarning`), word for word.
 */
export function pendingOperationsWarning(
  operations: readonly { readonly resource: { readonly urn: string }; readonly type: string }[],
): string {
  const listed = operations
    .map((operation) => `  * ${operation.resource.urn}, interrupted while ${operation.type}\n`)
    .join("");
  return (
    "Attempting to deploy or update resources " +
    `with ${operations.length} pending operations from previous deployment.\n` +
    listed +
    "These resources are in an unknown state because the Pulumi CLI was interrupted while " +
    "waiting for changes to these resources to complete. You should confirm whether or not the " +
    "operations listed completed successfully by checking the state of the appropriate provider. " +
    "For example, if you are using AWS, you can confirm using the AWS Console.\n" +
    "\n" +
    "Once you have confirmed the status of the interrupted operations, you can repair your stack " +
    "using `pulumi refresh` which will refresh the state from the provider you are using and " +
    "clear the pending operations if there are any.\n" +
    "\n" +
    "Note that `pulumi refresh` will need to be run interactively to clear pending CREATE operations."
  );
}
