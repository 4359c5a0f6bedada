/**
 * A Postgres `LIKE`/`ILIKE` pattern as a RegExp: `%` is any run, `_` any character, `\` escapes.
 * User input reaches these patterns unescaped in Chatwoot, so `_` and `%` typed by a client are
 * wildcards there too.
 */
export function likePattern(pattern: string, caseInsensitive: boolean): RegExp {
  let source = "";
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index] ?? "";
    if (char === "\\" && index + 1 < pattern.length) {
      index += 1;
      source += escapeForRegExp(pattern[index] ?? "");
    } else if (char === "%") source += "[\\s\\S]*";
    else if (char === "_") source += "[\\s\\S]";
    else source += escapeForRegExp(char);
  }
  return new RegExp(`^${source}$`, caseInsensitive ? "iu" : "u");
}

function escapeForRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
