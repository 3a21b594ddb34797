import { filter, firstValueFrom, type Subscription } from 'rxjs';
import type { FakeServer } from '../../lib/testing/fake-server';
import { fill, newOrder } from '../../lib/testing/builders';
import { withFakeIndodax } from '../../lib/testing/with-fake-indodax';

// Loopback only: the fake listens on 127.0.0.1.
const fast = {
  tradeApi: { rateLimits: { legacy: { perSecond: 50 }, tapi: { perSecond: 50 }, api: { perSecond: 50 } } },
};

describe('withFakeIndodax', () => {
  it('hands the test a client already subscribed to the fake, and returns what the test returns', async () => {
    const status = await withFakeIndodax(async ({ server, client }) => {
      expect(server.stats().subscribed).toBe(1);
      const first = firstValueFrom(client.orderUpdates$);
      server.publish([newOrder({ orderId: 'btcidr-limit-1' })]);
      return (await first).status;
    });
    expect(status).toBe('NEW');
  });

  it('with reconcile: false and rest: false, starts without a REST API and without waiting for a reconciliation', async () => {
    const seen = await withFakeIndodax(
      async ({ server, client, rest }) => {
        expect(rest).toBeUndefined();
        const first = firstValueFrom(client.byStatus.NEW);
        server.publish([newOrder({ orderId: 'btcidr-limit-2' })]);
        return (await first).order.orderId;
      },
      { client: { reconcile: false }, rest: false },
    );
    expect(seen).toBe('btcidr-limit-2');
  });

  it('tears both down after the test: streams the test left open complete, no socket stays open', async () => {
    let server: FakeServer | undefined;
    let left: Subscription | undefined;
    let completed = false;
    await withFakeIndodax(async (fake) => {
      server = fake.server;
      left = fake.client.status$.subscribe({ complete: () => (completed = true) });
      fake.client.byStatus.FILL.subscribe();
    });
    expect(completed).toBe(true);
    expect(left?.closed).toBe(true);
    expect(server?.stats().openSockets).toBe(0);
  });

  it('tears down also when the test throws, and rethrows its error', async () => {
    let server: FakeServer | undefined;
    let completed = false;
    await expect(
      withFakeIndodax(({ server: s, client }) => {
        server = s;
        client.orders$.subscribe({ complete: () => (completed = true) });
        throw new Error('strategy broke');
      }),
    ).rejects.toThrow('strategy broke');
    expect(completed).toBe(true);
    expect(server?.stats().openSockets).toBe(0);
  });

  it('reconciles a short gap against the fake REST API in a few calls (builders default to now)', async () => {
    await withFakeIndodax(
      async ({ server, client, rest }) => {
        const reconciled = firstValueFrom(
          client.reconciliation$.pipe(filter((e) => e.type === 'completed' && e.reason === 'reconnect')),
        );
        const callsBefore = rest?.calls.length ?? 0;
        server.dropConnections();
        server.applyOffline([
          newOrder({ orderId: 'btcidr-limit-9' }),
          fill({ orderId: 'btcidr-limit-9', qty: '0.004' }),
        ]);
        const done = await reconciled;
        expect(done).toMatchObject({ orders: 1 });
        const order = (await firstValueFrom(client.orders$)).orders.get('btcidr-limit-9');
        expect(order?.status).toBe('FILL');
        // Seconds of lookback, not weekly windows since January.
        expect((rest?.calls.length ?? 0) - callsBefore).toBeLessThan(10);
      },
      { client: { reconcile: fast, reconnect: { minDelayMs: 10, maxDelayMs: 50 } } },
    );
  });
});
