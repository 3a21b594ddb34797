import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { createPrivateClient, type PrivateClient } from '../../lib/client';
import type { ReconciliationEvent } from '../../lib/reconcile/reconciler';
import type { FakeRestControls } from '../../lib/testing/fake-rest';
import type { FakeServer } from '../../lib/testing/fake-server';
import { fill, newOrder, pushData } from '../../lib/testing/builders';
import { startExchange } from './exchange';

const completed = (c: PrivateClient) =>
  firstValueFrom(
    c.reconciliation$.pipe(
      filter((e): e is Extract<ReconciliationEvent, { type: 'completed' }> => e.type === 'completed'),
    ),
  );

describe('reconciliation modes against the fake exchange', () => {
  let server: FakeServer;
  let rest: FakeRestControls;
  let client: PrivateClient | undefined;
  beforeEach(async () => {
    ({ server, rest } = await startExchange());
    // an open BUY placed before the client starts, partly filled: the legacy answer quotes it in IDR
    const spec = {
      orderId: 'btcidr-limit-7',
      origQty: '0.49834378',
      price: '1500000000',
      transactionTime: Date.now() - 5_000,
    };
    server.applyOffline(newOrder(spec));
    server.applyOffline(
      fill({ ...spec, qty: '0.1', filledQty: '0.1', tradeId: '900', transactionTime: Date.now() - 4_000 }),
    );
  });
  afterEach(async () => {
    await client?.close();
    await server.close();
  });

  it('with the "api" flavor, open orders come from its own endpoint: exact, never approximate (issue 11, problem 3)', async () => {
    const v2Credentials = server.addKey(server.account);
    client = createPrivateClient({
      credentials: server.credentials,
      environment: server.environment,
      reconcile: { tradeApi: { v2Flavor: 'api', v2Credentials, apiV2BaseUrl: server.restBaseUrl } },
    });
    const done = completed(client);
    const sub = client.orders$.subscribe();
    await done;
    const order = (await firstValueFrom(client.orders$)).orders.get('btcidr-limit-7');
    sub.unsubscribe();
    expect(order).toMatchObject({
      approximate: false,
      origQty: '0.49834378',
      executedQty: '0.1',
      fillsQty: '0.1',
    });
    expect(rest.calls.filter((c) => c.endpoint === 'openOrders').map((c) => c.surface)).toEqual(['api']);
  });

  it('with the default (legacy) open orders the same BUY is an estimate, for contrast', async () => {
    client = createPrivateClient({ credentials: server.credentials, environment: server.environment });
    const done = completed(client);
    const sub = client.orders$.subscribe();
    await done;
    const order = (await firstValueFrom(client.orders$)).orders.get('btcidr-limit-7');
    sub.unsubscribe();
    expect(order?.approximate).toBe(true);
    expect(rest.calls.filter((c) => c.endpoint === 'openOrders').map((c) => c.surface)).toEqual(['legacy']);
  });

  it('a key without trade-read permission: one terminal failed naming it, no retry, the WebSocket goes on (issue 13, item 6)', async () => {
    rest.failNext(50, { status: 401, code: 'invalid_credentials' });
    client = createPrivateClient({
      credentials: server.credentials,
      environment: server.environment,
      reconnect: { minDelayMs: 10, maxDelayMs: 20 },
      reconcile: { minDelayMs: 10, maxDelayMs: 20 },
    });
    const events: ReconciliationEvent[] = [];
    const sub = client.reconciliation$.subscribe((e) => events.push(e));
    const updates = firstValueFrom(client.orderUpdates$.pipe(take(1), toArray()));
    await server.until((s) => s.subscribed === 1);
    // a reconnect would start another reconciliation if it were not stopped
    server.disconnect(3001, 'shutdown');
    await server.until((s) => s.subscribed === 1 && s.connectionsAccepted === 2);
    server.publish(pushData(newOrder({ orderId: 'btcidr-limit-8', origQty: '1' })));
    expect((await updates).map((u) => u.order.orderId)).toEqual(['btcidr-limit-8']);
    sub.unsubscribe();
    expect(events.map((e) => e.type)).toEqual(['started', 'failed']);
    expect(events[1]).toMatchObject({ type: 'failed', terminal: true });
    expect((events[1] as { reason: string }).reason).toMatch(/trade-read/);
    expect(rest.calls).toHaveLength(1);
  });
});
