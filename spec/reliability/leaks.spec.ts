import { defer, of, type Subscription } from 'rxjs';
import { createPrivateClient } from '../../lib/client';
import { privateChannel } from '../../lib/connection/private-channel';
import { newOrder } from '../../lib/testing/builders';
import { startFakeServer, type FakeServer } from '../../lib/testing/fake-server';

const CYCLES = 100;

/** Active resources of the process by type (`Timeout`, `TCPSocketWrap`, ...). */
function resources(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) out[type] = (out[type] ?? 0) + 1;
  return out;
}

/** The resource types whose count rose above `baseline`. */
function leftOver(baseline: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [type, n] of Object.entries(resources()))
    if (n > (baseline[type] ?? 0)) out[type] = n - (baseline[type] ?? 0);
  return out;
}

/** Waits (loopback round-trips only) until nothing is left over; returns what is. */
async function settle(baseline: Record<string, number>): Promise<Record<string, number>> {
  for (let i = 0; i < 500 && Object.keys(leftOver(baseline)).length > 0; i += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return leftOver(baseline);
}

/** One cycle: subscribe, see one event arrive, unsubscribe, and the server sees the socket go. */
async function cycle(
  server: FakeServer,
  i: number,
  subscribe: (onOrder: (orderId: string) => void) => Subscription,
): Promise<void> {
  let got = '';
  const sub = subscribe((orderId) => (got = orderId));
  await server.until((s) => s.subscribed === 1, 5_000);
  const orderId = `leak-limit-${i}`;
  expect(server.publish([newOrder({ orderId })])).toBe(1);
  for (let t = 0; t < 1_000 && got !== orderId; t += 1)
    await new Promise((resolve) => setTimeout(resolve, 1));
  expect(got).toBe(orderId);
  sub.unsubscribe();
  await server.until((s) => s.openSockets === 0 && s.subscribed === 0, 5_000);
}

describe('leaks: subscribe/unsubscribe cycles leave nothing behind', () => {
  it(`privateChannel: ${CYCLES} cycles, no socket, timer or handle left`, async () => {
    const baseline = resources();
    const server = await startFakeServer({ pingIntervalMs: 50 });
    const inner = resources();
    for (let i = 0; i < CYCLES; i += 1) {
      await cycle(server, i, (onOrder) =>
        privateChannel({
          token$: defer(() => of(server.issueToken())),
          wsUrl: server.wsUrl,
          pingIntervalMs: 50,
          pingTimeoutMs: 200,
        }).subscribe((m) => {
          if (m.type !== 'publication' || !Array.isArray(m.data)) return;
          const item = m.data[0] as { order?: { orderId?: string } } | undefined;
          if (item?.order?.orderId) onOrder(item.order.orderId);
        }),
      );
    }
    expect(server.stats().openSockets).toBe(0);
    expect(server.stats().connectionsAccepted).toBe(CYCLES);
    expect(await settle(inner)).toEqual({});
    await server.close();
    expect(await settle(baseline)).toEqual({});
  }, 30_000);

  it(`createPrivateClient: ${CYCLES} cycles of orders$, no socket, timer or handle left`, async () => {
    const baseline = resources();
    const server = await startFakeServer({ pingIntervalMs: 50 });
    const client = createPrivateClient({
      credentials: server.credentials,
      environment: server.environment,
      reconcile: false,
      pingIntervalMs: 50,
      pingTimeoutMs: 200,
    });
    for (let i = 0; i < CYCLES; i += 1) {
      await cycle(server, i, (onOrder) =>
        client.orders$.subscribe((s) => {
          const id = `leak-limit-${i}`;
          if (s.orders.has(id)) onOrder(id);
        }),
      );
    }
    const stats = server.stats();
    expect(stats.openSockets).toBe(0);
    expect(stats.connectionsAccepted).toBe(CYCLES);
    expect(stats.tokensIssued).toBe(CYCLES);
    // Closing the server also ends fetch's keep-alive sockets; then nothing may be left.
    await server.close();
    expect(await settle(baseline)).toEqual({});
  }, 30_000);
});
