import {
  createOrderState,
  initialOrderState,
  orderUpdateOf,
  reduceOrderState,
  restOnlyFill,
  type OrderStateSnapshot,
  type OrderUpdate,
} from '../../lib/orders';
import { cancelled, done, fill, newOrder, orderLifecycle, rejected } from '../../lib/testing/builders';
import { updateOf } from '../../lib/testing/marbles';
import { deepFreeze } from './freeze';

const fold = (updates: readonly OrderUpdate[], start: OrderStateSnapshot = initialOrderState) =>
  updates.reduce((s, u) => deepFreeze(reduceOrderState(s, u)), deepFreeze(start));
const ws = (...items: unknown[]) => items.map((i) => deepFreeze(updateOf(i)));
const ID = 'btcidr-limit-1';

describe('reduceOrderState', () => {
  const [n, f1, f2, d] = ws(...orderLifecycle({ orderId: ID, origQty: '0.01', fills: ['0.004', '0.006'] }));

  it('tracks a lifecycle: status, quantities, fills by tradeId, exact totals, first/last seen', () => {
    const s = fold([n!, f1!, f2!, d!]);
    const o = s.orders.get(ID)!;
    expect(o).toMatchObject({
      status: 'DONE',
      executedQty: '0.01',
      unfilledQty: '0',
      fillsQty: '0.01',
      firstSeen: n!.order.transactionTime,
      lastSeen: f2!.order.transactionTime,
      approximate: false,
      source: 'ws',
    });
    expect([...o.fills.keys()].sort()).toEqual(
      [f1, f2].map((u) => (u!.order as { tradeId: string }).tradeId).sort(),
    );
    // 0.004 × 1e9 = 4 000 000 IDR: fee 0.002 → 8000, tax 0.0012 → 4800, clearing 0.000222 → 888; 0.006: 12000/7200/1332
    expect(o.totals).toEqual({ fee: { idr: '20000' }, tax: { idr: '12000' }, clearing: { idr: '2220' } });
    expect(s).toMatchObject({ openCount: 0, terminalCount: 1, version: 4, time: f2!.order.transactionTime });
  });

  it('returns the same state for a duplicate, a stale lower status and a late duplicate fill', () => {
    const s = fold([n!, f1!, f2!, d!]);
    expect(reduceOrderState(s, d!)).toBe(s);
    expect(reduceOrderState(s, n!)).toBe(s);
    expect(reduceOrderState(s, f1!)).toBe(s);
    expect(reduceOrderState(s, f2!)).toBe(s);
    const mid = fold([n!, f2!]);
    expect(reduceOrderState(mid, f2!)).toBe(mid);
  });

  it('counts a fill that arrives after the terminal event, without changing the status', () => {
    const s = fold([n!, f1!, d!, f2!]);
    const o = s.orders.get(ID)!;
    expect(o.status).toBe('DONE');
    expect(o.fills.size).toBe(2);
    expect(o.fillsQty).toBe('0.01');
  });

  it('at equal rank keeps the larger cumulative executedQty', () => {
    const s = fold([n!, f2!, f1!]);
    expect(s.orders.get(ID)!.executedQty).toBe('0.01');
    expect(s.orders.get(ID)!.unfilledQty).toBe('0');
  });

  it('keeps cancelReason of a CANCELLED and counts open and terminal orders', () => {
    const s = fold(
      ws(
        newOrder({ orderId: 'btcidr-limit-91' }),
        newOrder({ orderId: 'btcidr-limit-92' }),
        cancelled({ orderId: 'btcidr-limit-91', cancelReason: 'SELF_TRADE_PREVENTION' }),
        rejected({ orderId: 'btcidr-limit-93' }),
      ),
    );
    expect(s.orders.get('btcidr-limit-91')).toMatchObject({
      status: 'CANCELLED',
      cancelReason: 'SELF_TRADE_PREVENTION',
    });
    expect(s).toMatchObject({ openCount: 1, terminalCount: 2 });
  });

  it('never lets a lower rank replace a higher one, and a terminal order never reopens', () => {
    const s = fold(
      ws(cancelled({ orderId: ID }), newOrder({ orderId: ID }), fill({ orderId: ID, qty: '0.001' })),
    );
    expect(s.orders.get(ID)!.status).toBe('CANCELLED');
    expect(s.orders.get(ID)!.fills.size).toBe(1);
    expect(s.openCount).toBe(0);
  });

  describe('the REST contract', () => {
    const fields = (u: OrderUpdate) => {
      const { status: _s, tradeId: _t, fillInformation: _f, ...rest } = u.order as Record<string, unknown>;
      return rest as Parameters<typeof restOnlyFill>[0];
    };
    const pushed = f1 as Extract<OrderUpdate, { status: 'FILL' }>;
    const rest = deepFreeze(
      restOnlyFill(fields(pushed), {
        tradeId: pushed.order.tradeId,
        qty: '0.004',
        commission: '12800',
        commissionAsset: 'IDR',
        isMaker: false,
      }),
    );

    it('a REST-only fill counts its commission as fee, marked without breakdown', () => {
      const s = fold([n!, rest]);
      const o = s.orders.get(ID)!;
      expect(o.fills.get(pushed.order.tradeId)).toMatchObject({
        hasBreakdown: false,
        fee: '12800',
        source: 'rest',
      });
      expect(o.totals).toEqual({ fee: { idr: '12800' }, tax: {}, clearing: {} });
    });

    it('a later push of the same tradeId replaces the REST amounts exactly', () => {
      const s = fold([n!, rest, pushed]);
      const o = s.orders.get(ID)!;
      expect(o.fills.get(pushed.order.tradeId)).toMatchObject({
        hasBreakdown: true,
        fee: '8000',
        source: 'ws',
      });
      expect(o.totals).toEqual({ fee: { idr: '8000' }, tax: { idr: '4800' }, clearing: { idr: '888' } });
      expect(o.fillsQty).toBe('0.004');
    });

    it('a REST fill after the push changes nothing', () => {
      const s = fold([n!, pushed]);
      expect(reduceOrderState(s, rest)).toBe(s);
    });

    it('approximate quantities are flagged, replaced by any exact update, never overwrite exact ones', () => {
      const approx = deepFreeze(
        orderUpdateOf(
          { ...n!.order, origQty: '0.0099', unfilledQty: '0.0099' } as NonNullable<typeof n>['order'],
          'rest',
          {
            approximate: true,
          },
        ),
      );
      const a = fold([approx]);
      expect(a.orders.get(ID)).toMatchObject({ approximate: true, origQty: '0.0099' });
      const exact = fold([approx, n!]);
      expect(exact.orders.get(ID)).toMatchObject({ approximate: false, origQty: '0.01', source: 'ws' });
      const kept = fold([n!]);
      expect(reduceOrderState(kept, approx)).toBe(kept);
      expect(fold([approx, f1!]).orders.get(ID)).toMatchObject({ approximate: false, status: 'FILL' });
    });

    it('a lower-ranked exact update corrects approximate quantities but not the status', () => {
      const approxFill = deepFreeze(
        orderUpdateOf(
          { ...f1!.order, origQty: '0.0099', executedQty: '0.0041', unfilledQty: '0.0058' } as NonNullable<
            typeof f1
          >['order'],
          'rest',
          {
            approximate: true,
          },
        ),
      );
      const s = fold([approxFill, n!]);
      expect(s.orders.get(ID)).toMatchObject({
        status: 'FILL',
        approximate: false,
        origQty: '0.01',
        executedQty: '0',
        unfilledQty: '0.01',
      });
      expect(reduceOrderState(s, n!)).toBe(s);
    });

    it('a REST update of equal rank and quantity does not displace a push; a REST terminal completes it', () => {
      const s = fold([n!]);
      expect(reduceOrderState(s, orderUpdateOf(n!.order, 'rest'))).toBe(s);
      const finished = fold([n!, f1!, f2!, orderUpdateOf(d!.order, 'rest')]);
      expect(finished.orders.get(ID)).toMatchObject({ status: 'DONE', source: 'rest' });
    });
  });

  describe('retention', () => {
    const terminalOrder = (i: number) =>
      ws(
        newOrder({ orderId: `btcidr-limit-${i}`, transactionTime: i * 1000 }),
        done({ orderId: `btcidr-limit-${i}`, transactionTime: i * 1000 }),
      );

    it('keeps at most maxTerminalOrders terminal orders, oldest evicted first, never an open one', () => {
      const start = createOrderState({ maxTerminalOrders: 2 });
      const s = fold(
        [
          ...ws(newOrder({ orderId: 'btcidr-limit-100', transactionTime: 1 })),
          ...[1, 2, 3, 4].flatMap(terminalOrder),
        ],
        start,
      );
      expect([...s.orders.keys()].sort()).toEqual(['btcidr-limit-100', 'btcidr-limit-3', 'btcidr-limit-4']);
      expect(s).toMatchObject({ openCount: 1, terminalCount: 2 });
    });

    it('evicts terminal orders older than terminalTtlMs on the store clock, and ignores late updates of evicted ones', () => {
      const start = createOrderState({ terminalTtlMs: 1500 });
      const s = fold([1, 2, 3].flatMap(terminalOrder), start);
      expect([...s.orders.keys()].sort()).toEqual(['btcidr-limit-2', 'btcidr-limit-3']);
      expect(reduceOrderState(s, ws(fill({ orderId: 'btcidr-limit-1', transactionTime: 9e9 }))[0]!)).toBe(s);
      const open = fold(
        ws(
          newOrder({ orderId: 'btcidr-limit-201', transactionTime: 1 }),
          newOrder({ orderId: 'btcidr-limit-202', transactionTime: 1e9 }),
        ),
        start,
      );
      expect(open.orders.size).toBe(2);
    });

    it('keeps older snapshots unchanged (persistence)', () => {
      const a = fold(ws(newOrder({ orderId: 'btcidr-limit-91' })));
      const b = reduceOrderState(a, ws(newOrder({ orderId: 'btcidr-limit-92' }))[0]!);
      expect(a.orders.size).toBe(1);
      expect(b.orders.size).toBe(2);
      expect(a.orders.has('btcidr-limit-92')).toBe(false);
    });
  });
});
