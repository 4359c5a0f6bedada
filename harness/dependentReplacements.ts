/**
 * Which dependents a delete-before-replace must delete first (`pkg/resource/deploy/step_generator.go
 * calculateDependentReplacements`, with `pkg/resource/graph/dependency_graph.go DependingOn`).
 *
 * Deleting a resource before its replacement exists would leave dependents pointing at nothing, so the
 * engine asks each dependent's provider whether losing that value would replace it: it calls Diff with
 * every input whose property dependencies reach a condemned resource set to unknown. The unknown goes
 * to the provider even in a real update (`diffResource(..., allowUnknowns: true, ...)`), and the same
 * walk runs in a preview.
 */
import type { Operation } from "./operation";
import type { ResourceState } from "./state";
import { unknown, type PropertyMap } from "./wire";

/** A dependent the replacement deletes first, with the keys its provider said force the replacement. */
export interface DependentReplace {
  readonly resource: ResourceState;
  readonly keys: readonly string[];
}

/**
 * The previous state's resources that depend on `root` directly or transitively, in state (that is,
 * dependency) order. `DependingOn(root, ignore, includeChildren: false)`: explicit and property
 * dependencies count, a parent does not. (The provider edge, `deletedWith` and `replaceWith` also count
 * in the engine; the harness's resources all share the default provider and have neither option.)
 */
export function dependingOn(
  resources: readonly ResourceState[],
  root: ResourceState,
  ignore: ReadonlySet<string>,
): ResourceState[] {
  const start = resources.indexOf(root);
  if (start < 0) throw new Error(`${root.urn} is not in the previous state`);
  const dependentSet = new Set([root.urn]);
  const dependents: ResourceState[] = [];
  for (const candidate of resources.slice(start + 1)) {
    if (ignore.has(candidate.urn)) continue;
    const edges = [...candidate.dependencies, ...Object.values(candidate.propertyDependencies ?? {}).flat()];
    if (edges.some((urn) => dependentSet.has(urn))) {
      dependents.push(candidate);
      dependentSet.add(candidate.urn);
    }
  }
  return dependents;
}

/**
 * The dependents of `root` whose providers answer "replace" once their inputs from condemned resources
 * are unknown, in dependency order (delete them in reverse). `alreadyGenerated` holds the URNs this
 * deployment has generated steps for: the engine ignores them, since a resource registered before
 * `root` cannot depend on it any more (`impossibleDependents`).
 */
export async function calculateDependentReplacements(
  op: Operation,
  resources: readonly ResourceState[],
  root: ResourceState,
  alreadyGenerated: ReadonlySet<string>,
): Promise<DependentReplace[]> {
  const replaceSet = new Set([root.urn]);
  const toReplace: DependentReplace[] = [];
  for (const dependent of dependingOn(resources, root, alreadyGenerated)) {
    const keys = await replacementKeys(op, dependent, replaceSet);
    if (keys) {
      toReplace.push({ resource: dependent, keys });
      replaceSet.add(dependent.urn);
    }
  }
  return toReplace;
}

/** `requiresReplacement` inside `calculateDependentReplacements`: the replace keys, or undefined. */
async function replacementKeys(
  op: Operation,
  resource: ResourceState,
  replaceSet: ReadonlySet<string>,
): Promise<readonly string[] | undefined> {
  // Components have no provider to ask, and nothing to delete.
  if (!resource.custom) return undefined;
  let dependsOnCondemned = false;
  const inputsForDiff: PropertyMap = {};
  for (const [key, value] of Object.entries(resource.inputs)) {
    const condemned = (resource.propertyDependencies?.[key] ?? []).some((urn) => replaceSet.has(urn));
    dependsOnCondemned ||= condemned;
    inputsForDiff[key] = condemned ? unknown : value;
  }
  // A plain `dependsOn` edge changes no input, so it cannot force a replacement.
  if (!dependsOnCondemned) return undefined;
  // The engine passes the resource's stored ignoreChanges; the harness state does not keep them.
  const diff = await op.provider.diff(
    resource.urn,
    resource.id,
    resource.inputs,
    resource.outputs,
    inputsForDiff,
    true,
    [],
  );
  // `DiffResult.Replace()`: the dynamic host reports replacements only as replace keys. A DIFF_UNKNOWN
  // answer has none, and the engine's own input comparison (`diffResource`) adds none.
  return diff.replaces.length > 0 ? diff.replaces : undefined;
}
