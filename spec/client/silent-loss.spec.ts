import { filter, firstValueFrom, timeout, type Subscription } from 'rxjs';
import { createPrivateClient, type PrivateClient } from '../../lib/client';
import type { ConnectionStatus } from '../../lib/protocol/messages';
import type { ReconciliationEvent } from '../../lib/reconcile/reconciler';
import { cancelled, done, fill, newOrder, pushData } from '../../lib/testing/builders';
import { foldOrderLog, type FakeRestControls } from '../../lib/testing/fake-rest';
import type { FakeServer } from '../../lib/testing/fake-server';
import { storeDifferences } from '../../lib/testing/store-check';
import { startExchange } from './exchange';

/**
 * Issue 23: pushes lost without a disconnect (Centrifugo delivers at most once). The server
 * applies them to the exchange's book but never sends them (`applyOffline`); the link stays
 * up. The check while connected must bring the store level with the exchange.
 */
describe('pushes lost without a disconnect: the check finds them (issue 23)', () => {
  let server: FakeServer;
  let rest: FakeRestControls;
  let client: PrivateClient;
  const subs: Subscription[] = [];
  afterEach(async () => {
    subs.forEach((s) => s.unsubscribe());
    await client.close();
    rest.release();
    await server.close();
  });

  it('fills and DONE of a known order, a new order, a SELL partial fill and a CANCEL: equal within 15 s, same connection', async () => {
    ({ server, rest } = await startExchange());
    client = createPrivateClient({
      credentials: server.credentials,
      environment: server.environment,
      reconcile: { checkEveryMs: 3_000, marginMs: 5_000 },
    });
    const events: ReconciliationEvent[] = [];
    const statuses: ConnectionStatus[] = [];
    subs.push(client.reconciliation$.subscribe((e) => events.push(e)));
    subs.push(client.status$.subscribe((s) => statuses.push(s)));
    let latest = await firstValueFrom(client.orders$);
    subs.push(client.orders$.subscribe((s) => (latest = s)));
    await server.until((s) => s.subscribed === 1);

    // pushed and received: A (BUY 3, one fill of 1), S (SELL 2), C (BUY 1)
    const t = Date.now();
    const A = { orderId: 'btcidr-limit-1', origQty: '3', transactionTime: t };
    const Sl = { orderId: 'ethidr-limit-2', side: 'SELL' as const, origQty: '2', transactionTime: t };
    const C = { orderId: 'btcidr-limit-3', origQty: '1', transactionTime: t };
    server.publish(pushData(newOrder(A), fill({ ...A, qty: '1', filledQty: '1', tradeId: '11' })));
    server.publish(pushData(newOrder(Sl), newOrder(C)));
    const equal = (): boolean => storeDifferences(latest, foldOrderLog(server.orderLog())).length === 0;
    await firstValueFrom(
      client.orders$.pipe(
        filter((s) => s.orders.size === 3 && equal()),
        timeout(5_000),
      ),
    );
    await firstValueFrom(
      client.reconciliation$.pipe(
        filter((e) => e.type === 'completed' && e.reason === 'start'),
        timeout(5_000),
      ),
    ).catch(() => undefined); // it may have completed already
    expect(events.some((e) => e.type === 'completed' && e.reason === 'start')).toBe(true);

    // lost: applied on the exchange, never pushed; no fault of any other kind
    const callsBefore = rest.calls.length;
    const lostAt = Date.now();
    server.applyOffline(fill({ ...A, qty: '1', filledQty: '2', tradeId: '12' }));
    server.applyOffline(fill({ ...A, qty: '1', filledQty: '3', tradeId: '13' }));
    server.applyOffline(done(A));
    server.applyOffline(newOrder({ orderId: 'usdtidr-limit-4', origQty: '5', transactionTime: t }));
    server.applyOffline(fill({ ...Sl, qty: '0.5', filledQty: '0.5', tradeId: '21' }));
    server.applyOffline(cancelled({ ...C, executedQty: '0' }));
    expect(equal()).toBe(false);

    await firstValueFrom(
      client.orders$.pipe(
        filter(() => equal()),
        timeout(15_000),
      ),
    ).catch(() => undefined);
    expect(storeDifferences(latest, foldOrderLog(server.orderLog()))).toEqual([]);
    const tookMs = Date.now() - lostAt;
    const calls = rest.calls.slice(callsBefore);

    // the same connection: no disconnect, one connection accepted
    expect(statuses.filter((s) => s.state === 'disconnected')).toEqual([]);
    expect(server.stats().connectionsAccepted).toBe(1);
    // the check that found it says so
    const found = events.find((e) => e.type === 'completed' && e.reason === 'check' && (e.changed ?? 0) > 0);
    expect(found).toBeDefined();
    expect(tookMs).toBeLessThan(15_000);
    // a handful of REST calls: the open orders, then the 3 disagreeing symbols' histories
    expect(calls.length).toBeLessThanOrEqual(10);
    process.stdout.write(
      `silent loss: equal after ${tookMs} ms, ${calls.length} REST calls (${calls.map((c) => c.endpoint).join(', ')}); ` +
        `check: ${JSON.stringify(found)}\n`,
    );
  }, 30_000);
});
