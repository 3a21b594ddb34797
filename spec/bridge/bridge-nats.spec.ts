import { concatMap, timer } from 'rxjs';
import { startBridge, type Bridge, type BridgeEvent } from '../../lib/bridge/bridge';
import { LeaseMismatchError } from '../../lib/bridge/lease-errors';
import { fromJetStream } from '../../lib/bus';
import type { OrderStateSnapshot } from '../../lib/orders';
import { startExchange, type TestExchange } from '../bus/support/exchange';
import { eventually, startNats, storedFor, type TestNats } from '../bus/support/nats-server';

// One bridge in this process over a real nats-server -js: NATS restarted mid-stream, and a slow consumer.
let nats: TestNats;
let exchange: TestExchange;
let bridge: Bridge;
const events: BridgeEvent[] = [];

beforeAll(async () => {
  nats = await startNats();
  exchange = await startExchange(2);
  bridge = await startBridge({
    servers: nats.url,
    id: 'solo',
    accounts: exchange.bridgeAccounts(),
    leaseMs: 2_000,
    onEvent: (e) => events.push(e),
  });
  await eventually(
    'both accounts subscribed',
    () => exchange.names.every((n) => exchange.server.subscribers(exchange.accountOf(n)) === 1) || undefined,
  );
});
afterAll(async () => {
  await bridge?.stop();
  await exchange?.server.close();
  await nats?.stop();
});

async function expectStoreEqualsExchange(name: string): Promise<void> {
  const client = fromJetStream({ servers: nats.url, account: name });
  let latest: OrderStateSnapshot | undefined;
  const sub = client.orders$.subscribe((s) => (latest = s));
  let differences: string[] = [];
  try {
    await eventually(`${name}: the bus store equals the exchange`, () => {
      differences = latest ? exchange.differences(name, latest) : ['no snapshot'];
      return differences.length === 0 || undefined;
    }).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${differences.slice(0, 8).join('\n')}`);
    });
  } finally {
    sub.unsubscribe();
    await client.close();
  }
}

it('NATS restarted mid-stream: nothing lost', async () => {
  const name = 'acct0';
  for (let k = 0; k < 3; k++) exchange.order(name, k);
  await eventually('the first orders on the bus', async () =>
    (await storedFor(nats.url, name)) >= 12 ? true : undefined,
  );
  await nats.restart(() => {
    for (let k = 3; k < 6; k++) exchange.order(name, k); // the bridge holds them until NATS is back
  });
  for (let k = 6; k < 9; k++) exchange.order(name, k);
  await expectStoreEqualsExchange(name);
  expect(bridge.held().sort()).toEqual(['acct0', 'acct1']);
}, 30_000);

it('a slow consumer never slows the bridge: every update is acknowledged while the consumer is still far behind', async () => {
  const name = 'acct1';
  const orders = 60; // 4 updates each
  const client = fromJetStream({ servers: nats.url, account: name });
  let handled = 0;
  const sub = client.orderUpdates$.pipe(concatMap(() => timer(25))).subscribe(() => (handled += 1));
  try {
    for (let k = 0; k < orders; k++) exchange.order(name, k);
    await eventually('the bridge published every update', async () =>
      (await storedFor(nats.url, name)) === orders * 4 ? true : undefined,
    );
    expect(handled).toBeLessThan((orders * 4) / 2);
  } finally {
    sub.unsubscribe();
    await client.close();
  }
  await expectStoreEqualsExchange(name);
}, 30_000);

it('a bridge joining with another --lease-ms says so and does not start; the bucket keeps its TTL', async () => {
  const seen: BridgeEvent[] = [];
  await expect(
    startBridge({
      servers: nats.url,
      id: 'other',
      accounts: [],
      leaseMs: 9_000,
      onEvent: (e) => seen.push(e),
    }),
  ).rejects.toBeInstanceOf(LeaseMismatchError);
  expect(seen).toEqual([{ type: 'lease-mismatch', id: 'other', leaseMs: 9_000, bucketLeaseMs: 2_000 }]);
  // without a lease of its own it follows the bucket
  const follower = await startBridge({
    servers: nats.url,
    id: 'follower',
    accounts: [],
    onEvent: (e) => seen.push(e),
  });
  await follower.stop();
  expect(seen[1]).toEqual({ type: 'ready', id: 'follower', accounts: 0, leaseMs: 2_000 });
  expect(seen.at(-1)).toEqual({ type: 'stopped', id: 'follower', drained: true });
  expect(bridge.held().sort()).toEqual(['acct0', 'acct1']);
});
