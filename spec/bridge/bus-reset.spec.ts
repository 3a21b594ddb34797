import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { startBridge, type Bridge, type BridgeEvent } from '../../lib/bridge/bridge';
import { fromJetStream } from '../../lib/bus';
import { LEASE_BUCKET } from '../../lib/bus/names';
import type { OrderStateSnapshot } from '../../lib/orders';
import { startExchange, type TestExchange } from '../bus/support/exchange';
import { eventually, startNats, storedFor, type TestNats } from '../bus/support/nats-server';

// "Nothing stops an account": NATS back with an EMPTY store (or a bucket deleted) while a bridge
// runs. The bridge re-creates the stream and buckets and publishes each held account's store
// again, so a consumer reading from the start equals the exchange within lease + 15 s.
const LEASE_MS = 2_000;
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
    leaseMs: LEASE_MS,
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

async function expectStoreEqualsExchange(name: string, withinMs: number): Promise<void> {
  const client = fromJetStream({ servers: nats.url, account: name });
  let latest: OrderStateSnapshot | undefined;
  const sub = client.orders$.subscribe({ next: (s) => (latest = s), error: () => undefined });
  let differences: string[] = [];
  try {
    await eventually(
      `${name}: a consumer from the start equals the exchange`,
      () => {
        differences = latest ? exchange.differences(name, latest) : ['no snapshot'];
        return differences.length === 0 || undefined;
      },
      withinMs,
    ).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${differences.slice(0, 8).join('\n')}`);
    });
  } finally {
    sub.unsubscribe();
    await client.close();
  }
}

it('NATS restarted with an empty store: the stream is re-created and every held account published again', async () => {
  for (let k = 0; k < 3; k++) exchange.order('acct0', k);
  for (let k = 0; k < 2; k++) exchange.order('acct1', k);
  await eventually('the first orders on the bus', async () =>
    (await storedFor(nats.url, 'acct0')) >= 12 && (await storedFor(nats.url, 'acct1')) >= 8
      ? true
      : undefined,
  );
  await nats.restart(() => exchange.order('acct0', 3), { emptyStore: true });
  const back = Date.now();
  // a consumer started before any stream exists fails ("start a bridge first"): start it once the bridge made it
  await eventually(
    'the stream is back, with acct0 in it',
    async () => ((await storedFor(nats.url, 'acct0')) > 0 ? true : undefined),
    LEASE_MS + 15_000,
  );
  exchange.order('acct1', 2);
  await expectStoreEqualsExchange('acct0', LEASE_MS + 15_000);
  await expectStoreEqualsExchange('acct1', Math.max(1_000, LEASE_MS + 15_000 - (Date.now() - back)));
  expect(
    events
      .filter((e) => e.type === 'republished')
      .map((e) => e.account)
      .sort(),
  ).toEqual(['acct0', 'acct1']);
  await eventually('the bridge holds both accounts again', () =>
    bridge.held().length === 2 ? true : undefined,
  );
}, 40_000);

it('the lease bucket deleted: re-created (same TTL), the bridge goes on publishing', async () => {
  const nc = await connect({ servers: nats.url });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(`KV_${LEASE_BUCKET}`);
    await eventually('the bucket is back', async () =>
      (await jsm.streams.info(`KV_${LEASE_BUCKET}`).catch(() => undefined))?.config.max_age === LEASE_MS * 1e6
        ? true
        : undefined,
    );
  } finally {
    await nc.close();
  }
  exchange.order('acct1', 3);
  await expectStoreEqualsExchange('acct1', LEASE_MS + 15_000);
}, 40_000);
