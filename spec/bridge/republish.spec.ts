import { updatesOfStore } from '../../lib/bridge/republish';
import { decodeOrderItem } from '../../lib/orders/decode';
import {
  initialOrderState,
  reduceOrderState,
  type OrderStateSnapshot,
  type OrderUpdate,
} from '../../lib/orders';
import { orderLifecycle } from '../../lib/testing/builders';

function fold(items: readonly unknown[], source: 'ws' | 'rest' = 'ws'): OrderStateSnapshot {
  return items
    .map((i) => decodeOrderItem(i))
    .flatMap((d): OrderUpdate[] => (d.kind === 'update' ? [{ ...d.update, source }] : []))
    .reduce(reduceOrderState, initialOrderState);
}

/** The store as plain data, without where its updates came from. */
function plain(s: OrderStateSnapshot) {
  return [...s.orders.values()].map(({ fills, source: _s, firstSeen: _f, ...o }) => ({
    ...o,
    fills: [...fills.values()].map(({ source: _fs, ...f }) => f),
  }));
}

describe('updatesOfStore', () => {
  const items = [
    ...orderLifecycle({ orderId: 'btcidr-limit-1', fills: ['0.004', '0.006'], transactionTime: 1_000 }),
    ...orderLifecycle({
      orderId: 'btcidr-limit-2',
      fills: ['0.002'],
      origQty: '0.01',
      end: 'OPEN',
      transactionTime: 2_000,
    }),
    ...orderLifecycle({
      orderId: 'btcidr-limit-3',
      fills: [],
      origQty: '0.01',
      end: 'OPEN',
      transactionTime: 3_000,
    }),
    ...orderLifecycle({
      orderId: 'btcidr-limit-4',
      fills: ['0.001'],
      origQty: '0.01',
      end: 'CANCELLED',
      cancelReason: 'SELF_TRADE_PREVENTION',
      transactionTime: 4_000,
    }),
  ];

  it('folded into an empty store, gives the same orders, fills and totals (all marked rest)', () => {
    const store = fold(items);
    const again = updatesOfStore(store);
    expect(again.every((u) => u.source === 'rest')).toBe(true);
    expect(plain(again.reduce(reduceOrderState, initialOrderState))).toEqual(plain(store));
  });

  it('folded into the same store, changes nothing', () => {
    const store = fold(items);
    const again = updatesOfStore(store).reduce(reduceOrderState, store);
    expect(plain(again)).toEqual(plain(store));
  });

  it('an empty store gives no updates', () => {
    expect(updatesOfStore(initialOrderState)).toEqual([]);
  });
});
