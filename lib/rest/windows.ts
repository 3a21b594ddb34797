import { EMPTY, Observable, concatMap, expand, from, map, reduce } from 'rxjs';

/** An inclusive time range in milliseconds. */
export interface TimeWindow {
  readonly start: number;
  readonly end: number;
}

/** The longest range v2 histories and myTrades accept: 7 days. */
export const MAX_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** The range v2 uses when neither time is given: the last 24 hours. */
export const DEFAULT_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Splits `[start, end]` into consecutive inclusive windows no longer than `maxMs`.
 *
 * ```text
 * [0 ........................ 15 d]  →  [0, 7d-1] [7d, 14d-1] [14d, 15d]
 * ```
 *
 * ## Example
 * ```ts
 * splitWindows(0, 10, 4); // [{0,3}, {4,7}, {8,10}]
 * ```
 * @internal
 */
export function splitWindows(start: number, end: number, maxMs: number = MAX_WINDOW_MS): TimeWindow[] {
  const windows: TimeWindow[] = [];
  for (let s = start; s <= end; s += maxMs) windows.push({ start: s, end: Math.min(end, s + maxMs - 1) });
  return windows;
}

/**
 * The next window after a full page, narrowing toward the rows not yet seen: for `desc`
 * the end moves down to the oldest row's time (rows at that same millisecond are asked
 * again and deduplicated), for `asc` the start moves up. The bound always moves by at
 * least 1 ms, so paging ends. `undefined` when the page was not full or nothing is left.
 * @internal
 */
export function nextWindow(
  window: TimeWindow,
  times: readonly number[],
  limit: number,
  sort: 'asc' | 'desc',
): TimeWindow | undefined {
  if (times.length < limit || times.length === 0) return undefined;
  if (sort === 'desc') {
    const oldest = Math.min(...times);
    const end = oldest < window.end ? oldest : window.end - 1;
    return end < window.start ? undefined : { start: window.start, end };
  }
  const newest = Math.max(...times);
  const start = newest > window.start ? newest : window.start + 1;
  return start > window.end ? undefined : { start, end: window.end };
}

/** How {@link pageThrough} reads one kind of row. @internal */
export interface PagingSpec<R> {
  readonly windows: readonly TimeWindow[];
  readonly limit: number;
  readonly sort: 'asc' | 'desc';
  fetchPage(window: TimeWindow): Observable<readonly R[]>;
  timeOf(row: R): number;
  idOf(row: R): string;
}

/**
 * Reads every window, one request at a time, paging on while a page comes back full, and
 * emits one array: deduplicated by id (the first copy wins) and sorted by time in `sort`
 * order.
 *
 * ```text
 * window 1: page(limit rows) ─ page(3 rows) ─ window 2: page(0 rows) ─► [rows]|
 * ```
 * @internal
 */
export function pageThrough<R>(spec: PagingSpec<R>): Observable<readonly R[]> {
  const page = (window: TimeWindow) => spec.fetchPage(window).pipe(map((rows) => ({ window, rows })));
  return from(spec.windows).pipe(
    concatMap((first) =>
      page(first).pipe(
        expand(({ window, rows }) => {
          const next = nextWindow(
            window,
            rows.map((r) => spec.timeOf(r)),
            spec.limit,
            spec.sort,
          );
          return next ? page(next) : EMPTY;
        }, 1),
      ),
    ),
    reduce((seen, { rows }) => {
      for (const row of rows) {
        const id = spec.idOf(row);
        if (!seen.has(id)) seen.set(id, row);
      }
      return seen;
    }, new Map<string, R>()),
    map((seen) => {
      const sign = spec.sort === 'asc' ? 1 : -1;
      return [...seen.values()].sort((a, b) => sign * (spec.timeOf(a) - spec.timeOf(b)));
    }),
  );
}
