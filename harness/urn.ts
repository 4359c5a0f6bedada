/**
 * Resource URNs: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the qualified type is
 * the parent's qualified type, `$`, then the type — except under the root stack, whose type is left out
 * (`sdk/go/common/resource/urn.go NewURN`, `step_generator.go generateURN`).
 */

export const rootStackType = "pulumi:pulumi:Stack";

export interface UrnParts {
  readonly stack: string;
  readonly project: string;
  /** Parent types and the type, joined by `$`. */
  readonly qualifiedType: string;
  /** The resource's own type: the last segment of the qualified type. */
  readonly type: string;
  readonly name: string;
}

export function makeUrn(
  stack: string,
  project: string,
  type: string,
  name: string,
  parentUrn?: string,
): string {
  let qualifiedType = type;
  if (parentUrn) {
    const parent = parseUrn(parentUrn);
    if (parent.qualifiedType !== rootStackType) qualifiedType = `${parent.qualifiedType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

export function parseUrn(urn: string): UrnParts {
  const prefix = "urn:pulumi:";
  const parts = urn.startsWith(prefix) ? urn.slice(prefix.length).split("::") : [];
  if (parts.length < 4) throw new Error(`not a Pulumi URN: ${urn}`);
  const [stack, project, qualifiedType] = parts as [string, string, string];
  // A name may itself contain "::", so it is everything after the type.
  const name = parts.slice(3).join("::");
  const typeSegments = qualifiedType.split("$");
  return { stack, project, qualifiedType, type: typeSegments[typeSegments.length - 1] as string, name };
}

/** Whether a type token belongs to the Node.js dynamic provider (`pulumi-nodejs:dynamic:Resource`, …). */
export function isNodejsDynamicType(type: string): boolean {
  return type.startsWith("pulumi-nodejs:dynamic");
}
