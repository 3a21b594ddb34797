import { TestScheduler } from 'rxjs/testing';
import { map, type Observable } from 'rxjs';
import { pipelineFromChannel } from '../../lib/client';
import { knownOrdersOf } from '../../lib/reconcile/known';
import { reconciliation } from '../../lib/reconcile/reconciler';
import type { RestFillFact, RestOrderFact } from '../../lib/reconcile/facts';
import type { ReconcileSource } from '../../lib/reconcile/source';
import { decodeOrderItem } from '../../lib/orders/decode';
import { createOrderState, reduceOrderState, type OrderStateSnapshot } from '../../lib/orders';
import type { ChannelMessage } from '../../lib/protocol/messages';
import { DEFAULT_TIME, fill, newOrder } from '../../lib/testing/builders';

const ID = 'btcidr-limit-42';
const spec = { orderId: ID, origQty: '0.01817384' };
const T1 = DEFAULT_TIME + 1_000;
const T2 = DEFAULT_TIME + 2_000;
// The exchange: a fill of 0.00454346 lost in the gap, then one of 0.00454346 pushed while REST reads.
const fill1 = fill({
  ...spec,
  qty: '0.00454346',
  filledQty: '0.00454346',
  tradeId: '101',
  transactionTime: T1,
});
const fill2 = fill({
  ...spec,
  qty: '0.00454346',
  filledQty: '0.00908692',
  tradeId: '102',
  transactionTime: T2,
});

const rest = (f: typeof fill1): RestFillFact => ({
  tradeId: f.order.status === 'FILL' ? f.order.tradeId : '',
  orderId: ID,
  symbol: 'btcidr',
  qty: f.order.status === 'FILL' ? f.order.fillInformation.qty : '0',
  price: f.order.price,
  commission: '1',
  commissionAsset: 'idr',
  isMaker: false,
  time: f.order.transactionTime,
});
/** The open-orders read happens before the second fill; the trades read after it. */
const openAtRead: RestOrderFact = {
  orderId: ID,
  symbol: 'btcidr',
  side: 'BUY',
  price: fill1.order.price,
  state: 'OPEN',
  origQty: spec.origQty,
  executedQty: '0.00454346',
  approximate: false,
  submitTime: DEFAULT_TIME,
};

/** The store before the reconnect: the order as NEW (pushed before the gap). */
const before: OrderStateSnapshot = (() => {
  const r = decodeOrderItem(newOrder({ ...spec, transactionTime: DEFAULT_TIME }), { source: 'ws' });
  return r.kind === 'update' ? reduceOrderState(createOrderState(), r.update) : createOrderState();
})();

describe('issue 11, problem 1: a fill pushed while reconciliation reads REST counts once', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => (testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b))));

  it.each([
    // when, the channel, how many REST updates change the store
    ['during the reads', '     s 4ms p 30ms |', 1], // the lost fill 101
    ['after the findings land', 's 29ms p 5ms |', 2], // 101 and 102 (the push then adds its breakdown)
    ['before the reads start', ' (ps) 34ms |', 1],
  ])('pushed %s', (_when, channelMarble, restChanges) => {
    testScheduler.run(({ hot, cold }) => {
      const channel$: Observable<ChannelMessage> = hot(channelMarble, {
        s: { type: 'status', status: { state: 'subscribed', channel: 'c' } },
        p: { type: 'publication', channel: 'c', data: [fill2] },
      });
      const source: ReconcileSource = {
        openOrders: () => cold('     ----------(a|)', { a: [openAtRead] }),
        closedOrders: () => cold('   -----(a|)', { a: [] }),
        trades: () => cold('         -----(a|)', { a: [rest(fill1), rest(fill2)] }),
      };
      const client = pipelineFromChannel(channel$, {
        store: { initial: before },
        reconciliation: (status$, state$) =>
          reconciliation(status$, {
            source,
            known$: state$.pipe(map(knownOrdersOf)),
            scheduler: testScheduler,
          }),
      });
      let last: OrderStateSnapshot | undefined;
      const changed: (number | undefined)[] = [];
      client.orders$.subscribe((s) => (last = s));
      client.reconciliation$.subscribe((e) => e.type === 'completed' && changed.push(e.changed));
      testScheduler.flush();
      const order = last?.orders.get(ID);
      expect(order).toMatchObject({
        status: 'FILL',
        executedQty: '0.00908692',
        unfilledQty: '0.00908692',
        fillsQty: '0.00908692',
      });
      expect([...(order?.fills.keys() ?? [])].sort()).toEqual(['101', '102']);
      expect(changed).toEqual([restChanges]);
    });
  });
});
