/**
 * The bus: N fake accounts (default 1,000) over 2 bridges (child processes) → NATS JetStream →
 * a consumer that decodes every payload and folds it per account (what `fromJetStream` does).
 * Ratios in the same run: events/s end to end through the bridges vs the same updates published
 * straight to JetStream; p50/p99 from the fake exchange's push to the consumer's decode at a
 * steady rate; heap per account in a bridge. Needs `nats-server` on PATH (or /usr/sbin).
 * `npm run bench:bus`; BENCH_BUS_ACCOUNTS=200 for a smaller run.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { decodeBusPayload, ordersSubject, updateMsgId } from '../lib/bus';
import { decodeOrderItem } from '../lib/orders/decode';
import { createOrderState, reduceOrderState, type OrderStateSnapshot, type OrderUpdate } from '../lib/orders';
import { orderLifecycle } from '../lib/testing/builders';
import { startFakeServer, type FakeAccount } from '../lib/testing/fake-server';
import { startNats } from '../spec/bus/support/nats-server';
import { percentile, printTable, writeResult } from './report';

const N = Number(process.env['BENCH_BUS_ACCOUNTS'] ?? 1_000);
const ORDERS = Number(process.env['BENCH_BUS_ORDERS'] ?? 3); // per account, 4 updates each
const RATE = Number(process.env['BENCH_BUS_RATE'] ?? 1_000); // events/s of the latency phase
const LEASE_MS = Number(process.env['BENCH_BUS_LEASE_MS'] ?? 10_000);

interface Reply {
  cmd: string;
  heapBefore?: number;
  heap?: number;
  rss?: number;
  held?: number;
  retries?: number;
  paused?: number;
  lost?: number;
  leaseErrors?: number;
}

function ask(child: ChildProcess, message: object, answer: string): Promise<Reply> {
  return new Promise((resolve) => {
    const on = (m: Reply) => {
      if (m.cmd !== answer) return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
    child.send(message);
  });
}

async function until(what: string, check: () => boolean, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench: not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const tick = () => new Promise((r) => setImmediate(r));

/** Every update of the run, per account, in order, with its raw item and msg id. */
function workload(names: readonly string[], tag: string) {
  // Ids in the exchange's form (<pair>-<type>-<number>), distinct per account and per run.
  const run = 'fdp'.indexOf(tag) + 1;
  return names.map((name, a) =>
    Array.from({ length: ORDERS }, (_, k) =>
      orderLifecycle({
        orderId: `btcidr-limit-${run}${String(a).padStart(4, '0')}${String(k).padStart(6, '0')}`,
        transactionTime: Date.now(),
        stepMs: 1,
      }),
    )
      .flat()
      .map((item) => {
        const d = decodeOrderItem(item);
        if (d.kind !== 'update') throw new Error('bench fixture');
        return { item, update: d.update, msgId: updateMsgId(name, d.update) };
      }),
  );
}

/** The consumer: decodes and folds everything on `indodax.orders.>`, notes when each msg id arrived. */
async function consumer(nc: NatsConnection) {
  const js = jetstream(nc);
  const c = await js.consumers.get('INDODAX_ORDERS', {
    filter_subjects: 'indodax.orders.>',
    deliver_policy: DeliverPolicy.New,
  });
  const messages = await c.consume({ max_messages: 2_000 });
  const stores = new Map<string, OrderStateSnapshot>();
  const arrived = new Map<string, number>();
  let count = 0;
  let invalid = 0;
  void (async () => {
    for await (const m of messages) {
      const account = m.subject.split('.')[2] ?? '';
      const d = decodeBusPayload(m.string(), m.subject);
      if (d.kind === 'invalid') {
        invalid += 1;
        continue;
      }
      stores.set(account, reduceOrderState(stores.get(account) ?? createOrderState(), d.update));
      arrived.set(m.headers?.get('Nats-Msg-Id') ?? '', performance.now());
      count += 1;
    }
  })();
  return { count: () => count, invalid: () => invalid, arrived, stores, stop: () => messages.close() };
}

