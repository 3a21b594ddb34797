import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { connect, errors, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { startBridge, type Bridge, type BridgeEvent } from '../../lib/bridge/bridge';
import {
  IDENTITY_BUCKET,
  LEASE_BUCKET,
  ORDERS_STREAM,
  accountOrdersFilter,
  fromJetStream,
  updateMsgId,
  type NatsSecurity,
} from '../../lib/bus';
import { natsConnectOptions } from '../../lib/bus/connect-options';
import { decodeOrderItem } from '../../lib/orders/decode';
import { orderLifecycle } from '../../lib/testing/builders';
import { startExchange, type TestExchange } from './support/exchange';
import { eventually, startNats, type TestNats } from './support/nats-server';

// deploy/nats-server.conf as shipped (only its store directory is the test's; host, port by flag):
// the user `bridge` runs a real bridge; the user `reader` folds the account through fromJetStream
// and can write nothing: no FILL onto an account's subjects (plain or JetStream, not even a
// Nats-Msg-Id the bridge will use later), no lease, no stream change.

const CONFIG = join(__dirname, '..', '..', 'deploy', 'nats-server.conf');
const BRIDGE_PASSWORD = 'bridge-pw-7d1e';
const READER_PASSWORD = 'reader-pw-42ab';
const bridgeUser: NatsSecurity = { user: 'bridge', password: BRIDGE_PASSWORD };
const readerUser: NatsSecurity = { user: 'reader', password: READER_PASSWORD };

let nats: TestNats;
let exchange: TestExchange;
let bridge: Bridge;
let reader: NatsConnection;
let admin: NatsConnection;
const events: BridgeEvent[] = [];
const serverErrors: Error[] = [];

function forgedFill(orderId: string, tradeId: string): string {
  return JSON.stringify({
    status: 'FILL',
    order: {
      orderId,
      symbol: 'btcidr',
      side: 'BUY',
      tradeId,
      executedQty: '1',
      price: '1',
      transactionTime: 1,
    },
  });
}

async function stored(nc: NatsConnection, account: string): Promise<number> {
  const info = await (
    await jetstreamManager(nc)
  ).streams.info(ORDERS_STREAM, {
    subjects_filter: accountOrdersFilter(account),
  });
  return Object.values(info.state.subjects ?? {}).reduce((n, c) => n + c, 0);
}

beforeAll(async () => {
  const text = readFileSync(CONFIG, 'utf8');
  const config = text.replace(/store_dir: \/var\/lib\/nats\/jetstream/, 'store_dir: "{{store}}"');
  if (config === text)
    throw new Error('deploy/nats-server.conf no longer has the store_dir line this test replaces');
  nats = await startNats({
    config,
    env: { INDODAX_BRIDGE_PASSWORD: BRIDGE_PASSWORD, INDODAX_READER_PASSWORD: READER_PASSWORD },
  });
  exchange = await startExchange(1);
  bridge = await startBridge({
    servers: nats.url,
    security: bridgeUser,
    id: 'deployed',
    accounts: exchange.bridgeAccounts(),
    leaseMs: 2_000,
    onEvent: (e) => events.push(e),
  });
  await eventually(
    'acct0 subscribed',
    () => exchange.server.subscribers(exchange.accountOf('acct0')) === 1 || undefined,
  );
  admin = await connect({ servers: nats.url, ...natsConnectOptions(nats.url, bridgeUser) });
  reader = await connect({ servers: nats.url, ...natsConnectOptions(nats.url, readerUser) });
  void (async () => {
    for await (const s of reader.status()) if (s.type === 'error') serverErrors.push(s.error);
  })();
}, 30_000);
afterAll(async () => {
  await reader?.close();
  await admin?.close();
  await bridge?.stop();
  await exchange?.server.close();
  await nats?.stop();
});

it('refuses to start without the passwords in its environment', async () => {
  const text = readFileSync(CONFIG, 'utf8').replace(
    /store_dir: \/var\/lib\/nats\/jetstream/,
    'store_dir: "{{store}}"',
  );
  await expect(
    startNats({ config: text, env: { INDODAX_READER_PASSWORD: READER_PASSWORD } }),
  ).rejects.toThrow(/INDODAX_BRIDGE_PASSWORD/);
});

it('the bridge (user bridge) publishes; fromJetStream (user reader) folds its orders and status', async () => {
  exchange.order('acct0', 0);
  const client = fromJetStream({ servers: nats.url, account: 'acct0', ...readerUser });
  try {
    const status = firstValueFrom(client.status$.pipe(filter((s) => s.state === 'subscribed')));
    const snapshot = await firstValueFrom(
      client.orders$.pipe(filter((s) => s.orders.get('btcidr-limit-0')?.status === 'DONE')),
    );
    expect(exchange.differences('acct0', snapshot)).toEqual([]);
    expect(snapshot.orders.get('btcidr-limit-0')?.fills.size).toBe(2);
    exchange.server.disconnect(3001, 'again', { account: exchange.accountOf('acct0') });
    expect((await status).state).toBe('subscribed');
  } finally {
    await client.close();
  }
  expect(events.filter((e) => e.type === 'lease-error' || e.type === 'publish-retry')).toEqual([]);
});

it('fromJetStream reads through an open reader connection and leaves it open', async () => {
  const client = fromJetStream({ connection: reader, account: 'acct0' });
  await firstValueFrom(client.orders$.pipe(filter((s) => s.orders.size > 0)));
  await client.close();
  expect(reader.isClosed()).toBe(false);
  await reader.flush();
});

describe('the reader writes nothing', () => {
  it('a JetStream FILL onto an account subject is refused, even with the Msg-Id the bridge will use', async () => {
    const before = await stored(admin, 'acct0');
    const genuineFill = orderLifecycle({ orderId: 'btcidr-limit-999001', transactionTime: 0 })
      .map((item) => decodeOrderItem(item))
      .flatMap((d) => (d.kind === 'update' && d.update.status === 'FILL' ? [d.update] : []))[0]!;
    const msgID = updateMsgId('acct0', genuineFill); // what the bridge will send for the order's first fill
    const forged = jetstream(reader).publish(
      'indodax.orders.acct0.btcidr.FILL',
      forgedFill('btcidr-limit-999001', 'T-1'),
      {
        msgID,
        timeout: 2_000,
      },
    );
    await expect(forged).rejects.toThrow(/permissions violation|no responders|timeout/i);
    await eventually(
      'the violation reported',
      () =>
        serverErrors.some(
          (e) =>
            e instanceof errors.PermissionViolationError && e.subject === 'indodax.orders.acct0.btcidr.FILL',
        ) || undefined,
    );
    // the genuine update with that id is stored, not deduplicated away
    exchange.order('acct0', 1);
    await eventually(
      'the genuine order on the bus',
      async () => (await stored(admin, 'acct0')) === before + 4 || undefined,
    );
  });

  it('a plain publish of a FILL onto an account subject is refused and never stored', async () => {
    serverErrors.length = 0;
    const before = await stored(admin, 'acct0');
    reader.publish('indodax.orders.acct0.btcidr.FILL', forgedFill('forged-1', 'T-9'));
    await reader.flush();
    await eventually(
      'the violation reported',
      () =>
        serverErrors.some((e) => e instanceof errors.PermissionViolationError && e.operation === 'publish') ||
        undefined,
    );
    // a control: the bridge's own plain publish onto the same subject IS stored, so the count can move
    admin.publish('indodax.orders.acct0x.btcidr.NEW', 'control');
    await eventually('the control stored', async () => (await stored(admin, 'acct0x')) === 1 || undefined);
    expect(await stored(admin, 'acct0')).toBe(before);
  });

  it('the lease and identity buckets are out of reach (no put, no delete), and the stream cannot be deleted or purged', async () => {
    serverErrors.length = 0;
    await expect(
      jetstream(reader).publish(`$KV.${LEASE_BUCKET}.acct0`, 'reader', { timeout: 2_000 }),
    ).rejects.toThrow();
    const readerKv = await new Kvm(reader).open(LEASE_BUCKET);
    await expect(readerKv.put('acct0', 'reader')).rejects.toThrow();
    await expect(readerKv.delete('acct0')).rejects.toThrow();
    await expect(
      jetstream(reader).publish(`$KV.${IDENTITY_BUCKET}.identity.acct0`, 'forged', { timeout: 2_000 }),
    ).rejects.toThrow();
    const jsm = await jetstreamManager(reader, { checkAPI: false });
    await expect(jsm.streams.delete(ORDERS_STREAM)).rejects.toThrow();
    await expect(jsm.streams.purge(ORDERS_STREAM)).rejects.toThrow();
    const kv = await new Kvm(admin).open(LEASE_BUCKET);
    expect((await kv.get('acct0'))?.string()).toBe('deployed');
    expect(await stored(admin, 'acct0')).toBeGreaterThan(0);
  });

  it('even the bridge cannot delete or purge the stream', async () => {
    const jsm = await jetstreamManager(admin);
    await expect(jsm.streams.purge(ORDERS_STREAM)).rejects.toThrow();
    await expect(jsm.streams.delete(ORDERS_STREAM)).rejects.toThrow();
  });
});
