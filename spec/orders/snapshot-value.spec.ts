import { EMPTY, of } from 'rxjs';
import { snapshotJson } from '../../lib/cli/events';
import { decodeOrderItem } from '../../lib/orders/decode';
import {
  createOrderState,
  initialOrderState,
  orderState,
  orderStateJson,
  reduceOrderState,
  reduceOrderStateBatch,
  type OrderStateSnapshot,
  type OrderUpdate,
} from '../../lib/orders';
import { cancelled, fill, newOrder } from '../../lib/testing/builders';

const T = 1_767_225_600_000;
const decode = (item: unknown): OrderUpdate => {
  const r = decodeOrderItem(item);
  if (r.kind !== 'update') throw new Error('bad fixture');
  return r.update;
};
const fold = (items: readonly unknown[], start = createOrderState({ maxTerminalOrders: 1 })) =>
  items.map(decode).reduce(reduceOrderState, start);

const handMade = {
  orders: new Map(),
  version: 0,
  openCount: 0,
  terminalCount: 0,
  time: 0,
};

describe('a snapshot is a value the store makes', () => {
  it('an object literal does not satisfy the published type', () => {
    // @ts-expect-error: OrderStateSnapshot is a class with a private brand
    const s: OrderStateSnapshot = handMade;
    expect(s).toBe(handMade);
  });

  it.each([
    [
      'reduceOrderState',
      () => reduceOrderState(handMade as unknown as OrderStateSnapshot, decode(newOrder())),
    ],
    ['reduceOrderStateBatch', () => reduceOrderStateBatch(handMade as unknown as OrderStateSnapshot, [])],
    ['orderState({ initial })', () => orderState({ initial: handMade as unknown as OrderStateSnapshot })],
  ])('%s refuses a hand-built one with a TypeError naming createOrderState', (where, call) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(new RegExp(`^${where.replace(/[({})]/g, '\\$&')}: .*createOrderState\\(\\)`));
  });

  it('orderState({ initial }) takes a real one', () => {
    const start = fold([newOrder({ transactionTime: T })]);
    const seen: OrderStateSnapshot[] = [];
    of(decode(cancelled({ transactionTime: T + 1 })))
      .pipe(orderState({ initial: start }))
      .subscribe((s) => seen.push(s));
    expect(seen.map((s) => s.version)).toEqual([2]);
    EMPTY.pipe(orderState({ initial: initialOrderState })).subscribe();
  });
});

describe('JSON of a snapshot and of a tracked order', () => {
  const tradeIds = ['9', '1', '5', '72057594037968281', '3'];
  const items = [
    newOrder({ orderId: 'btcidr-limit-1', origQty: '1', transactionTime: T }),
    ...tradeIds.map((tradeId, i) =>
      fill({
        orderId: 'btcidr-limit-1',
        origQty: '1',
        qty: '0.1',
        filledQty: `0.${i + 1}`,
        tradeId,
        transactionTime: T + i + 1,
      }),
    ),
    newOrder({ orderId: 'btcidr-limit-2', transactionTime: T + 10 }),
    cancelled({ orderId: 'btcidr-limit-2', transactionTime: T + 11 }),
    newOrder({ orderId: 'btcidr-limit-3', transactionTime: T + 12 }),
    cancelled({ orderId: 'btcidr-limit-3', transactionTime: T + 13 }),
  ];
  const snapshot = fold(items);

  it('is plain data with no bookkeeping: orders, their fills as an array in the order received, totals', () => {
    const text = JSON.stringify(snapshot);
    expect(text).not.toMatch(/internals|terminal"|forgotten|maxForgotten|head|tail/);
    const json = JSON.parse(text) as {
      orders: { orderId: string; fills: { tradeId: string }[]; totals: unknown }[];
      open: number;
      total: number;
    };
    expect(json.open).toBe(1);
    expect(json.total).toBe(2);
    const order = json.orders.find((o) => o.orderId === 'btcidr-limit-1');
    expect(order?.fills.map((f) => f.tradeId)).toEqual(tradeIds);
    expect(order?.totals).toEqual({
      fee: expect.any(Object),
      tax: expect.any(Object),
      clearing: expect.any(Object),
    });
  });

  it('a tracked order serialises its fills as that array too', () => {
    const order = snapshot.orders.get('btcidr-limit-1');
    const json = JSON.parse(JSON.stringify(order)) as { fills: { tradeId: string }[] };
    expect(json.fills.map((f) => f.tradeId)).toEqual(tradeIds);
    expect([...(order?.fills.keys() ?? [])]).toEqual(tradeIds);
  });

  it('is what the CLI prints: one function for both', () => {
    expect(JSON.stringify(snapshotJson(snapshot))).toBe(JSON.stringify(snapshot));
    expect(JSON.stringify(orderStateJson(snapshot))).toBe(JSON.stringify(snapshot));
  });

  it('a replaced REST-only fill keeps its place', () => {
    const rest = {
      ...decode(fill({ orderId: 'btcidr-limit-1', tradeId: '1', transactionTime: T + 1 })),
      source: 'rest',
      breakdown: false,
    } as OrderUpdate;
    const start = fold([newOrder({ orderId: 'btcidr-limit-1', origQty: '1', transactionTime: T })]);
    let s = reduceOrderState(start, rest);
    s = reduceOrderState(
      s,
      decode(fill({ orderId: 'btcidr-limit-1', tradeId: '2', transactionTime: T + 2 })),
    );
    s = reduceOrderState(
      s,
      decode(fill({ orderId: 'btcidr-limit-1', tradeId: '1', transactionTime: T + 1 })),
    );
    const fills = [...(s.orders.get('btcidr-limit-1')?.fills.values() ?? [])];
    expect(fills.map((f) => [f.tradeId, f.source])).toEqual([
      ['1', 'ws'],
      ['2', 'ws'],
    ]);
    // the older snapshot's order still lists what it had
    expect([...(start.orders.get('btcidr-limit-1')?.fills.keys() ?? [])]).toEqual([]);
  });
});
