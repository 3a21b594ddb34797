/**
 * Latency: the server worker sends 1,000 events/s (one per push, one push per frame) for
 * about 10 s, each stamped with its send time (`performance.timeOrigin + now()`, a clock
 * the worker and the main thread share); the client takes the time at the store's emission.
 */
import { benchToken, startBenchServer } from './server';
import { ourClient } from './clients';
import { percentile, printTable, writeResult } from './report';

const RATE = 1_000;
const DURATION_MS = Number(process.env['BENCH_LATENCY_MS'] ?? 10_000);

/** Runs the latency bench and returns its result. */
export async function latency(): Promise<Record<string, unknown>> {
  const server = await startBenchServer();
  const token = benchToken(1);
  const samples: number[] = [];
  const client = ourClient(server.wsUrl, token, (sentAt) => {
    // onEvent runs at the store emission of that event.
    // sentAt is in microseconds (a transactionTime must be an integer).
    samples.push(performance.timeOrigin + performance.now() - sentAt / 1000);
  });
  await client.ready;
  const { sent = 0 } = await server.request({
    cmd: 'paced',
    channel: token.channel,
    rate: RATE,
    durationMs: DURATION_MS,
  });
  // Let the last frames arrive (loopback round-trip).
  for (let i = 0; i < 100 && samples.length < sent; i += 1) await new Promise((r) => setTimeout(r, 10));
  client.close();
  await server.close();
  const row = {
    'rate (events/s)': RATE,
    'duration (s)': DURATION_MS / 1000,
    sent,
    received: samples.length,
    'p50 (ms)': percentile(samples, 50),
    'p99 (ms)': percentile(samples, 99),
    'max (ms)': percentile(samples, 100),
  };
  printTable('latency: server send → store emission', [row]);
  const result = { rate: RATE, durationMs: DURATION_MS, ...row };
  writeResult('latency', result);
  return result;
}

if (require.main === module) void latency();
