import type { z } from "zod";
import { containsUnknown } from "./unknown";

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

/** Properties the engine and the host add to every dynamic resource's inputs. */
const ENGINE_PROPERTIES: ReadonlySet<string> = new Set(["__provider"]);

/**
 * Validates each input field with its own schema. Fields that hold a not-yet-known preview value
 * are passed through unchecked (they are checked again once known), unknown property names are
 * refused, and every failure names the field and the rule it broke.
 */
export function checkFields<Shape extends Record<string, z.ZodType>>(
  resource: string,
  news: Record<string, unknown>,
  shape: Shape,
): { inputs: Record<string, unknown>; failures: CheckFailure[] } {
  const inputs: Record<string, unknown> = {};
  const failures: CheckFailure[] = [];
  for (const [property, value] of Object.entries(news)) {
    if (ENGINE_PROPERTIES.has(property)) continue;
    const schema = shape[property];
    if (schema === undefined) {
      failures.push({
        property,
        reason: `[${property}] is not a property of ${resource}; expected one of ${Object.keys(shape).join(", ")}`,
      });
      continue;
    }
    if (value === undefined || value === null) continue;
    if (containsUnknown(value)) {
      inputs[property] = value;
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) {
      if (parsed.data !== undefined) inputs[property] = parsed.data;
    } else {
      for (const issue of parsed.error.issues) {
        const path = [property, ...issue.path.map(String)].join(".");
        failures.push({ property, reason: `[${path}] ${issue.message}` });
      }
    }
  }
  return { inputs, failures };
}
