import { firstValueFrom, filter, take, toArray, type Observable } from 'rxjs';
import { createPrivateClient } from '../../lib/client';
import { ChannelError } from '../../lib/connection/types';
import { startFakeServer, type FakeServer } from '../../lib/testing/fake-server';
import { newOrder, fill, pushData } from '../../lib/testing/builders';

describe('createPrivateClient over loopback (sharing and terminal failures)', () => {
  let server: FakeServer;
  beforeEach(async () => {
    server = await startFakeServer({ pingIntervalMs: 1_000 });
  });
  afterEach(async () => {
    await server.close();
  });
  const client = () =>
    createPrivateClient({
      credentials: server.credentials,
      environment: server.environment,
      reconcile: false,
      reconnect: { minDelayMs: 10, maxDelayMs: 20 },
    });

  it('serves every stream from one socket, and closes it after the last subscriber leaves', async () => {
    const c = client();
    const statuses: string[] = [];
    const subs = [
      c.status$.subscribe((s) => statuses.push(s.state)),
      c.orderUpdates$.subscribe(),
      c.byStatus.FILL.subscribe(),
      c.orders$.subscribe(),
      c.invalid$.subscribe(),
    ];
    await server.until((s) => s.subscribed === 1);
    const fills = firstValueFrom(c.byStatus.FILL.pipe(take(1)));
    server.publish(pushData(newOrder({ orderId: 'btcidr-limit-1', origQty: '1' })));
    server.publish(
      pushData(fill({ orderId: 'btcidr-limit-1', origQty: '1', qty: '1', filledQty: '1', tradeId: '7' })),
    );
    expect((await fills).order.tradeId).toBe('7');
    // a late subscriber gets the current snapshot at once
    const snapshot = await firstValueFrom(c.orders$);
    expect(snapshot.orders.get('btcidr-limit-1')?.executedQty).toBe('1');
    expect(server.stats().connectionsAccepted).toBe(1);
    expect(statuses).toEqual(['connecting', 'connected', 'subscribed']);
    subs.forEach((s) => s.unsubscribe());
    await server.until((s) => s.openSockets === 0);
  });

  it('a terminal failure reaches every stream as the same ChannelError, and nothing reconnects', async () => {
    server.denySubscribe(true);
    const c = client();
    const errors = await Promise.all(
      ([c.status$, c.orderUpdates$, c.orders$, c.invalid$] as Observable<unknown>[]).map((s$) =>
        firstValueFrom(
          s$.pipe(
            filter(() => false),
            toArray(),
          ),
        ).catch((e: unknown) => e),
      ),
    );
    expect(errors[0]).toBeInstanceOf(ChannelError);
    expect((errors[0] as ChannelError).code).toBe(103);
    for (const e of errors) expect(e).toBe(errors[0]);
    // a late subscriber gets the same error without a new connection
    const late = await firstValueFrom(c.status$).catch((e: unknown) => e);
    expect(late).toBe(errors[0]);
    expect(server.stats().connectionsAccepted).toBe(1);
    await server.until((s) => s.openSockets === 0);
  });
});
