import fc from 'fast-check';
import { distinctUntilChanged, from, scan, toArray, type Observable } from 'rxjs';
import {
  createOrderState,
  orderState,
  reduceOrderState,
  type OrderStateSnapshot,
  type OrderUpdate,
} from '../../lib/orders';
import { orderLifecycle } from '../../lib/testing/builders';
import { updateOf } from '../../lib/testing/marbles';

const collect = (source: Observable<OrderStateSnapshot[]>): OrderStateSnapshot[] => {
  let out: OrderStateSnapshot[] = [];
  source.subscribe({ next: (v) => (out = v) });
  return out;
};

/** A few lifecycles, shuffled and with repeats (so some updates change nothing). */
const updates = fc
  .array(
    fc.record({
      fills: fc.array(fc.constantFrom('0.001', '0.25', '1'), { maxLength: 2 }),
      end: fc.constantFrom('DONE' as const, 'CANCELLED' as const, 'OPEN' as const),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((lives) =>
    lives.flatMap(({ fills, end }, i) =>
      orderLifecycle({ orderId: `btcidr-limit-${i}`, fills, end, transactionTime: 1000 + i }).map((item) =>
        updateOf(item),
      ),
    ),
  )
  .chain((all) => fc.shuffledSubarray(all.concat(all), { minLength: 1 }));

describe('orderState() as one subscriber', () => {
  it('emits exactly what scan(reduceOrderState) + distinctUntilChanged() emits (property)', () => {
    fc.assert(
      fc.property(updates, fc.boolean(), (list: OrderUpdate[], fromFirst) => {
        // Starting from a snapshot that already holds the first update makes it a no-op.
        const initial = fromFirst ? reduceOrderState(createOrderState(), list[0] as OrderUpdate) : undefined;
        const seed = initial ?? createOrderState();
        const expected = collect(
          from(list).pipe(scan(reduceOrderState, seed), distinctUntilChanged(), toArray()),
        );
        const actual = collect(from(list).pipe(orderState(initial ? { initial } : {}), toArray()));
        expect(actual.map((s) => s.version)).toEqual(expected.map((s) => s.version));
        expect(actual.length).toBe(expected.length);
        actual.forEach((s, i) => expect(s.orders).toEqual(expected[i]?.orders));
      }),
      { numRuns: 300 },
    );
  });
});
