import fc from 'fast-check';
import {
  createOrderState,
  reduceOrderState,
  reduceOrderStateBatch,
  type OrderStateSnapshot,
  type OrderUpdate,
  type RetentionOptions,
} from '../../lib/orders';
import { orderLifecycle, type LifecycleEnd } from '../../lib/testing/builders';
import { plainOrders, updateOf } from '../../lib/testing/marbles';
import { forgottenIds } from '../../lib/orders/forgotten';
import { deepFreeze } from './freeze';

const lifecycle = (index: number) =>
  fc
    .record({
      fills: fc.array(fc.constantFrom('0.001', '0.25', '1', '0.00000001'), { maxLength: 3 }),
      end: fc.constantFrom<LifecycleEnd>('DONE', 'CANCELLED', 'OPEN'),
    })
    .map(({ fills, end }) =>
      orderLifecycle({
        orderId: `btcidr-limit-${index}`,
        fills,
        end,
        transactionTime: 1_000_000 + index * 10,
      }).map((item) => updateOf(item)),
    );

/** Several lifecycles, shuffled, some updates repeated, with a small retention. */
const scenario = fc
  .record({
    n: fc.integer({ min: 1, max: 12 }),
    retention: fc.record({
      maxTerminalOrders: fc.integer({ min: 0, max: 4 }),
      maxForgotten: fc.integer({ min: 0, max: 3 }),
      terminalTtlMs: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
    }),
  })
  .chain(({ n, retention }) =>
    fc
      .tuple(...Array.from({ length: n }, (_, i) => lifecycle(i)))
      .chain((lives) => fc.shuffledSubarray(lives.flat().concat(lives.flat()), { minLength: 1 }))
      .map((updates) => ({ updates, retention: retention as RetentionOptions })),
  );

/** Everything a snapshot says, as plain data. */
const view = (s: OrderStateSnapshot) =>
  JSON.stringify({
    orders: Object.entries(plainOrders(s)).sort(([a], [b]) => (a < b ? -1 : 1)),
    version: s.version,
    openCount: s.openCount,
    terminalCount: s.terminalCount,
    time: s.time,
    forgotten: forgottenIds(s.internals.forgotten),
    terminalQueue: s.internals.terminal.log.slice(s.internals.terminal.head, s.internals.terminal.tail),
  });

const chunks = <T>(items: readonly T[], cuts: readonly number[]): T[][] => {
  const out: T[][] = [];
  let at = 0;
  for (const cut of cuts) {
    out.push(items.slice(at, at + cut));
    at += cut;
  }
  out.push(items.slice(at));
  return out;
};

describe('reduceOrderStateBatch and the store’s transient edits', () => {
  it('folding in batches equals folding one by one, whatever the batches', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.array(fc.nat({ max: 6 }), { maxLength: 10 }),
        ({ updates, retention }, cuts) => {
          const start = createOrderState(retention);
          const one = updates.reduce(reduceOrderState, start);
          const batched = chunks(updates, cuts).reduce(reduceOrderStateBatch, start);
          expect(view(batched)).toBe(view(one));
          expect(reduceOrderStateBatch(one, [])).toBe(one);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an older snapshot never changes, however the states after it are folded and branched', () => {
    fc.assert(
      fc.property(
        scenario,
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { minLength: 1, maxLength: 8 }),
        ({ updates, retention }, branches) => {
          const history: OrderStateSnapshot[] = [createOrderState(retention)];
          for (const u of updates) history.push(reduceOrderState(history[history.length - 1]!, u));
          const before = history.map(view);
          // Branch: fold more updates onto random older snapshots, one by one or as a batch.
          const fresh = (list: readonly OrderUpdate[]) =>
            list.reduce(reduceOrderState, createOrderState(retention));
          for (const [from, take, batch] of branches) {
            const at = from % (updates.length + 1);
            const base = history[at]!;
            const more: OrderUpdate[] = updates.slice(take % updates.length);
            const after = batch ? reduceOrderStateBatch(base, more) : more.reduce(reduceOrderState, base);
            // A branch is what a fresh fold of the same updates gives.
            expect(view(after)).toBe(view(fresh([...updates.slice(0, at), ...more])));
          }
          expect(history.map(view)).toEqual(before);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('works on deep-frozen snapshots (nothing a snapshot holds is written to)', () => {
    fc.assert(
      fc.property(scenario, ({ updates, retention }) => {
        const start = deepFreeze(createOrderState(retention));
        const frozen = updates.reduce((s, u) => deepFreeze(reduceOrderState(s, u)), start);
        const plain = updates.reduce(reduceOrderState, createOrderState(retention));
        expect(view(frozen)).toBe(view(plain));
        expect(view(deepFreeze(reduceOrderStateBatch(start, updates)))).toBe(view(plain));
      }),
      { numRuns: 100 },
    );
  });
});
