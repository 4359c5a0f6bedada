/** Where request log lines go; `null` discards them. */
export type LogSink = ((line: string) => void) | null;

const SECRET_QUERY_KEY = /token|secret|password|key/i;

/**
 * The path as logged: query values whose names look secret are replaced, so a token a client put in
 * the query string by mistake never reaches the log. Headers are never logged.
 */
export function redactedTarget(rawUrl: string): string {
  const queryStart = rawUrl.indexOf("?");
  if (queryStart === -1) return rawUrl;
  const path = rawUrl.slice(0, queryStart);
  const pairs = rawUrl
    .slice(queryStart + 1)
    .split("&")
    .map((pair) => {
      const equals = pair.indexOf("=");
      const key = equals === -1 ? pair : pair.slice(0, equals);
      let decodedKey = key;
      try {
        decodedKey = decodeURIComponent(key);
      } catch {
        // keep the raw key
      }
      return SECRET_QUERY_KEY.test(decodedKey) && equals !== -1 ? `${key}=[REDACTED]` : pair;
    });
  return `${path}?${pairs.join("&")}`;
}

export function requestLogLine(
  method: string,
  rawUrl: string,
  status: number | "dropped",
  durationMs: number,
  note?: string,
): string {
  const suffix = note ? ` ${note}` : "";
  return `${new Date().toISOString()} ${method} ${redactedTarget(rawUrl)} ${status} ${durationMs.toFixed(1)}ms${suffix}`;
}
