import { map } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  fillsOf,
  ofStatus,
  openOrders,
  orderState,
  ordersBySymbol,
  splitByStatus,
  type OrderUpdate,
} from '../../lib/orders';
import { cancelled, done, fill, newOrder, orderLifecycle, rejected } from '../../lib/testing/builders';
import { updateOf } from '../../lib/testing/marbles';

const scheduler = () => new TestScheduler((a, b) => expect(a).toEqual(b));
const [N, F1, F2, D] = orderLifecycle({ orderId: 'btcidr-limit-1', fills: ['0.004', '0.006'] }).map((i) =>
  updateOf(i),
);
const C = updateOf(cancelled({ orderId: 'ethidr-limit-2', cancelReason: 'SELF_TRADE_PREVENTION' }));
const R = updateOf(rejected({ orderId: 'ethidr-limit-3' }));
const values: Record<string, OrderUpdate> = { n: N!, f: F1!, g: F2!, d: D!, c: C, r: R };

describe('ofStatus', () => {
  it('keeps the given statuses, narrowed', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const updates$ = cold('n-f-g-c-d-r|', values);
      expectObservable(updates$.pipe(ofStatus('FILL'))).toBe('--f-g------|', values);
      expectObservable(updates$.pipe(ofStatus('CANCELLED', 'REJECTED'))).toBe('------c---r|', values);
      // The narrowed type has fillInformation: this line would not compile otherwise.
      expectObservable(
        updates$.pipe(
          ofStatus('FILL'),
          map((u) => u.order.fillInformation.qty),
        ),
      ).toBe('--a-b------|', { a: '0.004', b: '0.006' });
    });
  });
});

describe('splitByStatus', () => {
  it('gives one narrowed stream per status over ONE subscription to the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const updates$ = cold('n-f-g-c-d-r|', values);
      const s = splitByStatus()(updates$);
      expectObservable(s.NEW).toBe('n----------|', values);
      expectObservable(s.FILL).toBe('--f-g------|', values);
      expectObservable(s.CANCELLED).toBe('------c----|', values);
      expectObservable(s.DONE).toBe('--------d--|', values);
      expectObservable(s.REJECTED).toBe('----------r|', values);
      expectSubscriptions(updates$.subscriptions).toBe('^----------!');
    });
  });

  it('subscribes when the first stream does, unsubscribes after the last leaves; late ones miss earlier events', () => {
    scheduler().run(({ hot, expectObservable, expectSubscriptions }) => {
      const updates$ = hot('n-f-g-c-d-r---|', values);
      const s = splitByStatus()(updates$);
      expectObservable(s.FILL, '-^-----!').toBe('--f-g--', values);
      expectObservable(s.DONE, '-----^------!').toBe('--------d----', values);
      expectObservable(s.NEW, '---^--!').toBe('-------', values);
      expectSubscriptions(updates$.subscriptions).toBe('-^----------!');
    });
  });
});

describe('orderState', () => {
  it('emits a snapshot per change and nothing for duplicates or stale updates', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const updates$ = cold('n-f-f-n-g-d-d|', values);
      const view$ = updates$.pipe(
        orderState(),
        map(
          (s) =>
            `${s.version}:${[...s.orders.values()].map((o) => `${o.status}/${o.executedQty}`).join(',')}`,
        ),
      );
      expectObservable(view$).toBe('a-b-----c-d--|', {
        a: '1:NEW/0',
        b: '2:FILL/0.004',
        c: '3:FILL/0.01',
        d: '4:DONE/0.01',
      });
    });
  });

  it('starts from a given snapshot and applies retention options', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const a = updateOf(done({ orderId: 'btcidr-limit-1', transactionTime: 1 }));
      const b = updateOf(done({ orderId: 'btcidr-limit-2', transactionTime: 2 }));
      const o = updateOf(newOrder({ orderId: 'btcidr-limit-3', transactionTime: 3 }));
      const keys$ = cold('abo|', { a, b, o }).pipe(
        orderState({ maxTerminalOrders: 1 }),
        map((s) => [...s.orders.keys()].sort().join(',')),
      );
      expectObservable(keys$).toBe('xyz|', {
        x: 'btcidr-limit-1',
        y: 'btcidr-limit-2',
        z: 'btcidr-limit-2,btcidr-limit-3',
      });
    });
  });
});

describe('selectors', () => {
  it('openOrders, ordersBySymbol and fillsOf read a snapshot (cached per snapshot)', () => {
    let snapshot: Parameters<typeof openOrders>[0] | undefined;
    scheduler().run(({ cold }) => {
      const x = updateOf(newOrder({ orderId: 'ethidr-limit-9', transactionTime: 1 }));
      const y = updateOf(fill({ orderId: 'ethidr-limit-8', qty: '0.001', transactionTime: 5 }));
      cold('nfgxcy|', { ...values, x, y })
        .pipe(orderState())
        .subscribe((s) => (snapshot = s));
    });
    const s = snapshot!;
    expect(openOrders(s).map((o) => o.orderId)).toEqual([
      'ethidr-limit-9',
      'ethidr-limit-8',
      'btcidr-limit-1',
    ]);
    expect(openOrders(s)).toBe(openOrders(s));
    const groups = ordersBySymbol(s);
    expect([...groups.keys()].sort()).toEqual(['btcidr', 'ethidr']);
    expect(groups.get('ethidr')!.map((o) => o.orderId)).toEqual([
      'ethidr-limit-9',
      'ethidr-limit-8',
      'ethidr-limit-2',
    ]);
    expect(fillsOf(s, 'btcidr-limit-1').map((f) => f.qty)).toEqual(['0.004', '0.006']);
    expect(fillsOf(s, 'nope')).toEqual([]);
  });
});
