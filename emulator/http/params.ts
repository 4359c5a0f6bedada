import { isPlainObject, type JsonObject } from "./rubyish";

/**
 * Request parameter parsing with Rack's conventions: `a[]=1&a[]=2` is an array, `a[b]=1` a nested
 * hash. Chatwoot's clients send `labels[]=x` in query strings, and Rails merges query, body and path
 * parameters into one `params` hash; the emulator does the same.
 */

const MAX_NESTING = 32;

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

function splitKey(key: string): string[] {
  const bracket = key.indexOf("[");
  if (bracket <= 0) return [key];
  const parts = [key.slice(0, bracket)];
  const rest = key.slice(bracket);
  const pattern = /\[([^\]]*)\]/g;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = pattern.exec(rest)) !== null && parts.length < MAX_NESTING) {
    if (match.index !== consumed) break;
    parts.push(match[1] ?? "");
    consumed = match.index + match[0].length;
  }
  return parts;
}

function assignNested(target: JsonObject, path: string[], value: string | null): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const [next, ...tail] = rest;
  if (next === "") {
    const list = Array.isArray(target[head]) ? (target[head] as unknown[]) : [];
    target[head] = list;
    if (tail.length === 0) {
      list.push(value);
      return;
    }
    // Rack appends to the last hash unless it already holds the key being set.
    const last = list[list.length - 1];
    const childKey = tail[0] ?? "";
    if (isPlainObject(last) && !(childKey in last)) {
      assignNested(last, tail, value);
    } else {
      const fresh: JsonObject = {};
      list.push(fresh);
      assignNested(fresh, tail, value);
    }
    return;
  }
  const child = isPlainObject(target[head]) ? (target[head] as JsonObject) : {};
  target[head] = child;
  assignNested(child, rest, value);
}

/** Parses `application/x-www-form-urlencoded` text (query strings and form bodies). */
export function parseNestedQuery(text: string): JsonObject {
  const result: JsonObject = {};
  if (text === "") return result;
  for (const pair of text.split(/[&;]/)) {
    if (pair === "") continue;
    const equals = pair.indexOf("=");
    const rawKey = equals === -1 ? pair : pair.slice(0, equals);
    const value = equals === -1 ? null : decodeComponent(pair.slice(equals + 1));
    const key = decodeComponent(rawKey);
    if (key === "") continue;
    assignNested(result, splitKey(key), value);
  }
  return result;
}

export type BodyParseResult = { ok: true; params: JsonObject; isJson: boolean } | { ok: false };

/**
 * Parses a request body the way Rails' parameter parsers do: JSON bodies must be valid JSON (a
 * non-object JSON value lands under `_json`), form bodies use Rack's nesting, other content types
 * contribute no parameters.
 */
export function parseBody(contentType: string | undefined, raw: string): BodyParseResult {
  const mime = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (mime === "application/json" || mime.endsWith("+json")) {
    if (raw.trim() === "") return { ok: true, params: {}, isJson: true };
    try {
      const parsed: unknown = JSON.parse(raw);
      return { ok: true, params: isPlainObject(parsed) ? parsed : { _json: parsed }, isJson: true };
    } catch {
      return { ok: false };
    }
  }
  if (mime === "application/x-www-form-urlencoded") {
    return { ok: true, params: parseNestedQuery(raw), isJson: false };
  }
  return { ok: true, params: {}, isJson: false };
}

/**
 * `multipart/form-data` bodies (Chatwoot's avatar and attachment uploads): text fields become
 * parameters with Rack's nesting; uploaded files are kept only as a `"<file name>"` marker, since
 * the emulator stores no files.
 */
export async function parseMultipartBody(contentType: string, raw: Buffer): Promise<BodyParseResult> {
  try {
    const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
    const pairs: string[] = [];
    form.forEach((value, name) => {
      const text = typeof value === "string" ? value : `<${value.name}>`;
      pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(text)}`);
    });
    return { ok: true, params: parseNestedQuery(pairs.join("&")), isJson: false };
  } catch {
    return { ok: false };
  }
}
