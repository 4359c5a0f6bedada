/** Builds account-scoped Application API paths; every id is encoded, so none can change the route. */
export function accountPath(accountId: number, ...segments: (string | number)[]): string {
  const tail = segments.map((segment) => encodeURIComponent(String(segment))).join("/");
  return `/api/v1/accounts/${accountId}/${tail}`;
}
