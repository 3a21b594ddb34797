import fc from 'fast-check';
import {
  createOrderState,
  initialOrderState,
  isTerminalStatus,
  reduceOrderState,
  restOnlyFill,
  type OrderStateSnapshot,
  type OrderUpdate,
} from '../../lib/orders';
import { orderLifecycle, type LifecycleEnd } from '../../lib/testing/builders';
import { plainOrders, updateOf } from '../../lib/testing/marbles';

const fold = (updates: readonly OrderUpdate[]): OrderStateSnapshot =>
  updates.reduce(reduceOrderState, initialOrderState);

const decimal = fc
  .tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 8 }))
  .map(([units, scale]) => {
    const s = String(units).padStart(scale + 1, '0');
    return scale === 0 ? s : `${s.slice(0, -scale)}.${s.slice(-scale)}`;
  });

const lifecycle = (index: number) =>
  fc
    .record({
      fills: fc.array(decimal, { maxLength: 5 }),
      end: fc.constantFrom<LifecycleEnd>('DONE', 'CANCELLED', 'REJECTED', 'OPEN'),
      price: decimal,
      side: fc.constantFrom('BUY' as const, 'SELL' as const),
    })
    .map(({ fills, end, price, side }) =>
      orderLifecycle({
        orderId: `btcidr-limit-${index}`,
        fills,
        end: end === 'REJECTED' && fills.length > 0 ? 'CANCELLED' : end,
        price,
        side,
        transactionTime: 1_000_000 + index,
      }).map((item) => updateOf(item)),
    );

const lifecycles = fc
  .integer({ min: 1, max: 4 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => lifecycle(i))));

/** Any delivery: every update at least once, some repeated, in any order. */
const delivery = <T>(items: readonly T[]) =>
  fc
    .tuple(
      fc.array(fc.nat({ max: Math.max(0, items.length - 1) }), { maxLength: items.length }),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
        minLength: 2 * items.length,
        maxLength: 2 * items.length,
      }),
    )
    .map(([dups, keys]) => {
      const all = [...items, ...dups.filter(() => items.length > 0).map((i) => items[i]!)];
      return all
        .map((item, i) => ({ item, key: keys[i] ?? 0 }))
        .sort((a, b) => a.key - b.key)
        .map((x) => x.item);
    });

describe('reduceOrderState properties', () => {
  it('any interleaving, duplication and delay of valid lifecycles ends in the in-order state', () => {
    fc.assert(
      fc.property(
        lifecycles.chain((ls) => {
          const inOrder = ls.flat();
          return fc.tuple(fc.constant(inOrder), delivery(inOrder));
        }),
        ([inOrder, delivered]) => {
          const expected = fold(inOrder);
          const actual = fold(delivered);
          expect(plainOrders(actual)).toEqual(plainOrders(expected));
          expect(actual.openCount).toBe(expected.openCount);
          expect(actual.terminalCount).toBe(expected.terminalCount);
          expect(actual.time).toBe(expected.time);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('pushes and REST-only copies of the same fills, in any order, end with the pushed breakdown', () => {
    fc.assert(
      fc.property(
        lifecycle(0).chain((updates) => {
          const rest = updates.flatMap((u) =>
            u.status === 'FILL'
              ? [
                  restOnlyFill(u.order, {
                    tradeId: u.order.tradeId,
                    qty: u.order.fillInformation.qty,
                    commission: '1',
                    commissionAsset: 'IDR',
                    isMaker: false,
                  }),
                ]
              : [],
          );
          return fc.tuple(fc.constant(updates), delivery([...updates, ...rest]));
        }),
        ([pushes, delivered]) => {
          expect(plainOrders(fold(delivered))).toEqual(plainOrders(fold(pushes)));
        },
      ),
      { numRuns: 200 },
    );
  });

  const anyUpdate: fc.Arbitrary<OrderUpdate> = fc
    .record({
      id: fc.constantFrom('a', 'b', 'c'),
      status: fc.constantFrom('NEW', 'FILL', 'CANCELLED', 'DONE', 'REJECTED'),
      origQty: decimal,
      executedQty: fc.oneof(decimal, fc.constant('0')),
      unfilledQty: decimal,
      time: fc.integer({ min: 0, max: 10_000 }),
      tradeId: fc.constantFrom('1', '2', '3', '72057594037968281'),
      qty: decimal,
      fee: fc.oneof(decimal, fc.constant('0')),
      asset: fc.constantFrom('idr', 'usdt', 'IDR'),
      source: fc.constantFrom('ws' as const, 'rest' as const),
      breakdown: fc.boolean(),
      approximate: fc.boolean(),
      cancelReason: fc.option(fc.string(), { nil: undefined }),
    })
    .map((r) => {
      const order = {
        orderId: r.id,
        symbol: 'btcidr',
        side: 'BUY' as const,
        origQty: r.origQty,
        unfilledQty: r.unfilledQty,
        executedQty: r.executedQty,
        price: '1',
        transactionTime: r.time,
      };
      const meta = { source: r.source, ...(r.approximate ? { approximate: true as const } : {}) };
      if (r.status === 'FILL') {
        return {
          status: 'FILL',
          ...meta,
          ...(r.breakdown ? {} : { breakdown: false as const }),
          order: {
            ...order,
            status: 'FILL',
            tradeId: r.tradeId,
            fillInformation: {
              participant: 'MAKER',
              filledQty: r.executedQty,
              qty: r.qty,
              feeAsset: r.asset,
              feeRate: 1e-3,
              fee: r.fee,
              taxAsset: r.asset,
              taxRate: 0,
              tax: r.fee,
              clearingAsset: 'idr',
              clearingRate: 2.22e-4,
              clearing: '0',
            },
          },
        } as OrderUpdate;
      }
      const extra =
        r.status === 'CANCELLED' && r.cancelReason !== undefined ? { cancelReason: r.cancelReason } : {};
      return { status: r.status, ...meta, order: { ...order, status: r.status, ...extra } } as OrderUpdate;
    });

  it('never throws on any decoded input and keeps its counters consistent', () => {
    fc.assert(
      fc.property(fc.array(anyUpdate, { maxLength: 30 }), fc.integer({ min: 0, max: 3 }), (updates, max) => {
        const s = updates.reduce(
          reduceOrderState,
          createOrderState({ maxTerminalOrders: max, terminalTtlMs: 5000 }),
        );
        const open = [...s.orders.values()].filter((o) => !isTerminalStatus(o.status)).length;
        expect(s.openCount).toBe(open);
        expect(s.terminalCount).toBe(s.orders.size - open);
        expect(s.orders.size).toBe([...s.orders.keys()].length);
        for (const o of s.orders.values()) {
          for (const sum of [...Object.values(o.totals.fee), ...Object.values(o.totals.tax)]) {
            expect(sum).toMatch(/^\d+(\.\d*[1-9])?$/);
          }
        }
        expect(s.terminalCount).toBeLessThanOrEqual(max);
      }),
      { numRuns: 500 },
    );
  });
});
