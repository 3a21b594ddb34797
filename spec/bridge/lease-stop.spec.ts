import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { startBridge, type BridgeEvent } from '../../lib/bridge/bridge';
import type { BridgeMeter } from '../../lib/bridge/meter';
import { LEASE_BUCKET } from '../../lib/bus';
import { startExchange, type TestExchange } from '../bus/support/exchange';
import { eventually, startNats, type TestNats } from '../bus/support/nats-server';

// Stopping a bridge, in this process, over real nats-servers.
const DRAIN_MS = 500;

let exchange: TestExchange;
const servers: TestNats[] = [];

beforeAll(async () => {
  exchange = await startExchange(1);
});
afterAll(async () => {
  await exchange?.server.close();
  await Promise.all(servers.map((s) => s.stop()));
});

function accounts() {
  return exchange.bridgeAccounts();
}

async function running(events: BridgeEvent[], leaseMs: number, maxBuffer = 10_000, meter?: BridgeMeter) {
  const nats = await startNats();
  servers.push(nats);
  const bridge = await startBridge({
    servers: nats.url,
    id: 'stopping',
    accounts: accounts(),
    leaseMs,
    drainTimeoutMs: DRAIN_MS,
    maxBuffer,
    ...(meter ? { meter } : {}),
    onEvent: (e) => events.push(e),
  });
  await eventually(
    'subscribed',
    () => exchange.server.subscribers(exchange.accountOf('acct0')) === 1 || undefined,
  );
  return { nats, bridge };
}

it('NATS down: stop() ends within the drain timeout + 2 s and says how many updates it dropped', async () => {
  const events: BridgeEvent[] = [];
  const { nats, bridge } = await running(events, 10_000, 4);
  await nats.stop();
  exchange.order('acct0', 0); // 4 updates, never acknowledged: the buffer (4) fills
  await eventually(
    'the buffer full while NATS is down',
    () => events.some((e) => e.type === 'paused' && e.buffered >= 4) || undefined,
  );
  const started = performance.now();
  await bridge.stop();
  const tookMs = performance.now() - started;
  expect(tookMs).toBeLessThan(DRAIN_MS + 2_000);
  const stopped = events.at(-1);
  expect(stopped).toMatchObject({ type: 'stopped', id: 'stopping', drained: false });
  expect(stopped && 'dropped' in stopped ? stopped.dropped : 0).toBeGreaterThanOrEqual(3); // one may be in flight
  console.log(`stop with NATS down: ${Math.round(tookMs)} ms (drain timeout ${DRAIN_MS} ms)`);
}, 30_000);

it('NATS up: stop() drains everything (drained: true), deletes its lease at once, and nothing is claimed after', async () => {
  const events: BridgeEvent[] = [];
  const changes: string[] = [];
  const meter: BridgeMeter = {
    published: () => undefined,
    publishRetried: () => undefined,
    reconciled: () => undefined,
    reconnected: () => undefined,
    leaseChanged: (kind, account) => changes.push(`${kind} ${account}`),
  };
  const { nats, bridge } = await running(events, 1_500, 10_000, meter);
  expect(bridge.health()).toMatchObject({ natsConnected: true, held: ['acct0'], fairShare: 1 });
  expect(changes).toEqual(['claimed acct0']);
  exchange.order('acct0', 1);
  await bridge.stop();
  expect(events.at(-1)).toEqual({ type: 'stopped', id: 'stopping', drained: true });
  expect(events.filter((e) => e.type === 'claimed')).toHaveLength(1);
  expect(bridge.health()).toMatchObject({ held: [], readyAccounts: [] });
  const nc = await connect({ servers: nats.url });
  const kv = await new Kvm(nc).open(LEASE_BUCKET);
  expect((await kv.get('acct0'))?.operation ?? 'none').not.toBe('PUT');
  expect((await kv.get('bridge.stopping'))?.operation ?? 'none').not.toBe('PUT');
  await nc.close();
}, 30_000);
