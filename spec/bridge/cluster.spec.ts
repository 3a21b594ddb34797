import { connect } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { startBridge, type Bridge, type BridgeEvent } from '../../lib/bridge/bridge';
import { fromJetStream } from '../../lib/bus';
import { LEASE_BUCKET, ORDERS_STREAM, accountOrdersFilter } from '../../lib/bus/names';
import type { OrderStateSnapshot, OrderUpdate } from '../../lib/orders';
import { startExchange, type TestExchange } from '../bus/support/exchange';
import { startCluster, type TestCluster } from '../bus/support/nats-cluster';
import { eventually } from '../bus/support/nats-server';

// A clustered NATS: 3 JetStream nodes on loopback, the stream and buckets with 3 replicas; the
// node leading the stream is SIGKILLed mid-stream. The bridge keeps its accounts, and a consumer
// sees every update exactly once.
const LEASE_MS = 10_000;
let cluster: TestCluster;
let exchange: TestExchange;
let bridge: Bridge;
const events: BridgeEvent[] = [];

beforeAll(async () => {
  cluster = await startCluster(3);
  exchange = await startExchange(2);
  bridge = await startBridge({
    servers: cluster.urls,
    id: 'clustered',
    accounts: exchange.bridgeAccounts(),
    leaseMs: LEASE_MS,
    replicas: 3,
    onEvent: (e) => events.push(e),
  });
  await eventually(
    'both accounts subscribed',
    () => exchange.names.every((n) => exchange.server.subscribers(exchange.accountOf(n)) === 1) || undefined,
  );
}, 60_000);
afterAll(async () => {
  await bridge?.stop();
  await exchange?.server.close();
  await cluster?.stop();
});

/**
 * Every update of `name` from the stream's start, once the fold equals the exchange. A consumer
 * whose creation times out while the cluster elects (fromJetStream fails then) is started again.
 */
async function readUntilEqual(servers: readonly string[], name: string, ms: number): Promise<OrderUpdate[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const client = fromJetStream({ servers, account: name });
    const seen: OrderUpdate[] = [];
    let latest: OrderStateSnapshot | undefined;
    let failed = false;
    const subs = [
      client.orderUpdates$.subscribe({ next: (u) => seen.push(u), error: () => (failed = true) }),
      client.orders$.subscribe({ next: (s) => (latest = s), error: () => (failed = true) }),
    ];
    try {
      await eventually(
        `${name}: the consumer equals the exchange`,
        () => (failed || (latest && exchange.differences(name, latest).length === 0) ? true : undefined),
        Math.max(0, deadline - Date.now()),
      );
      if (!failed) return seen;
    } finally {
      for (const s of subs) s.unsubscribe();
      await client.close();
    }
  }
}

async function consumerWorks(servers: readonly string[]): Promise<true> {
  const nc = await connect({ servers: [...servers] });
  try {
    const consumer = await jetstream(nc).consumers.get(ORDERS_STREAM, { deliver_policy: DeliverPolicy.Last });
    await consumer.info();
    return true;
  } finally {
    await nc.close();
  }
}

async function streamInfo(servers: readonly string[], name: string, filter?: string) {
  const nc = await connect({ servers: [...servers] });
  try {
    const jsm = await jetstreamManager(nc);
    return await jsm.streams.info(name, filter ? { subjects_filter: filter } : undefined);
  } finally {
    await nc.close();
  }
}

it('replicas 3: the stream leader SIGKILLed mid-stream, nothing lost or doubled, the accounts stay held', async () => {
  const info = await streamInfo(cluster.urls, ORDERS_STREAM);
  expect(info.config.num_replicas).toBe(3);
  expect((await streamInfo(cluster.urls, `KV_${LEASE_BUCKET}`)).config.num_replicas).toBe(3);
  const leader = info.cluster?.leader;
  const victim = cluster.nodes.find((n) => n.name === leader)!;
  expect(victim).toBeDefined();
  const alive = cluster.nodes.filter((n) => n !== victim).map((n) => n.url);

  const orders = 20;
  for (let k = 0; k < orders / 2; k++) for (const name of exchange.names) exchange.order(name, k);
  await victim.kill();
  for (let k = orders / 2; k < orders; k++) for (const name of exchange.names) exchange.order(name, k);
  // fromJetStream fails when its consumer cannot be created (the first ~10 s after a leader is
  // killed, while the cluster elects): start the consumers once one can be
  await eventually('a consumer can be created again', () => consumerWorks(alive), LEASE_MS + 15_000, 250);
  for (const name of exchange.names) {
    const seen = await readUntilEqual(alive, name, LEASE_MS + 15_000);
    const ids = seen.map(
      (u) => `${u.order.orderId}:${u.status}:${u.status === 'FILL' ? u.order.tradeId : ''}`,
    );
    expect(new Set(ids).size).toBe(ids.length); // nothing doubled
    expect(ids).toHaveLength(orders * 4); // NEW, FILL, FILL, DONE each: nothing lost
    const stored = await streamInfo(alive, ORDERS_STREAM, accountOrdersFilter(name));
    expect(Object.values(stored.state.subjects ?? {}).reduce((n, c) => n + c, 0)).toBe(orders * 4);
  }
  expect(bridge.held().sort()).toEqual(['acct0', 'acct1']);
  expect(events.filter((e) => e.type === 'lost')).toEqual([]);
}, 90_000);
