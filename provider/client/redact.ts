/** Replaces every occurrence of the given secrets in a text by `[REDACTED]`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    // Very short values would redact ordinary words; real tokens are long.
    if (secret && secret.length >= 6) result = result.split(secret).join("[REDACTED]");
  }
  return result;
}
