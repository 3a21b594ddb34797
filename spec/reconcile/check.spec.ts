import { Subject, VirtualAction, VirtualTimeScheduler, firstValueFrom, of } from 'rxjs';
import { checkOnce, disagreements } from '../../lib/reconcile/check';
import type { KnownOrder, RestOrderFact } from '../../lib/reconcile/facts';
import { reconciliation, type ReconciliationEvent } from '../../lib/reconcile/reconciler';
import type { ReconcileSource } from '../../lib/reconcile/source';
import type { ConnectionStatus } from '../../lib/protocol/messages';

const S: ConnectionStatus = { state: 'subscribed', channel: 'c' };
const known = (orderId: string, symbol: string, executedQty: string, open = true): KnownOrder => ({
  orderId,
  symbol,
  open,
  executedQty,
  since: 0,
  tradeIds: new Set(),
  fillsQty: executedQty === '0' ? '0' : executedQty,
});
const openFact = (orderId: string, symbol: string, executedQty: string): RestOrderFact => ({
  orderId,
  symbol,
  side: 'SELL',
  price: '1',
  state: 'OPEN',
  origQty: '10',
  executedQty,
  approximate: false,
  submitTime: 0,
});

/** A source that counts its calls per endpoint; the exchange agrees with `known` below. */
function countingSource(open: readonly RestOrderFact[]): {
  source: ReconcileSource;
  calls: Record<string, number>;
} {
  const calls: Record<string, number> = { openOrders: 0, closedOrders: 0, trades: 0 };
  return {
    calls,
    source: {
      openOrders: () => {
        calls.openOrders = (calls.openOrders ?? 0) + 1;
        return of(open);
      },
      closedOrders: () => {
        calls.closedOrders = (calls.closedOrders ?? 0) + 1;
        return of([]);
      },
      trades: () => {
        calls.trades = (calls.trades ?? 0) + 1;
        return of([]);
      },
    },
  };
}

describe('disagreements (table)', () => {
  const rows: readonly {
    readonly name: string;
    readonly open: readonly RestOrderFact[];
    readonly known: readonly KnownOrder[];
    readonly symbols: readonly string[];
  }[] = [
    {
      name: 'equal: none',
      open: [openFact('btcidr-limit-1', 'btcidr', '1')],
      known: [known('btcidr-limit-1', 'btcidr', '1'), known('ethidr-limit-2', 'ethidr', '2', false)],
      symbols: [],
    },
    {
      name: 'open in the store, not on the exchange (its DONE or CANCEL was lost)',
      open: [],
      known: [known('btcidr-limit-1', 'btcidr', '1')],
      symbols: ['btcidr'],
    },
    {
      name: 'open on the exchange, unknown to the store',
      open: [openFact('usdtidr-limit-3', 'usdtidr', '0')],
      known: [],
      symbols: ['usdtidr'],
    },
    {
      name: 'open on both, other executed quantity (a fill was lost)',
      open: [openFact('ethidr-limit-4', 'ethidr', '0.5')],
      known: [known('ethidr-limit-4', 'ethidr', '0')],
      symbols: ['ethidr'],
    },
    {
      name: 'open on the exchange, ended in the store',
      open: [openFact('btcidr-limit-1', 'btcidr', '1')],
      known: [known('btcidr-limit-1', 'btcidr', '1', false)],
      symbols: ['btcidr'],
    },
  ];
  it.each(rows)('$name', ({ open, known: k, symbols }) => {
    expect([...disagreements(open, k)].sort()).toEqual(symbols);
  });
});

describe('checkOnce', () => {
  it('equal: one call and nothing to fold', async () => {
    const { source, calls } = countingSource([openFact('btcidr-limit-1', 'btcidr', '1')]);
    const f = await firstValueFrom(
      checkOnce(source, [known('btcidr-limit-1', 'btcidr', '1')], { from: 0, to: 10 }),
    );
    expect(f).toMatchObject({ orders: [], fills: [], unresolved: [], calls: 1 });
    expect(calls).toEqual({ openOrders: 1, closedOrders: 0, trades: 0 });
  });

  it('reads the histories of the disagreeing symbols only', async () => {
    const { source, calls } = countingSource([
      openFact('btcidr-limit-1', 'btcidr', '1'),
      openFact('ethidr-limit-4', 'ethidr', '0.5'),
    ]);
    const store = [known('btcidr-limit-1', 'btcidr', '1'), known('ethidr-limit-4', 'ethidr', '0')];
    const f = await firstValueFrom(checkOnce(source, store, { from: 0, to: 10 }));
    // openOrders, then closedOrders + trades of ethidr; s-4's fills still fall short: its whole life
    expect(calls).toEqual({ openOrders: 1, closedOrders: 1, trades: 2 });
    expect(f.calls).toBe(4);
    expect(f.orders.map((o) => o.orderId)).toEqual(['btcidr-limit-1', 'ethidr-limit-4']);
  });
});

describe('the check over a quiet hour (virtual time)', () => {
  const HOUR = 3_600_000;
  /** Runs reconciliation for an hour after one `subscribed`, the exchange agreeing with the store. */
  function quietHour(options: { checkEveryMs?: number; checkPhaseMs?: number }): {
    calls: Record<string, number>;
    events: ReconciliationEvent[];
  } {
    const scheduler = new VirtualTimeScheduler(VirtualAction, HOUR);
    const status$ = new Subject<ConnectionStatus>();
    const { source, calls } = countingSource([openFact('btcidr-limit-1', 'btcidr', '1')]);
    const events: ReconciliationEvent[] = [];
    const sub = reconciliation(status$, {
      source,
      known$: of([known('btcidr-limit-1', 'btcidr', '1')]),
      scheduler,
      ...options,
    }).subscribe((o) => {
      if (o.kind === 'event') events.push(o.event);
    });
    status$.next(S);
    scheduler.flush();
    sub.unsubscribe();
    return { calls, events };
  }

  it('with the defaults: one open-orders read a minute, one full pass per 15 minutes, nothing more', () => {
    const { calls, events } = quietHour({});
    const checks = events.filter((e) => e.type === 'completed' && e.reason === 'check');
    const full = checks.filter((e) => e.type === 'completed' && e.full === true);
    expect(checks).toHaveLength(60);
    expect(full).toHaveLength(4);
    // the start (1 + 2 for its symbol), 56 cheap checks (1 each), 4 full passes (1 + 2 each)
    expect(calls).toEqual({ openOrders: 61, closedOrders: 5, trades: 5 });
    const total = (calls.openOrders ?? 0) + (calls.closedOrders ?? 0) + (calls.trades ?? 0);
    expect(total).toBe(71);
    expect(events.filter((e) => e.type === 'failed')).toEqual([]);
  });

  it('a phase shifts the grid, not the cost', () => {
    const { calls, events } = quietHour({ checkPhaseMs: 17_000 });
    const starts = events.filter((e) => e.type === 'started' && e.reason === 'check');
    // the slot at 17 s is skipped: the start read landed under half a period before it
    expect(starts[0]).toMatchObject({ to: 77_000 });
    expect(starts[1]).toMatchObject({ to: 137_000 });
    expect(calls.openOrders).toBe(60);
  });

  it('checkEveryMs: 0 turns it off: only the start reads', () => {
    const { calls } = quietHour({ checkEveryMs: 0 });
    expect(calls).toEqual({ openOrders: 1, closedOrders: 1, trades: 1 });
  });
});
