import fc from 'fast-check';
import { of } from 'rxjs';
import { pageThrough, splitWindows, type TimeWindow } from '../../lib/rest/windows';

// For any rows, page size and sort: paging through windows finds every row exactly once,
// provided no single millisecond holds more rows than a page (the API has no cursor).
describe('pageThrough (property)', () => {
  it('returns every row once, in order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
        fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 400 }),
        (limit, sort, times, maxSpan) => {
          const counts = new Map<number, number>();
          const rows = times
            .filter((t) => {
              const n = (counts.get(t) ?? 0) + 1;
              counts.set(t, n);
              return n <= limit;
            })
            .map((time, i) => ({ id: `r${i}`, time }));
          let requests = 0;
          const fetchPage = (w: TimeWindow) => {
            requests++;
            const inside = rows
              .filter((r) => r.time >= w.start && r.time <= w.end)
              .sort((a, b) => (sort === 'asc' ? a.time - b.time : b.time - a.time));
            return of(inside.slice(0, limit));
          };
          let result: readonly { id: string; time: number }[] = [];
          pageThrough({
            windows: splitWindows(0, 300, maxSpan),
            limit,
            sort,
            fetchPage,
            timeOf: (r) => r.time,
            idOf: (r) => r.id,
          }).subscribe((r) => (result = r));
          expect(new Set(result.map((r) => r.id))).toEqual(new Set(rows.map((r) => r.id)));
          expect(result).toHaveLength(rows.length);
          const ts = result.map((r) => r.time);
          expect(ts).toEqual([...ts].sort((a, b) => (sort === 'asc' ? a - b : b - a)));
          // bounded cost: a request ends a window or returns a row; a boundary row may be asked for twice
          expect(requests).toBeLessThanOrEqual(splitWindows(0, 300, maxSpan).length + 2 * rows.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
