import { NEVER, VirtualAction, VirtualTimeScheduler, concat, map, of, type Observable } from 'rxjs';
import { pipelineFromChannel } from '../../lib/client';
import type { ChannelMessage } from '../../lib/protocol/messages';
import type { RestFillFact, RestOrderFact } from '../../lib/reconcile/facts';
import { knownOrdersOf } from '../../lib/reconcile/known';
import { reconciliation, type ReconciliationEvent } from '../../lib/reconcile/reconciler';
import type { ReconcileSource } from '../../lib/reconcile/source';

const HOUR = 3_600_000;
const T0 = 1_767_225_600_000;
/** One open SELL, partly filled, on one symbol: what the exchange says all hour. */
const open: RestOrderFact = {
  orderId: 'ethidr-limit-9',
  symbol: 'ethidr',
  side: 'SELL',
  price: '50000000',
  state: 'OPEN',
  origQty: '2',
  executedQty: '0.5',
  approximate: false,
  submitTime: T0 - 60_000,
};
const fillFact: RestFillFact = {
  tradeId: '77',
  orderId: open.orderId,
  symbol: 'ethidr',
  qty: '0.5',
  price: '50000000',
  commission: '100',
  commissionAsset: 'idr',
  isMaker: true,
  time: T0 - 30_000,
};

describe('a quiet connection over a simulated hour (issue 23, point 2)', () => {
  it('the whole client with the default check: at most one call a minute plus one full pass per 15 minutes, and no check claims a change', () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, T0 + HOUR);
    scheduler.frame = T0;
    const calls: string[] = [];
    const counted =
      <T>(name: string, answer: T) =>
      (): Observable<T> => {
        calls.push(name);
        return of(answer);
      };
    const source: ReconcileSource = {
      openOrders: counted('openOrders', [open]),
      closedOrders: counted('closedOrders', []),
      trades: counted('trades', [fillFact]),
    };
    // subscribed once, then nothing at all for an hour (the link stays up)
    const channel$: Observable<ChannelMessage> = concat(
      of<ChannelMessage>({ type: 'status', status: { state: 'subscribed', channel: 'c' } }),
      NEVER,
    );
    const client = pipelineFromChannel(channel$, {
      scheduler,
      reconciliation: (status$, state$) =>
        reconciliation(status$, { source, scheduler, known$: state$.pipe(map(knownOrdersOf)) }),
    });
    const events: ReconciliationEvent[] = [];
    const sub = client.reconciliation$.subscribe((e) => events.push(e));
    scheduler.flush();
    sub.unsubscribe();

    const completed = events.filter(
      (e): e is Extract<ReconciliationEvent, { type: 'completed' }> => e.type === 'completed',
    );
    const checks = completed.filter((e) => e.reason === 'check');
    expect(completed[0]).toMatchObject({ reason: 'start', changed: 2 }); // the order and its fill
    expect(checks).toHaveLength(60);
    expect(checks.filter((e) => e.full === true)).toHaveLength(4);
    expect(checks.map((e) => e.changed)).toEqual(checks.map(() => 0));
    // the start 3, 56 cheap checks × 1, 4 full passes × 3
    expect(calls).toHaveLength(71);
    expect(calls.filter((c) => c === 'openOrders')).toHaveLength(61);
    // the bound of point 2: one call a minute, plus one full pass (1 + 2 × 1 symbol) per 15 min
    expect(calls.length - 3).toBeLessThanOrEqual(60 + 4 * 2);
  });
});
