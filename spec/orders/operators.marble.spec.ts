/**
 * The hand-inlined operators (`orderState`, `orderUpdates`, and the client's `each`) written as
 * `new Observable` "for fewer hops" (the bench shows why), tested as rxjs tests its own
 * operators (rxjs `spec/operators/*-spec.ts`): values in time, completion, errors,
 * unsubscription reaching the source, and an unbroken unsubscription chain.
 */
import { map, mergeMap, of, Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { each } from '../../lib/client/projections';
import type { ChannelMessage } from '../../lib/protocol/messages';
import { orderState, orderUpdates, type OrderStateSnapshot, type OrderUpdate } from '../../lib/orders';
import { fill, newOrder } from '../../lib/testing/builders';
import { publication, updateOf } from '../../lib/testing/marbles';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const n1 = updateOf(newOrder({ orderId: 'btcidr-limit-1' }));
const f1 = updateOf(fill({ orderId: 'btcidr-limit-1', tradeId: '9', qty: '0.004' }));
const n2 = updateOf(newOrder({ orderId: 'btcidr-limit-2' }));
const ids = (s: OrderStateSnapshot) => [...s.orders.keys()].sort().join(',');
const statuses = (s: OrderStateSnapshot) =>
  [...s.orders.values()]
    .map((o) => `${o.orderId}:${o.status}`)
    .sort()
    .join(',');

describe('orderState (marbles)', () => {
  it('emits a snapshot per update that changes the store, none for one that does not', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<OrderUpdate>('-a-b-a-c-|', { a: n1, b: f1, c: n2 });
      const out = source.pipe(orderState(), map(statuses));
      expectObservable(out).toBe('-x-y---z-|', {
        x: 'btcidr-limit-1:NEW',
        y: 'btcidr-limit-1:FILL',
        z: 'btcidr-limit-1:FILL,btcidr-limit-2:NEW',
      });
      expectSubscriptions(source.subscriptions).toBe('^--------!');
    });
  });

  it('passes an error on, after the snapshots before it', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold<OrderUpdate>('-a-#', { a: n1 }, new Error('feed'));
      expectObservable(source.pipe(orderState(), map(ids))).toBe(
        '-x-#',
        { x: 'btcidr-limit-1' },
        new Error('feed'),
      );
    });
  });

  it('unsubscribes its source when the result is unsubscribed, and through a chain', () => {
    scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const source = hot<OrderUpdate>('-a-b-c-|', { a: n1, b: f1, c: n2 });
      const out = source.pipe(
        mergeMap((x) => of(x)),
        orderState(),
        mergeMap((x) => of(x)),
        map(ids),
      );
      expectObservable(out, '^--!').toBe('-x--', { x: 'btcidr-limit-1' });
      expectSubscriptions(source.subscriptions).toBe('^--!');
      const never = cold<OrderUpdate>('-');
      expectObservable(never.pipe(orderState()), '^-!').toBe('---');
      expectSubscriptions(never.subscriptions).toBe('^-!');
    });
  });

  it('gives each subscriber its own fold from the initial state', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold<OrderUpdate>('-a-|', { a: n1 });
      const folded = source.pipe(orderState(), map(ids));
      expectObservable(folded).toBe('-x-|', { x: 'btcidr-limit-1' });
      expectObservable(folded).toBe('-x-|', { x: 'btcidr-limit-1' });
    });
  });
});

describe('orderUpdates (marbles)', () => {
  it('flattens each publication in order, skips statuses, reports bad items and goes on', () => {
    const problems: string[] = [];
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<ChannelMessage>('-p-s-q-|', {
        p: publication([
          newOrder({ orderId: 'btcidr-limit-1' }),
          fill({ orderId: 'btcidr-limit-1', tradeId: '9' }),
        ]),
        s: { type: 'status', status: { state: 'connecting', attempt: 1 } },
        q: publication([42, newOrder({ orderId: 'btcidr-limit-2' })]),
      });
      const out = source.pipe(
        orderUpdates({ onInvalid: (p) => problems.push(p.reason) }),
        map((u) => `${u.status}:${u.order.orderId}`),
      );
      expectObservable(out).toBe('-(ab)c-|', {
        a: 'NEW:btcidr-limit-1',
        b: 'FILL:btcidr-limit-1',
        c: 'NEW:btcidr-limit-2',
      });
      expectSubscriptions(source.subscriptions).toBe('^------!');
    });
    expect(problems).toHaveLength(1);
  });

  it('passes an error on and unsubscribes its source with the result', () => {
    scheduler().run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const failing = cold<ChannelMessage>('-p-#', { p: publication([newOrder()]) }, new Error('socket'));
      expectObservable(
        failing.pipe(
          orderUpdates(),
          map((u) => u.status),
        ),
      ).toBe('-n-#', { n: 'NEW' }, new Error('socket'));
      const source = hot<ChannelMessage>('-p-p-|', { p: publication([newOrder()]) });
      expectObservable(
        source.pipe(
          orderUpdates(),
          mergeMap((x) => of(x.status)),
        ),
        '^-!',
      ).toBe('-n-', { n: 'NEW' });
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });
});

describe('each (marbles)', () => {
  it('emits the picked items of each value in order, nothing for an empty pick', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<readonly number[]>('-a-b-c-|', { a: [1, 2], b: [], c: [3] });
      expectObservable(source.pipe(each((xs) => xs))).toBe('-(xy)z-|', { x: 1, y: 2, z: 3 });
      expectSubscriptions(source.subscriptions).toBe('^------!');
    });
  });

  it('passes errors on, and stops picking once unsubscribed, even in the middle of a value', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold<readonly number[]>('-a-#', { a: [1] }, new Error('e'));
      expectObservable(source.pipe(each((xs) => xs))).toBe('-x-#', { x: 1 }, new Error('e'));
    });
    const source = new Subject<readonly number[]>();
    const seen: number[] = [];
    const subscription = source.pipe(each((xs) => xs)).subscribe((x) => {
      seen.push(x);
      if (x === 1) subscription.unsubscribe();
    });
    source.next([1, 2, 3]);
    source.next([4]);
    expect(seen).toEqual([1]);
    expect(source.observed).toBe(false);
  });
});
