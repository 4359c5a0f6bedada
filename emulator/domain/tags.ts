import { isPlainObject, rubyStrip } from "../http/rubyish";

/*
 * Chatwoot's labels are acts-as-taggable-on tags (`app/models/concerns/labelable.rb`:
 * `acts_as_taggable_on :labels`), configured in `config/initializers/acts_as_taggable_on.rb` with the
 * library's defaults (delimiter ",", no forced lower case, case-insensitive matching) and pinned at
 * acts-as-taggable-on 12.0.0. Read from `lib/acts-as-taggable-on/` at v12.0.0; the parsing and tag
 * lookup are the same at v9.0.1, the version `test/emulator/tagsRuby.test.ts` runs against.
 */

/** `ActsAsTaggableOn.glue`: the delimiter plus a space, used to join an array before parsing. */
const GLUE = ", ";
/** `DefaultParser#double_quote_pattern` and `#single_quote_pattern` with the "," delimiter. */
const RUBY_SPACE = "[\\t\\n\\v\\f\\r ]"; // Ruby's regexp `\s`: ASCII whitespace only
const DOUBLE_QUOTED = new RegExp(`(^|,)${RUBY_SPACE}*"(.*?)"${RUBY_SPACE}*(?=,${RUBY_SPACE}*|$)`, "g");
const SINGLE_QUOTED = new RegExp(`(^|,)${RUBY_SPACE}*'(.*?)'${RUBY_SPACE}*(?=,${RUBY_SPACE}*|$)`, "g");

/** ActiveSupport's `blank?` on a string: empty or only (Unicode) whitespace. */
function isBlankString(value: string): boolean {
  return /^[\s\u0085]*$/u.test(value);
}

/** The items of a permitted `labels: []` value, as Ruby's `Array#join` renders them (`nil` → ""). */
function joinedItems(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (Array.isArray(value)) {
    return value
      .filter((item) => !isPlainObject(item) && !Array.isArray(item))
      .map((item) => (item === null || item === undefined ? "" : String(item)))
      .join(GLUE);
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return String(value);
  return "";
}

/**
 * `label_list=`: `DefaultParser#parse` then `TagList#clean!`. An array is joined with ", "; quoted
 * tags (`"a, b"`) are taken out first, whole; the rest is split on commas; then blanks are dropped,
 * each tag is stripped, and duplicates are removed ignoring case (`uniq!(&:downcase)`, first spelling
 * wins). So `["VIP", " vip ", "a,b"]` holds three tags: `VIP`, `a`, `b`.
 */
export function parseTagList(value: unknown): string[] {
  const quoted: string[] = [];
  let rest = joinedItems(value);
  rest = rest.replace(DOUBLE_QUOTED, (_match, _start: string, tag: string) => {
    quoted.push(tag);
    return "";
  });
  rest = rest.replace(SINGLE_QUOTED, (_match, _start: string, tag: string) => {
    quoted.push(tag);
    return "";
  });
  return cleanTagList([...quoted, ...rest.split(",")]);
}

/** `TagList#clean!` without the options Chatwoot leaves off (`force_lowercase`, `force_parameterize`). */
function cleanTagList(names: readonly string[]): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const name of names) {
    if (isBlankString(name)) continue;
    const tag = rubyStrip(name);
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags;
}

/**
 * What a conversation shows after its labels were set to `assigned`: `save_cached_tag_list` joins
 * the list with ", " into `cached_label_list`, and `Conversation#cached_label_list_array` splits that
 * on commas again and strips each part (so a quoted `"a, b"` tag shows as `a` and `b`).
 */
export function cachedLabelListArray(assigned: readonly string[]): string[] {
  const parts = assigned.join(GLUE).split(",");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop(); // Ruby's split drops trailing ""
  return parts.map(rubyStrip);
}

/**
 * The installation's `tags` table: one row per name, shared by every account, contacts and
 * conversations alike (it has no account column; `db/schema.rb`). A name is reused ignoring case
 * (`Tag.find_or_create_all_with_like_by_name`: `LOWER(name) = LOWER(?)`), so the first spelling ever
 * saved is the one every later `VIP`/`Vip`/`vip` gets.
 */
export class TagTable {
  private readonly byLowerName = new Map<string, string>();

  /** Every tag name, keyed by its lower case (for a copy of the whole table). */
  entries(): Array<[string, string]> {
    return [...this.byLowerName];
  }

  /** Adds the names `entries()` listed. */
  load(entries: ReadonlyArray<readonly [string, string]>): void {
    for (const [key, name] of entries) this.byLowerName.set(key, name);
  }

  /** `find_or_create_all_with_like_by_name(list)`: each name's stored spelling, creating missing ones. */
  findOrCreate(names: readonly string[]): string[] {
    return names.map((name) => {
      const key = name.toLowerCase();
      const existing = this.byLowerName.get(key);
      if (existing !== undefined) return existing;
      this.byLowerName.set(key, name);
      return name;
    });
  }
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
