/**
 * Pages render a fixed number of rows, so the cost of a page (and the time the single-threaded
 * emulator spends away from API requests) stays small however many records an account holds.
 */
export const PAGE_SIZE = 50;

export interface PageWindow<T> {
  items: T[];
  /** 1-based, clamped to the last page. */
  page: number;
  pageCount: number;
  total: number;
  /** 1-based positions of the first and last item shown (0 when there are none). */
  first: number;
  last: number;
}

/** `?page=` as a positive integer; anything else is the first page. */
export function requestedPage(value: unknown): number {
  if (typeof value !== "string" || !/^\d{1,9}$/.test(value)) return 1;
  return Math.max(1, Number.parseInt(value, 10));
}

function window<T>(items: T[], page: number, pageCount: number, total: number, size: number): PageWindow<T> {
  const first = items.length === 0 ? 0 : (page - 1) * size + 1;
  const last = items.length === 0 ? 0 : first + items.length - 1;
  return { items, page, pageCount, total, first, last };
}

/**
 * One page of all `total` records, walking the iterator only up to the end of that page (a Map's
 * values cannot be indexed).
 */
export function paginate<T>(
  records: Iterable<T>,
  total: number,
  page: number,
  size = PAGE_SIZE,
): PageWindow<T> {
  const pageCount = Math.max(1, Math.ceil(total / size));
  const current = Math.min(page, pageCount);
  const start = (current - 1) * size;
  const items: T[] = [];
  let index = 0;
  for (const record of records) {
    if (index >= start + size) break;
    if (index >= start) items.push(record);
    index += 1;
  }
  return window(items, current, pageCount, total, size);
}

/** One page of the records that match; the count needs one pass over all of them, holding only references. */
export function paginateMatching<T>(
  records: Iterable<T>,
  matches: (record: T) => boolean,
  page: number,
  size = PAGE_SIZE,
): PageWindow<T> {
  const all: T[] = [];
  for (const record of records) if (matches(record)) all.push(record);
  const pageCount = Math.max(1, Math.ceil(all.length / size));
  const current = Math.min(page, pageCount);
  return window(all.slice((current - 1) * size, current * size), current, pageCount, all.length, size);
}
