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
  time: 6_000,
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

/** A source over fixed answers that records every call; `trades` filters by symbol, time and order. */
function source(answers: {
  open: RestOrderFact[];
  closed?: Record<string, RestOrderFact[]>;
  fills?: RestFillFact[];
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
    trades: (symbol, start, orderId) => {
      calls.push(`trades:${symbol}:${start}${orderId ? `:${orderId}` : ''}`);
      return of(
        (answers.fills ?? []).filter(
          (f) => f.symbol === symbol && f.time >= start && (!orderId || f.orderId === orderId),
        ),
      );
    },
  };
}

const run = (src: ReconcileSource, k: KnownOrder[], from = 5_000, to = 9_000, maxLookbackMs?: number) => {
  let result: unknown;
  let error: unknown;
  reconcileOnce(src, k, { from, to }, maxLookbackMs === undefined ? {} : { maxLookbackMs }).subscribe({
    next: (r) => (result = r),
    error: (e) => (error = e),
  });
  if (error) throw error;
  return result as ReturnType<typeof reconcileOnce> extends Observable<infer R> ? R : never;
};

describe('reconcileOnce (per symbol and window)', () => {
  it('reads each symbol once for histories and once for trades, however many orders it has', () => {
    const open = Array.from({ length: 50 }, (_, i) =>
      order({ orderId: `btcidr-limit-${i}`, state: 'OPEN', origQty: '1', executedQty: '0' }),
    );
    const src = source({
      open: [...open, order({ orderId: 'ethidr-limit-1', symbol: 'ethidr', state: 'OPEN' })],
    });
    const r = run(src, []);
    expect(src.calls).toEqual([
      'openOrders',
      'closed:btcidr:5000-9000',
      'trades:btcidr:5000',
      'closed:ethidr:5000-9000',
      'trades:ethidr:5000',
    ]);
    expect(r.calls).toBe(5);
    expect(r.orders).toHaveLength(51);
  });

  it('finds what became of an order that vanished, from its first sighting, and the fills of the gap', () => {
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
      fills: [
        fill({ tradeId: 't1', orderId: 'btcidr-limit-1', time: 2_000 }),
        fill({ tradeId: 't2', orderId: 'btcidr-limit-1', time: 6_000 }),
      ],
    });
    const r = run(src, [
      known({ orderId: 'btcidr-limit-1', executedQty: '1', fillsQty: '1', tradeIds: new Set(['t1']) }),
    ]);
    expect(r.orders.map((o) => [o.orderId, o.state])).toEqual([['btcidr-limit-1', 'FILLED']]);
    expect(r.fills.map((f) => f.tradeId)).toEqual(['t2']);
    expect(r.unresolved).toEqual([]);
    expect(src.calls).toEqual(['openOrders', 'closed:btcidr:1000-9000', 'trades:btcidr:5000']);
  });

  it('fetches the earlier fills of an open order whose store fills fall short of its executedQty (issue 11, problem 2)', () => {
    // the store learned executedQty 3 from a later push, but holds one fill of 1
    const src = source({
      open: [order({ orderId: 'btcidr-limit-2', state: 'OPEN', origQty: '5', executedQty: '3' })],
      fills: ['a', 'b', 'c'].map((id, i) =>
        fill({ tradeId: id, orderId: 'btcidr-limit-2', time: 2_000 + i }),
      ),
    });
    const r = run(src, [
      known({ orderId: 'btcidr-limit-2', executedQty: '3', fillsQty: '1', tradeIds: new Set(['c']) }),
    ]);
    expect(src.calls).toContain('trades:btcidr:1000:btcidr-limit-2');
    expect(r.fills.map((f) => f.tradeId).sort()).toEqual(['a', 'b', 'c']);
  });

  it('fetches the fills of an order the exchange says executed more than the fills known', () => {
    const src = source({
      open: [
        order({
          orderId: 'btcidr-limit-3',
          state: 'OPEN',
          origQty: '5',
          executedQty: '2',
          submitTime: 3_000,
        }),
      ],
      fills: [
        fill({ tradeId: 'x', orderId: 'btcidr-limit-3', time: 4_000 }),
        fill({ tradeId: 'y', orderId: 'btcidr-limit-3', time: 6_000 }),
      ],
    });
    const r = run(src, []);
    expect(src.calls).toContain('trades:btcidr:3000:btcidr-limit-3');
    expect(r.fills.map((f) => f.tradeId).sort()).toEqual(['x', 'y']);
  });

  it('asks for nothing more when the fills add up', () => {
    const src = source({
      open: [order({ orderId: 'btcidr-limit-4', state: 'OPEN', origQty: '5', executedQty: '1' })],
      fills: [fill({ tradeId: 'z', orderId: 'btcidr-limit-4' })],
    });
    run(src, [known({ orderId: 'btcidr-limit-4' })]);
    expect(src.calls.filter((c) => c.endsWith('btcidr-limit-4'))).toEqual([]);
  });

  it('never looks back past its bound, whatever the store holds (since 0 or −Infinity)', () => {
    const to = 100 * 86_400_000;
    const src = source({ open: [] });
    const r = run(
      src,
      [
        known({ orderId: 'btcidr-limit-5', since: 0 }),
        known({
          orderId: 'ethidr-limit-6',
          symbol: 'ethidr',
          since: Number.NEGATIVE_INFINITY,
          executedQty: '1',
        }),
      ],
      Number.NEGATIVE_INFINITY,
      to,
      3_600_000,
    );
    const bound = to - 3_600_000;
    expect(src.calls).toEqual([
      'openOrders',
      `closed:btcidr:${bound}-${to}`,
      `trades:btcidr:${bound}`,
      `closed:ethidr:${bound}-${to}`,
      `trades:ethidr:${bound}`,
      `trades:ethidr:${bound}:ethidr-limit-6`,
    ]);
    expect(r.window).toEqual({ from: bound, to });
  });

  it('finds orders born and ended in the gap on a recent symbol, and names the ones no answer accounts for', () => {
    const src = source({
      open: [],
      closed: {
        btcidr: [
          order({
            orderId: 'btcidr-limit-7',
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
    const r = run(src, [known({ orderId: 'btcidr-limit-8', open: true, since: 8_000 })]);
    expect(r.orders.map((o) => o.orderId)).toEqual(['btcidr-limit-7']);
    expect(r.unresolved).toEqual(['btcidr-limit-8']);
  });

  it('asks for the fills of a legacy open BUY whose estimate the known fills do not explain', () => {
    const src = source({
      open: [
        order({
          orderId: 'btcidr-limit-9',
          state: 'OPEN',
          approximate: true,
          origQty: '0.5',
          estimatedExecutedQty: '0.1',
        }),
      ],
      fills: [fill({ tradeId: 't9', orderId: 'btcidr-limit-9', qty: '0.1', time: 2_000 })],
    });
    const r = run(src, []);
    expect(src.calls).toContain('trades:btcidr:1000:btcidr-limit-9');
    expect(r.fills.map((f) => f.tradeId)).toEqual(['t9']);
  });

  it('does not refetch a legacy open BUY whose fills, read after the estimate, exceed it', () => {
    const src = source({
      open: [
        order({
          orderId: 'btcidr-limit-10',
          state: 'OPEN',
          approximate: true,
          origQty: '0.5',
          estimatedExecutedQty: '0.1',
        }),
      ],
      fills: [
        fill({ tradeId: 'u', orderId: 'btcidr-limit-10', qty: '0.1', time: 6_000 }),
        fill({ tradeId: 'v', orderId: 'btcidr-limit-10', qty: '0.1', time: 8_000 }),
      ],
    });
    run(src, []);
    expect(src.calls.filter((c) => c.endsWith('btcidr-limit-10'))).toEqual([]);
  });

  it('fails as a whole when a call fails (the reconciler retries it)', () => {
    const src = source({ open: [] });
    src.openOrders = () => throwError(() => new Error('HTTP 503'));
    expect(() => run(src, [])).toThrow('HTTP 503');
  });
});
