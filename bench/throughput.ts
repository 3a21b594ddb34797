/**
 * Throughput: 200,000 `order_update` events (10 per push, 20 pushes per frame) from the
 * server worker to (a) a raw `ws` loop, (b) `centrifuge` + hand fold, (c) our pipeline.
 */
import { performance } from 'node:perf_hooks';
import { benchToken, startBenchServer, type BenchServer } from './server';
import {
  centrifugeClient,
  channelOnlyClient,
  decodeOnlyClient,
  ourClient,
  rawWsClient,
  type ClientFactory,
} from './clients';
import { median, printTable, writeResult } from './report';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 200_000);
const RUNS = 3;

/** One run: events/s, and how busy the client's event loop was meanwhile (1 = CPU-bound). */
async function once(
  server: BenchServer,
  factory: ClientFactory,
  account: number,
): Promise<{ rate: number; busy: number }> {
  const token = benchToken(account);
  await server.request({
    cmd: 'prepare',
    channel: token.channel,
    events: EVENTS,
    perPush: 10,
    pushesPerFrame: 20,
  });
  let count = 0;
  let start = 0;
  let loop = performance.eventLoopUtilization();
  let resolveDone: (ms: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  const client = factory(server.wsUrl, token, () => {
    count += 1;
    if (count === EVENTS) {
      loop = performance.eventLoopUtilization(loop);
      resolveDone(performance.now() - start);
    }
  });
  await client.ready;
  start = performance.now();
  loop = performance.eventLoopUtilization();
  await server.request({ cmd: 'go', channel: token.channel });
  const ms = await done;
  client.close();
  return { rate: (EVENTS / ms) * 1000, busy: loop.utilization };
}

/** Runs the throughput bench and returns its result. */
export async function throughput(): Promise<Record<string, unknown>> {
  const server = await startBenchServer();
  const clients: [string, ClientFactory][] = [
    ['a: raw ws + JSON.parse', rawWsClient],
    ['b: centrifuge + hand fold', centrifugeClient],
    ['c: privateChannel → orderUpdates → orderState', ourClient],
    // Diagnostics: where (c) spends its time, stage by stage.
    ['1: (c) stage privateChannel only', channelOnlyClient],
    ['2: (c) stage privateChannel → orderUpdates', decodeOnlyClient],
  ];
  // BENCH_CLIENTS=c runs only ours (for `node --cpu-prof`).
  const pick = process.env['BENCH_CLIENTS']?.split(',');
  if (pick) clients.splice(0, clients.length, ...clients.filter(([name]) => pick.includes(name.charAt(0))));
  const runs: Record<string, number[]> = {};
  const busy: Record<string, number[]> = {};
  let account = 0;
  // Warm-up pass (JIT), then the measured runs interleaved so drift hits all alike.
  for (const [, factory] of clients) await once(server, factory, account++);
  for (let r = 0; r < RUNS; r += 1) {
    for (const [name, factory] of clients) {
      const { rate, busy: b } = await once(server, factory, account++);
      (runs[name] ??= []).push(rate);
      (busy[name] ??= []).push(b);
    }
  }
  await server.close();
  const medians = clients.map(([name]) => median(runs[name] ?? []));
  const of = (key: string): number =>
    medians[clients.findIndex(([name]) => name.startsWith(`${key}:`))] ?? Number.NaN;
  const [a, b, c] = [of('a'), of('b'), of('c')];
  const rows = clients.map(([name], i) => ({
    client: name,
    'events/s (median of 3)': Math.round(medians[i] ?? 0),
    runs: (runs[name] ?? []).map((v) => Math.round(v)).join(', '),
    // Below 1, the client waited for the server: its rate is the server's, not its own.
    'client loop busy': median(busy[name] ?? []).toFixed(2),
  }));
  printTable(`throughput: ${EVENTS} events, 10 per push, 20 pushes per frame`, rows);
  const ratios = { 'c/a': c / a, 'c/b': c / b };
  console.log(
    `c/a = ${ratios['c/a'].toFixed(3)} (target ≥ 0.67), c/b = ${ratios['c/b'].toFixed(3)} (target ≥ 1.0)`,
  );
  const result = { events: EVENTS, perPush: 10, pushesPerFrame: 20, runs, busy, medians: rows, ratios };
  writeResult('throughput', result);
  return result;
}

if (require.main === module) void throughput();
