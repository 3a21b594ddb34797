import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { firstValueFrom, filter, lastValueFrom, take, toArray } from 'rxjs';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { fromJetStream, ORDERS_STREAM, ORDERS_SUBJECTS, ordersSubject, updateMsgId } from '../../lib/bus';
import { decodeOrderItem } from '../../lib/orders/decode';
import { orderLifecycle } from '../../lib/testing/builders';
import type { OrderUpdate } from '../../lib/orders';
import { eventually, startNats, type TestNats } from './support/nats-server';

let nats: TestNats;
let nc: NatsConnection;

function updates(orderId: string): OrderUpdate[] {
  return orderLifecycle({ orderId, transactionTime: 1_767_225_600_000 }).map((item) => {
    const d = decodeOrderItem(item);
    if (d.kind !== 'update') throw new Error('fixture');
    return d.update;
  });
}

async function publish(account: string, list: readonly OrderUpdate[]): Promise<void> {
  const js = jetstream(nc);
  for (const u of list)
    await js.publish(ordersSubject(account, u), JSON.stringify(u), { msgID: updateMsgId(account, u) });
}

beforeAll(async () => {
  nats = await startNats();
  nc = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: ORDERS_STREAM, subjects: [ORDERS_SUBJECTS] });
});
afterAll(async () => {
  await nc?.close();
  await nats?.stop();
});

describe('fromJetStream', () => {
  it("folds the account's subjects from the stream's start, in order, and nothing of other accounts", async () => {
    const mine = updates('btcidr-limit-1');
    await publish('acct0', mine);
    await publish('acct1', updates('btcidr-limit-2'));
    await publish('acct0', mine); // a takeover's duplicates: the same Nats-Msg-Id, stored once
    const client = fromJetStream({ servers: nats.url, account: 'acct0' });
    const seen = firstValueFrom(client.orderUpdates$.pipe(take(mine.length), toArray()));
    const snapshot = await firstValueFrom(
      client.orders$.pipe(filter((s) => s.orders.get('btcidr-limit-1')?.status === 'DONE')),
    );
    expect((await seen).map((u) => `${u.status} ${u.order.executedQty}`)).toEqual(
      mine.map((u) => `${u.status} ${u.order.executedQty}`),
    );
    expect([...snapshot.orders.keys()]).toEqual(['btcidr-limit-1']);
    expect(snapshot.orders.get('btcidr-limit-1')?.fills.size).toBe(2);
    const completed = lastValueFrom(client.orders$.pipe(toArray()));
    await client.close();
    expect((await completed).length).toBeGreaterThan(0); // close() completes every stream
  });

  it('reports a bad payload with its subject and raw text, and goes on', async () => {
    await nc.publish('indodax.orders.acct2.btcidr.NEW', 'not json');
    await jetstream(nc).publish('indodax.orders.acct2.btcidr.NEW', '{"status":"NEW","order":{}}');
    await publish('acct2', updates('btcidr-limit-3'));
    const client = fromJetStream({ servers: nats.url, account: 'acct2' });
    const invalid = firstValueFrom(client.invalid$.pipe(take(1)));
    const done = await firstValueFrom(
      client.orders$.pipe(filter((s) => s.orders.get('btcidr-limit-3')?.status === 'DONE')),
    );
    expect(done.orders.size).toBe(1);
    expect((await invalid).reason).toMatch(/^indodax\.orders\.acct2\.btcidr\.NEW: /);
    await client.close();
  });
});

describe('fromJetStream status$', () => {
  it("is the bridge's view of the account's connection; a bad status is reported", async () => {
    const client = fromJetStream({ servers: nats.url, account: 'acct3' });
    const status = firstValueFrom(client.status$);
    const invalid = firstValueFrom(client.invalid$);
    await firstValueFrom(client.orders$); // connected and subscribed
    await eventually('the consumer listens to indodax.status.acct3', async () => {
      nc.publish('indodax.status.acct3', '{"nope":1}');
      nc.publish('indodax.status.acct3', JSON.stringify({ state: 'subscribed', channel: 'pws:#1' }));
      await nc.flush();
      return (await Promise.race([
        status.then(() => true),
        new Promise((r) => setTimeout(() => r(undefined), 50)),
      ])) as true | undefined;
    });
    expect(await status).toEqual({ state: 'subscribed', channel: 'pws:#1' });
    expect((await invalid).reason).toBe('indodax.status.acct3: not a connection status');
    await client.close();
  });
});

describe('the NATS clients are optional peers', () => {
  it('indodax-pws and its command load without them; the bus says what to install', () => {
    const out = execFileSync(process.execPath, [join(__dirname, 'support', 'without-nats.js')], {
      encoding: 'utf8',
    });
    const r = JSON.parse(out) as { root: string; afterLoad: number; error: string };
    expect(r.root).toBe('function');
    expect(r.afterLoad).toBe(0);
    expect(r.error).toMatch(
      /^indodax-pws\/bus needs the NATS clients: npm install @nats-io\/transport-node@\^3\.3\.1 @nats-io\/jetstream@\^3\.3\.1 @nats-io\/kv@\^3\.3\.1/,
    );
  });
});

describe('fromJetStream without a stream', () => {
  it('fails every stream with a message that says what to start', async () => {
    const empty = await startNats();
    try {
      const client = fromJetStream({ servers: empty.url, account: 'acct0' });
      await expect(lastValueFrom(client.orderUpdates$)).rejects.toThrow(
        'the stream INDODAX_ORDERS does not exist yet: start a bridge (indodax-pws bridge) first',
      );
      await client.close();
    } finally {
      await empty.stop();
    }
  });
});