async function main(): Promise<void> {
  const nats = await startNats();
  const server = await startFakeServer({ pingIntervalMs: 3_600_000 });
  const names = Array.from({ length: N }, (_, i) => `acct${i}`);
  const fake = new Map<string, FakeAccount>(names.map((n) => [n, server.addAccount()]));
  const accounts = names.map((name) => ({
    name,
    credentials: fake.get(name)!.credentials,
    environment: server.environment,
  }));
  const children = ['bench-a', 'bench-b'].map((id) => ({
    id,
    child: fork(path.join(__dirname, 'bus-bridge.js'), [], { execArgv: ['--expose-gc'], stdio: 'inherit' }),
  }));
  const started = performance.now();
  const before = await Promise.all(
    children.map(({ id, child }) =>
      ask(child, { cmd: 'start', servers: nats.url, id, accounts, leaseMs: LEASE_MS }, 'started'),
    ),
  );
  await until(`${N} accounts subscribed`, () => server.stats().subscribed === N);
  const claimS = (performance.now() - started) / 1000;
  const memory = await Promise.all(children.map(({ child }) => ask(child, { cmd: 'memory' }, 'memory')));
  const perAccountKb = memory.map(
    (m, i) => ((m.heap ?? 0) - (before[i]?.heapBefore ?? 0)) / Math.max(1, m.held ?? 0) / 1024,
  );

  const nc = await connect({ servers: nats.url });
  const sink = await consumer(nc);

  // 1. flood through the bridges: every account's updates pushed as fast as the fake can
  const flood = workload(names, 'f');
  const total = flood.reduce((n, l) => n + l.length, 0);
  let t0 = performance.now();
  for (let i = 0; i < ORDERS * 4; i++) {
    names.forEach((name, a) => {
      const e = flood[a]![i];
      if (e) server.publish([e.item], { account: fake.get(name)!, batch: true });
    });
    await tick();
  }
  await until('every flooded update consumed', () => sink.count() >= total).catch(async (e: unknown) => {
    const m = await Promise.all(children.map(({ child }) => ask(child, { cmd: 'memory' }, 'memory')));
    console.error(`consumed ${sink.count()} of ${total}; bridges: ${JSON.stringify(m)}`);
    children.forEach(({ child }) => child.kill());
    await nats.stop(); // leave no server behind
    throw e;
  });
  const bridgedPerS = total / ((performance.now() - t0) / 1000);

  // 2. the same updates straight to JetStream: two connections (like the two bridges), each
  //    account's updates in order with an ack each, all accounts at once
  const direct = workload(names, 'd');
  const publishers = [nc, await connect({ servers: nats.url })];
  const base = sink.count();
  t0 = performance.now();
  await Promise.all(
    names.map(async (name, a) => {
      const js = jetstream(publishers[a % 2]!);
      for (const e of direct[a]!) {
        await js.publish(ordersSubject(`${name}-direct`, e.update), JSON.stringify(e.update), {
          msgID: updateMsgId(`${name}-direct`, e.update),
        });
      }
    }),
  );
  await until('every direct update consumed', () => sink.count() >= base + total);
  const directPerS = total / ((performance.now() - t0) / 1000);

  // 3. latency at a steady rate through the bridges: push → consumer decode
  const paced = workload(names, 'p')
    .flat()
    .map((e, i) => ({ ...e, name: names[i % N]! }));
  const seconds = Math.min(5, paced.length / RATE);
  const count = Math.floor(seconds * RATE);
  const pushedAt = new Map<string, number>();
  const perTick = Math.max(1, Math.round(RATE / 100));
  t0 = performance.now();
  for (let i = 0; i < count; i += perTick) {
    for (const e of paced.slice(i, i + perTick)) {
      const msgId = updateMsgId(e.name, e.update as OrderUpdate);
      pushedAt.set(msgId, performance.now());
      server.publish([e.item], { account: fake.get(e.name)! });
    }
    const due = t0 + ((i + perTick) / RATE) * 1000;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
  }
  await until(
    'every paced update consumed',
    () => [...pushedAt.keys()].every((k) => sink.arrived.has(k)),
    60_000,
  );
  const latencies = [...pushedAt].map(([k, t]) => sink.arrived.get(k)! - t);
  const after = await Promise.all(children.map(({ child }) => ask(child, { cmd: 'memory' }, 'memory')));

  const rows = [
    {
      measure: 'accounts (2 bridges)',
      value: N,
      note: `all claimed and subscribed in ${claimS.toFixed(1)} s`,
    },
    {
      measure: 'events/s end to end via bridges',
      value: Math.round(bridgedPerS),
      note: `${total} updates, fake push → consumer decode`,
    },
    {
      measure: 'events/s straight to JetStream',
      value: Math.round(directPerS),
      note: 'same updates, acked publish per update',
    },
    { measure: 'ratio bridges / direct', value: Number((bridgedPerS / directPerS).toFixed(2)), note: '' },
    {
      measure: `latency p50 ms at ${RATE}/s`,
      value: Number(percentile(latencies, 50).toFixed(2)),
      note: `${latencies.length} updates`,
    },
    { measure: `latency p99 ms at ${RATE}/s`, value: Number(percentile(latencies, 99).toFixed(2)), note: '' },
    {
      measure: 'heap per account in a bridge, KB',
      value: Number((perAccountKb.reduce((a, b) => a + b, 0) / perAccountKb.length).toFixed(1)),
      note: `held ${memory.map((m) => m.held).join(' + ')}`,
    },
    {
      measure: 'bridge RSS, MB',
      value: Math.round(Math.max(...after.map((m) => m.rss ?? 0)) / 2 ** 20),
      note: 'the larger of the two',
    },
    {
      measure: 'publish retries / pauses',
      value: after.reduce((n, m) => n + (m.retries ?? 0) + (m.paused ?? 0), 0),
      note: '',
    },
    {
      measure: 'leases lost / lease errors',
      value: after.reduce((n, m) => n + (m.lost ?? 0), 0),
      note: `${after.reduce((n, m) => n + (m.leaseErrors ?? 0), 0)} lease errors`,
    },
    { measure: 'invalid payloads at the consumer', value: sink.invalid(), note: '' },
  ];
  printTable(`bus: ${N} accounts → 2 bridges → JetStream → a consumer (lease ${LEASE_MS} ms)`, rows);
  writeResult('bus', { accounts: N, ordersPerAccount: ORDERS, rows });

  await sink.stop();
  await Promise.all(children.map(({ child }) => ask(child, { cmd: 'stop' }, 'stopped')));
  for (const p of publishers) await p.close();
  await server.close();
  await nats.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
