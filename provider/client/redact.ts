/**
 * The shortest secret that is redacted. Very short values would redact ordinary words (and so
 * garble messages); real tokens are long, and the settings refuse a token shorter than this, so
 * every token the provider accepts is one it can keep out of its messages.
 */
export const SHORTEST_REDACTED_SECRET = 6;

/** Replaces every occurrence of the given secrets in a text by `[REDACTED]`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret && secret.length >= SHORTEST_REDACTED_SECRET) result = result.split(secret).join("[REDACTED]");
  }
  return result;
}
