import { Observable, of, throwError } from 'rxjs';
import { reconcileOnce } from '../../lib/reconcile/plan';
import type { KnownOrder, RestFillFact, RestOrderFact } from '../../lib/reconcile/facts';
import type { ReconcileSource } from '../../lib/reconcile/source';

const order = (o: Partial<RestOrderFact> & Pick<RestOrderFact, 'orderId' | 'state'>): RestOrderFact => ({
  symbol: 'btcidr',
  side: 'BUY',
  price: '100',
  approximate: false,
  submitTime: 1_000,
  ...o,
});
const fill = (f: Partial<RestFillFact> & Pick<RestFillFact, 'tradeId' | 'orderId'>): RestFillFact => ({
  symbol: 'btcidr',
  qty: '1',
  price: '100',
  commission: '0.3',
  commissionAsset: 'idr',
  isMaker: false,
  time: 2_000,
  ...f,
});
const known = (k: Partial<KnownOrder> & Pick<KnownOrder, 'orderId'>): KnownOrder => ({
  symbol: 'btcidr',
  open: true,
  executedQty: '0',
  since: 1_000,
  tradeIds: new Set(),
  fillsQty: '0',
  ...k,
});

/** A source over fixed answers that records every call. */
function source(answers: {
  open: RestOrderFact[];
  closed?: Record<string, RestOrderFact[]>;
  fills?: Record<string, RestFillFact[]>;
}): ReconcileSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    openOrders: () => {
      calls.push('openOrders');
      return of(answers.open);
    },
    closedOrders: (symbol, start, end) => {
      calls.push(`closed:${symbol}:${start}-${end}`);
      return of(answers.closed?.[symbol] ?? []);
    },
    fills: (symbol, orderId) => {
      calls.push(`fills:${orderId}`);
      return of(answers.fills?.[orderId] ?? []);
    },
  };
}

const run = (src: ReconcileSource, k: KnownOrder[], from = 5_000, to = 9_000) => {
  let result: unknown;
  let error: unknown;
  reconcileOnce(src, k, { from, to }).subscribe({ next: (r) => (result = r), error: (e) => (error = e) });
  if (error) throw error;
  return result as ReturnType<typeof reconcileOnce> extends Observable<infer R> ? R : never;
};

describe('reconcileOnce', () => {
  it('finds what became of an order that vanished from the open orders, and its new fills', () => {
    const src = source({
      open: [],
      closed: {
        btcidr: [
          order({
            orderId: 'btcidr-limit-1',
            state: 'FILLED',
            origQty: '2',
            executedQty: '2',
            finishTime: 6_000,
          }),
        ],
      },
      fills: {
        'btcidr-limit-1': [
          fill({ tradeId: 't1', orderId: 'btcidr-limit-1' }),
          fill({ tradeId: 't2', orderId: 'btcidr-limit-1' }),
        ],
      },
    });
    const r = run(src, [
      known({ orderId: 'btcidr-limit-1', executedQty: '1', fillsQty: '1', tradeIds: new Set(['t1']) }),
    ]);
    expect(r.orders.map((o) => [o.orderId, o.state])).toEqual([['btcidr-limit-1', 'FILLED']]);
    expect(r.fills.map((f) => f.tradeId)).toEqual(['t2']);
    expect(r.unresolved).toEqual([]);
    // 1 openOrders + 1 symbol + 1 order with fills
    expect(r.calls).toBe(3);
    expect(src.calls).toEqual(['openOrders', 'closed:btcidr:1000-9000', 'fills:btcidr-limit-1']);
  });

  it('finds orders born and ended in the gap on a recent symbol, and orders open before the start', () => {
    const src = source({
      open: [
        order({ orderId: 'ethidr-limit-9', symbol: 'ethidr', state: 'OPEN', origQty: '1', executedQty: '0' }),
      ],
      closed: {
        btcidr: [
          order({
            orderId: 'btcidr-limit-5',
            state: 'CANCELLED',
            origQty: '1',
            executedQty: '0',
            submitTime: 5_500,
            finishTime: 6_000,
          }),
          order({
            orderId: 'btcidr-limit-0',
            state: 'CANCELLED',
            executedQty: '0',
            submitTime: 10,
            finishTime: 20,
          }),
        ],
      },
    });
    const r = run(src, [known({ orderId: 'btcidr-limit-2', open: false, since: 8_000 })]);
    expect(r.orders.map((o) => o.orderId).sort()).toEqual(['btcidr-limit-5', 'ethidr-limit-9']);
    expect(src.calls).toContain('closed:ethidr:5000-9000');
  });

  it('leaves unchanged orders alone and names the ones no answer accounts for', () => {
    const src = source({ open: [order({ orderId: 'btcidr-limit-3', state: 'OPEN', executedQty: '0' })] });
    const r = run(src, [known({ orderId: 'btcidr-limit-3' }), known({ orderId: 'btcidr-limit-4' })]);
    expect(r.orders).toEqual([]);
    expect(r.unresolved).toEqual(['btcidr-limit-4']);
  });

  it('asks for the fills of a legacy open BUY, whose executed quantity only fills can tell', () => {
    const src = source({
      open: [order({ orderId: 'btcidr-limit-7', state: 'OPEN', approximate: true, origQty: '0.5' })],
      fills: { 'btcidr-limit-7': [fill({ tradeId: 't9', orderId: 'btcidr-limit-7', qty: '0.1' })] },
    });
    const r = run(src, []);
    expect(r.fills.map((f) => f.tradeId)).toEqual(['t9']);
  });

  it('fails as a whole when a call fails (the reconciler retries it)', () => {
    const src = source({ open: [] });
    src.openOrders = () => throwError(() => new Error('HTTP 503'));
    expect(() => run(src, [])).toThrow('HTTP 503');
  });

  it('fetches the fills of an order whose end the store knows but whose fills it lacks', () => {
    // pushes after the reconnect delivered DONE (executed 2) and one fill of 1: a fill of 1 is missing
    const src = source({
      open: [],
      closed: {
        btcidr: [
          order({
            orderId: 'btcidr-limit-8',
            state: 'FILLED',
            origQty: '2',
            executedQty: '2',
            finishTime: 6_000,
          }),
        ],
      },
      fills: {
        'btcidr-limit-8': [
          fill({ tradeId: 'a', orderId: 'btcidr-limit-8' }),
          fill({ tradeId: 'b', orderId: 'btcidr-limit-8' }),
        ],
      },
    });
    const r = run(src, [
      known({
        orderId: 'btcidr-limit-8',
        open: false,
        executedQty: '2',
        fillsQty: '1',
        since: 8_500,
        tradeIds: new Set(['b']),
      }),
    ]);
    expect(r.fills.map((f) => f.tradeId)).toEqual(['a']);
  });
});
