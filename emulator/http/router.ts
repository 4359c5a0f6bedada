import type { RequestContext } from "../context";
import type { Reply } from "./reply";

export type Handler = (ctx: RequestContext) => Reply;

interface Route {
  method: string;
  segments: string[];
  handler: Handler;
}

export type RouteMatch = { handler: Handler; pathParams: Record<string, string> };

/**
 * Normalises a request path the way Rails routing sees it: a trailing slash is ignored and a `.json`
 * format suffix is dropped (`/contacts/1.json` is `/contacts/1`).
 */
export function normalisePath(pathname: string): string {
  let path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  if (path === "") path = "/";
  return path.endsWith(".json") ? path.slice(0, -".json".length) : path;
}

function splitSegments(path: string): string[] {
  return path.split("/").filter((segment) => segment !== "");
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A minimal method + path-pattern router (`/contacts/:id`). Routes are tried in registration order,
 * so literal paths (`/contacts/search`) must be added before patterns that would also match them.
 */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, segments: splitSegments(pattern), handler });
    return this;
  }

  match(method: string, path: string): RouteMatch | undefined {
    const segments = splitSegments(path);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      const pathParams: Record<string, string> = {};
      let matched = true;
      for (let index = 0; index < segments.length; index += 1) {
        const expected = route.segments[index] ?? "";
        const actual = segments[index] ?? "";
        if (expected.startsWith(":")) pathParams[expected.slice(1)] = decodeSegment(actual);
        else if (expected !== actual) {
          matched = false;
          break;
        }
      }
      if (matched) return { handler: route.handler, pathParams };
    }
    return undefined;
  }
}
