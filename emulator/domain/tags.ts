import { isPlainObject } from "../http/rubyish";

/**
 * acts-as-taggable-on's `label_list=` parsing: the values are joined with commas and split again,
 * stripped, blanks dropped and duplicates removed case-insensitively (first spelling wins).
 */
export function parseTagList(value: unknown): string[] {
  let joined: string;
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    joined = value
      .filter((item) => !isPlainObject(item) && !Array.isArray(item))
      .map((item) => (item === null || item === undefined ? "" : String(item)))
      .join(",");
  } else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    joined = String(value);
  } else {
    return [];
  }
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const part of joined.split(",")) {
    const tag = part.trim();
    if (tag === "") continue;
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags;
}

/** `tagged_with(names, any: true)`: tag names match case-insensitively. */
export function hasAnyTag(tags: readonly string[], wanted: readonly string[]): boolean {
  if (wanted.length === 0) return false;
  const lowered = new Set(wanted.map((tag) => tag.toLowerCase()));
  return tags.some((tag) => lowered.has(tag.toLowerCase()));
}

/** Tags in `after` missing from `before`, compared the way TagList arrays compare (exact strings). */
export function addedTags(before: readonly string[], after: readonly string[]): string[] {
  return after.filter((tag) => !before.includes(tag));
}
