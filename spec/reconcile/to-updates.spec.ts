import { decodeOrderItem } from '../../lib/orders/decode';
import { createOrderState, reduceOrderState, type OrderStateSnapshot } from '../../lib/orders';
import { findingsToUpdates } from '../../lib/reconcile/to-updates';
import type { RestFillFact, RestOrderFact } from '../../lib/reconcile/facts';
import type { ReconcileFindings } from '../../lib/reconcile/plan';
import { DEFAULT_TIME, fill, newOrder } from '../../lib/testing/builders';

const ID = 'btcidr-limit-1';
const spec = { orderId: ID, origQty: '3' };
const pushed = (...items: unknown[]): OrderStateSnapshot =>
  items.reduce<OrderStateSnapshot>((s, item) => {
    const r = decodeOrderItem(item, { source: 'ws' });
    return r.kind === 'update' ? reduceOrderState(s, r.update) : s;
  }, createOrderState());
const fact = (o: Partial<RestOrderFact>): RestOrderFact => ({
  orderId: ID,
  symbol: 'btcidr',
  side: 'BUY',
  price: '1000000000',
  state: 'OPEN',
  origQty: '3',
  executedQty: '0',
  approximate: false,
  submitTime: DEFAULT_TIME,
  ...o,
});
const trade = (tradeId: string, time: number, qty = '1'): RestFillFact => ({
  tradeId,
  orderId: ID,
  symbol: 'btcidr',
  qty,
  price: '1000000000',
  commission: '5',
  commissionAsset: 'idr',
  isMaker: false,
  time,
});
const findings = (orders: RestOrderFact[], fills: RestFillFact[] = []): ReconcileFindings => ({
  orders,
  fills,
  unresolved: [],
  calls: 0,
  window: { from: 0, to: 0 },
});
const fold = (s: OrderStateSnapshot, f: ReconcileFindings) =>
  findingsToUpdates(f, s).reduce(reduceOrderState, s);

describe('findingsToUpdates (against the store of the instant)', () => {
  it('a fill the store has counts once; a REST fill adds only the distinct fills up to it', () => {
    // the store: NEW, then the push of the 2nd fill (cumulative 2): the 1st was lost
    const s = pushed(
      newOrder({ ...spec, transactionTime: DEFAULT_TIME }),
      fill({ ...spec, qty: '1', filledQty: '2', tradeId: 'b', transactionTime: DEFAULT_TIME + 2 }),
    );
    const updates = findingsToUpdates(
      findings([fact({ executedQty: '2' })], [trade('a', DEFAULT_TIME + 1), trade('b', DEFAULT_TIME + 2)]),
      s,
    );
    expect(updates.map((u) => [u.status, u.order.executedQty])).toEqual([['FILL', '1']]);
    const after = updates.reduce(reduceOrderState, s).orders.get(ID);
    expect(after).toMatchObject({ executedQty: '2', fillsQty: '2', unfilledQty: '1' });
  });

  it('never raises executedQty above origQty, whatever the fills say', () => {
    const s = pushed(newOrder({ ...spec, origQty: '1', transactionTime: DEFAULT_TIME }));
    const updates = findingsToUpdates(
      findings(
        [fact({ origQty: '1', executedQty: '1' })],
        [trade('a', DEFAULT_TIME + 1), trade('x', DEFAULT_TIME + 2)],
      ),
      s,
    );
    expect(updates.map((u) => u.order.executedQty)).toEqual(['1', '1']);
  });

  it('an end carries the executed quantity of the histories read', () => {
    const s = pushed(newOrder({ ...spec, transactionTime: DEFAULT_TIME }));
    const after = fold(
      s,
      findings(
        [fact({ state: 'CANCELLED', executedQty: '1', finishTime: DEFAULT_TIME + 5 })],
        [trade('a', DEFAULT_TIME + 1)],
      ),
    ).orders.get(ID);
    expect(after).toMatchObject({ status: 'CANCELLED', executedQty: '1', unfilledQty: '2', fillsQty: '1' });
  });

  it('dates an order first seen after its submit time (its NEW was lost), so later histories find it', () => {
    const s = pushed(
      fill({ ...spec, qty: '1', filledQty: '1', tradeId: 'a', transactionTime: DEFAULT_TIME + 50 }),
    );
    expect(s.orders.get(ID)?.firstSeen).toBe(DEFAULT_TIME + 50);
    const after = fold(s, findings([fact({ executedQty: '1' })], [trade('a', DEFAULT_TIME + 50)]));
    expect(after.orders.get(ID)).toMatchObject({ firstSeen: DEFAULT_TIME, status: 'FILL', executedQty: '1' });
  });

  it('changes nothing when the store already equals the answer', () => {
    const s = pushed(newOrder({ ...spec, transactionTime: DEFAULT_TIME }));
    expect(fold(s, findings([fact({})]))).toBe(s);
  });
});
