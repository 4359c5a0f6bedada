/**
 * Replaces every occurrence of the given secrets by `[REDACTED]`. Everything the demo prints from
 * a run (pulumi's output, program logs, errors) goes through it, so a token cannot leak even if a
 * lower layer slipped.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const present = secrets.filter((secret) => secret.length >= 4);
  return (text) => present.reduce((result, secret) => result.split(secret).join("[REDACTED]"), text);
}
