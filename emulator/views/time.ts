/** Chatwoot renders times three ways: unix seconds (`to_i`), float seconds (`to_f`) and ISO-8601 with milliseconds. */

export function unixSeconds(ms: number): number {
  return Math.floor(ms / 1000);
}

/** `nil.to_i` is 0: unset timestamps render as 0 in the conversation JSON. */
export function unixSecondsOrZero(ms: number | null): number {
  return ms === null ? 0 : unixSeconds(ms);
}

export function floatSeconds(ms: number): number {
  return ms / 1000;
}

/** ActiveSupport's JSON encoding of a time: `2024-05-01T10:00:00.123Z`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoTimeOrNull(ms: number | null): string | null {
  return ms === null ? null : isoTime(ms);
}
