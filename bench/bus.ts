/**
 * The bus: N fake accounts (default 1,000) over 2 bridges (child processes) → NATS JetStream →
 * a consumer that decodes every payload and folds it per account (what `fromJetStream` does).
 * Ratios in the same run: events/s end to end through the bridges vs the same updates published
 * straight to JetStream; p50/p99 from the fake exchange's push to the consumer's decode at a
 * steady rate, beside the same rate published straight from here; CPU per update of each
 * process; a bridge's CPU while it only holds its leases; heap per account in a bridge. Every
 * measure runs `BENCH_BUS_ROUNDS` times (default 3), bridges and straight alternating, and
 * the median is reported with every round listed (the first flood round runs on code not yet
 * optimised by the JIT: it is the slow one). Needs `nats-server` on PATH (or /usr/sbin).
 *
 * `npm run bench:bus`; BENCH_BUS_ACCOUNTS=200 for a smaller run; BENCH_BUS_PROFILE=<folder> for
 * a CPU profile and a profile of what outlived young collections, per bridge, of the first
 * flood and the first paced window; BENCH_BUS_NODE_FLAGS='--flag …' to run the bridges' node
 * with more flags.
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
import { cpuSeconds, median, percentile, pidOf, printTable, writeResult } from './report';

const N = Number(process.env['BENCH_BUS_ACCOUNTS'] ?? 1_000);
const ORDERS = Number(process.env['BENCH_BUS_ORDERS'] ?? 3); // per account, 4 updates each
const RATE = Number(process.env['BENCH_BUS_RATE'] ?? 1_000); // events/s of the latency phase
const LEASE_MS = Number(process.env['BENCH_BUS_LEASE_MS'] ?? 10_000);
/** A folder: each bridge writes a CPU profile of the flood and of the paced phase there. */
const PROFILE = process.env['BENCH_BUS_PROFILE'];
/** Rounds of each measure (a flood, a paced window), each through the bridges then straight to JetStream. */
const ROUNDS = Number(process.env['BENCH_BUS_ROUNDS'] ?? 3);

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
  p99?: number;
  max?: number;
  publishP99?: number;
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
function workload(names: readonly string[], run: number) {
  // Ids in the exchange's form (<pair>-<type>-<number>), distinct per account and per run.
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
    child: fork(path.join(__dirname, 'bus-bridge.js'), [], {
      execArgv: ['--expose-gc', ...(process.env['BENCH_BUS_NODE_FLAGS'] ?? '').split(' ').filter(Boolean)],
      stdio: 'inherit',
    }),
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

  const profile = (phase?: string) =>
    PROFILE === undefined
      ? Promise.resolve()
      : Promise.all(
          children.map(({ id, child }) =>
            ask(
              child,
              { cmd: 'profile', ...(phase ? { to: path.join(PROFILE, `${id}-${phase}.cpuprofile`) } : {}) },
              'profiled',
            ),
          ),
        );

  const natsPid = pidOf('nats-server', nats.url.split(':').pop() ?? '');
  const bridgePids = children.map(({ child }) => child.pid ?? 0);
  /** CPU seconds used so far by the bridges (together), nats-server and this process. */
  const cpu = () => ({
    bridges: bridgePids.reduce((n, pid) => n + cpuSeconds(pid), 0),
    nats: natsPid === undefined ? Number.NaN : cpuSeconds(natsPid),
    bench: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
  });
  const spent = (from: ReturnType<typeof cpu>) => {
    const to = cpu();
    return { bridges: to.bridges - from.bridges, nats: to.nats - from.nats, bench: to.bench - from.bench };
  };

  /** One round: `push` sends every update of the run its way; timed until the consumer has them all. */
  const measured = async (
    run: number,
    what: string,
    push: (updates: ReturnType<typeof workload>) => Promise<void>,
  ) => {
    const updates = workload(names, run);
    const total = updates.reduce((n, l) => n + l.length, 0);
    const base = sink.count();
    const before = cpu();
    const t0 = performance.now();
    await push(updates);
    await until(`every ${what} update consumed`, () => sink.count() >= base + total).catch(
      async (e: unknown) => {
        const m = await Promise.all(children.map(({ child }) => ask(child, { cmd: 'memory' }, 'memory')));
        console.error(`consumed ${sink.count() - base} of ${total}; bridges: ${JSON.stringify(m)}`);
        children.forEach(({ child }) => child.kill());
        await nats.stop(); // leave no server behind
        throw e;
      },
    );
    return { perS: total / ((performance.now() - t0) / 1000), total, cpu: spent(before) };
  };

  // 1. flood through the bridges: every account's updates pushed as fast as the fake can
  const flood = (run: number) =>
    measured(run, 'flooded', async (updates) => {
      for (let i = 0; i < ORDERS * 4; i++) {
        names.forEach((name, a) => {
          const e = updates[a]![i];
          if (e) server.publish([e.item], { account: fake.get(name)!, batch: true });
        });
        await tick();
      }
    });

  // 2. the same updates straight to JetStream: two connections (like the two bridges), each
  //    account's updates in order with an ack each, all accounts at once
  const publishers = [nc, await connect({ servers: nats.url })];
  const straight = (run: number) =>
    measured(run, 'direct', async (updates) => {
      await Promise.all(
        names.map(async (name, a) => {
          const js = jetstream(publishers[a % 2]!);
          for (const e of updates[a]!) {
            await js.publish(ordersSubject(`${name}-direct`, e.update), JSON.stringify(e.update), {
              msgID: updateMsgId(`${name}-direct`, e.update),
            });
          }
        }),
      );
    });

  // Rounds alternate (bridges, then straight) so a slow spell of the machine hits both; the
  // ratio reported is the median of the rounds' ratios.
  const rounds: {
    bridged: Awaited<ReturnType<typeof flood>>;
    direct: Awaited<ReturnType<typeof straight>>;
  }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r === 0) await profile();
    const bridged = await flood(10 + r);
    if (r === 0) await profile('flood');
    rounds.push({ bridged, direct: await straight(50 + r) });
  }
  const ratios = rounds.map((r) => r.bridged.perS / r.direct.perS);
  const total = rounds[0]!.bridged.total;
  const perUpdateUs = (seconds: number) => Math.round((seconds / total) * 1e6);

  // 3. idle: what holding the leases costs when no update comes (renewals, the watch)
  const idleFrom = cpu();
  const idleT0 = performance.now();
  await new Promise((r) => setTimeout(r, 2_000));
  const idle = spent(idleFrom);
  const idleS = (performance.now() - idleT0) / 1000;

  // 4. latency at a steady rate: through the bridges (fake push → consumer decode), then the
  //    same rate published straight from here (publish → consumer decode): what NATS, the
  //    consumer and this machine take without any bridge
  const paced = (run: number) =>
    workload(names, run)
      .flat()
      .map((e, i) => ({ ...e, name: names[i % N]! }));
  const seconds = (n: number) => Math.min(5, n / RATE);
  const perTick = Math.max(1, Math.round(RATE / 100));
  const steady = async (updates: ReturnType<typeof paced>, send: (e: (typeof updates)[number]) => string) => {
    const count = Math.floor(seconds(updates.length) * RATE);
    const sentAt = new Map<string, number>();
    const t0 = performance.now();
    for (let i = 0; i < count; i += perTick) {
      for (const e of updates.slice(i, i + perTick)) sentAt.set(send(e), performance.now());
      const due = t0 + ((i + perTick) / RATE) * 1000;
      await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    }
    await until(
      'every paced update consumed',
      () => [...sentAt.keys()].every((k) => sink.arrived.has(k)),
      60_000,
    );
    return [...sentAt].map(([k, t]) => sink.arrived.get(k)! - t);
  };
  const clients = publishers.map((p) => jetstream(p));
  const index = new Map(names.map((n, i) => [n, i]));
  const throughBridges = (e: ReturnType<typeof paced>[number]) => {
    server.publish([e.item], { account: fake.get(e.name)! });
    return updateMsgId(e.name, e.update as OrderUpdate);
  };
  const straightOut = (e: ReturnType<typeof paced>[number]) => {
    const account = `${e.name}-direct`;
    const msgId = updateMsgId(account, e.update as OrderUpdate);
    void clients[index.get(e.name)! % 2]!.publish(
      ordersSubject(account, e.update as OrderUpdate),
      JSON.stringify(e.update),
      { msgID: msgId },
    );
    return msgId;
  };
  // Windows alternate too (bridges, then straight), each its own p99: a slow spell of this
  // shared machine spoils one window, not the result (the median of the windows' p99).
  const windows: { bridged: number[]; direct: number[]; delay: Reply[] }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    await Promise.all(children.map(({ child }) => ask(child, { cmd: 'delay' }, 'delay'))); // from now on
    if (r === 0) await profile();
    const bridged = await steady(paced(90 + r), throughBridges);
    if (r === 0) await profile('paced');
    const delay = await Promise.all(children.map(({ child }) => ask(child, { cmd: 'delay' }, 'delay')));
    windows.push({ bridged, direct: await steady(paced(70 + r), straightOut), delay });
  }
  const p99s = windows.map((w) => percentile(w.bridged, 99));
  const latencies = windows.flatMap((w) => w.bridged);
  const straightLatencies = windows.flatMap((w) => w.direct);
  const delays = windows.flatMap((w) => w.delay);
  const after = await Promise.all(children.map(({ child }) => ask(child, { cmd: 'memory' }, 'memory')));

  const rows = [
    {
      measure: 'accounts (2 bridges)',
      value: N,
      note: `all claimed and subscribed in ${claimS.toFixed(1)} s`,
    },
    {
      measure: 'events/s end to end via bridges',
      value: Math.round(median(rounds.map((r) => r.bridged.perS))),
      note: `median of ${ROUNDS} rounds of ${total} updates, fake push → consumer decode`,
    },
    {
      measure: 'events/s straight to JetStream',
      value: Math.round(median(rounds.map((r) => r.direct.perS))),
      note: 'same updates, acked publish per update',
    },
    {
      measure: 'ratio bridges / direct',
      value: Number(median(ratios).toFixed(2)),
      note: `rounds: ${ratios.map((x) => x.toFixed(2)).join(', ')}`,
    },
    {
      measure: 'bridge CPU µs per update (flood)',
      value: perUpdateUs(median(rounds.map((r) => r.bridged.cpu.bridges))),
      note: 'both bridges together',
    },
    {
      measure: 'nats-server CPU µs per update',
      value: perUpdateUs(median(rounds.map((r) => r.bridged.cpu.nats))),
      note: `straight: ${perUpdateUs(median(rounds.map((r) => r.direct.cpu.nats)))}`,
    },
    {
      measure: 'bench process CPU µs per update',
      value: perUpdateUs(median(rounds.map((r) => r.bridged.cpu.bench))),
      note: `fake exchange + consumer; straight: publisher + consumer ${perUpdateUs(median(rounds.map((r) => r.direct.cpu.bench)))}`,
    },
    {
      measure: 'idle CPU of a bridge, % of a core',
      value: Number(((idle.bridges / 2 / idleS) * 100).toFixed(1)),
      note: `${N / 2} leases held, no updates; nats-server ${((idle.nats / idleS) * 100).toFixed(1)} %`,
    },
    {
      measure: `latency p50 ms at ${RATE}/s`,
      value: Number(percentile(latencies, 50).toFixed(2)),
      note: `${latencies.length} updates in ${ROUNDS} windows; straight to JetStream: ${percentile(straightLatencies, 50).toFixed(2)}`,
    },
    {
      measure: `latency p99 ms at ${RATE}/s`,
      value: Number(median(p99s).toFixed(2)),
      note: `median of ${ROUNDS} windows: ${p99s.map((x) => x.toFixed(1)).join(', ')}; straight: ${median(windows.map((w) => percentile(w.direct, 99))).toFixed(2)}`,
    },
    {
      measure: `latency p99 ms at ${RATE}/s, all windows`,
      value: Number(percentile(latencies, 99).toFixed(2)),
      note: `straight to JetStream: ${percentile(straightLatencies, 99).toFixed(2)}`,
    },
    {
      measure: 'bridge publish → ack p99 ms',
      value: Number(
        median(windows.map((w) => Math.max(...w.delay.map((d) => d.publishP99 ?? 0)))).toFixed(2),
      ),
      note: 'indodax_pws_publish_duration_seconds, the worse bridge, median of the windows',
    },
    {
      measure: 'bridge event-loop delay p99 / max ms',
      value: Number(Math.max(...delays.map((d) => d.p99 ?? 0)).toFixed(2)),
      note: `max ${Math.max(...delays.map((d) => d.max ?? 0)).toFixed(1)} ms, the worse bridge, while paced`,
    },
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
