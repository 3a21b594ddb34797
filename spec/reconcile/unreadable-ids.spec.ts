import { filter, firstValueFrom, of, take, toArray } from 'rxjs';
import { createPrivateClient, type PrivateClient } from '../../lib/client';
import { knownOrdersOf } from '../../lib/reconcile/known';
import { decodeOrderItem } from '../../lib/orders/decode';
import { initialOrderState, reduceOrderState, type OrderStateSnapshot } from '../../lib/orders';
import type { RestOrderFact } from '../../lib/reconcile/facts';
import { reconcileOnce, type ReconcileFindings } from '../../lib/reconcile/plan';
import type { ReconciliationEvent } from '../../lib/reconcile/reconciler';
import type { ReconcileSource } from '../../lib/reconcile/source';
import { findingsToUpdates } from '../../lib/reconcile/to-updates';
import type { FakeServer } from '../../lib/testing/fake-server';
import { newOrder, pushData } from '../../lib/testing/builders';
import { startExchange } from '../client/exchange';

const T = 1_767_225_600_000;

/** A NEW item whose id is not `<pair>-<type>-<number>` (the builders refuse to make one). */
function newWithId(orderId: string, transactionTime: number): unknown {
  const item = newOrder({ orderId: 'btcidr-limit-1', transactionTime }) as { order: Record<string, unknown> };
  return { ...item, order: { ...item.order, orderId, clientOrderId: orderId } };
}

const storeOf = (...items: unknown[]): OrderStateSnapshot =>
  items.reduce<OrderStateSnapshot>((s, item) => {
    const r = decodeOrderItem(item);
    if (r.kind !== 'update') throw new Error(r.kind === 'invalid' ? r.reason : 'not an update');
    return reduceOrderState(s, r.update);
  }, initialOrderState);

const openFact = (orderId: string): RestOrderFact => ({
  orderId,
  symbol: 'btcidr',
  side: 'BUY',
  price: '1000000000',
  state: 'OPEN',
  origQty: '0.01',
  executedQty: '0',
  approximate: false,
  submitTime: T,
});

const source = (open: RestOrderFact[]): ReconcileSource => ({
  openOrders: () => of(open),
  closedOrders: () => of([]),
  trades: () => of([]),
});

function findings(store: OrderStateSnapshot, open: RestOrderFact[]): ReconcileFindings {
  let out: ReconcileFindings | undefined;
  reconcileOnce(source(open), knownOrdersOf(store), { from: T - 60_000, to: T + 60_000 }).subscribe(
    (f) => (out = f),
  );
  if (!out) throw new Error('no findings');
  return out;
}

describe('reconciliation never invents an order from an id it cannot read', () => {
  const rows: {
    name: string;
    store: OrderStateSnapshot;
    open: RestOrderFact[];
    unresolved: string[];
    orders: string[];
  }[] = [
    {
      name: 'the legacy echo of an unreadable id (btcidr-limit-0-1 answers as order 1) is not a new order',
      store: storeOf(newWithId('btcidr-limit-0-1', T)),
      open: [openFact('btcidr-limit-1')],
      unresolved: ['btcidr-limit-0-1'],
      orders: [],
    },
    {
      name: 'an answer whose own id cannot be read is reported, not folded',
      store: storeOf(newOrder({ orderId: 'btcidr-limit-5', transactionTime: T })),
      open: [openFact('btcidr-limit-5'), openFact('btcidr-limit-x-2')],
      unresolved: ['btcidr-limit-x-2'],
      orders: ['btcidr-limit-5'],
    },
    {
      name: 'and it goes on: a readable order born in the gap still arrives',
      store: storeOf(
        newWithId('btcidr-limit-0-1', T),
        newOrder({ orderId: 'btcidr-limit-5', transactionTime: T }),
      ),
      open: [openFact('btcidr-limit-1'), openFact('btcidr-limit-5'), openFact('btcidr-limit-9')],
      unresolved: ['btcidr-limit-0-1'],
      orders: ['btcidr-limit-5', 'btcidr-limit-9'],
    },
  ];
  it.each(rows)('$name', ({ store, open, unresolved, orders }) => {
    const f = findings(store, open);
    expect(f.unresolved).toEqual(unresolved);
    expect(f.orders.map((o) => o.orderId)).toEqual(orders);
    let after = store;
    for (const u of findingsToUpdates(f, store)) after = reduceOrderState(after, u);
    expect(after.orders.has('btcidr-limit-1')).toBe(false);
    expect(after.orders.has('btcidr-limit-x-2')).toBe(false);
  });
});

describe('against the fake exchange: a gap after an unreadable id', () => {
  let server: FakeServer;
  let client: PrivateClient | undefined;
  beforeEach(async () => {
    ({ server } = await startExchange());
  });
  afterEach(async () => {
    await client?.close();
    await server.close();
  });

  it('reports btcidr-limit-0-1 as unresolved in the reconciliation event and invents no btcidr-limit-1', async () => {
    client = createPrivateClient({ credentials: server.credentials, environment: server.environment });
    const events = client.reconciliation$.pipe(
      filter((e): e is Extract<ReconciliationEvent, { type: 'completed' }> => e.type === 'completed'),
      take(2),
      toArray(),
    );
    const done = firstValueFrom(events);
    const seen = firstValueFrom(client.orders$.pipe(filter((s) => s.orders.has('btcidr-limit-0-1'))));
    const sub = client.orders$.subscribe();
    await firstValueFrom(client.reconciliation$.pipe(filter((e) => e.type === 'completed')));
    server.publish(pushData(newWithId('btcidr-limit-0-1', Date.now())));
    await seen;
    server.disconnect(3001, 'gap');
    const [, afterGap] = await done;
    const store = await firstValueFrom(client.orders$);
    sub.unsubscribe();
    expect(afterGap?.reason).toBe('reconnect');
    expect(afterGap?.unresolved).toEqual(['btcidr-limit-0-1']);
    expect([...store.orders.keys()]).toEqual(['btcidr-limit-0-1']);
  });
});
