/**
 * Connections: 1,000 concurrent `privateChannel` subscriptions (1,000 accounts) in one
 * process; heap per connection, and after all unsubscribe: heap, open sockets on the
 * server and active handles back to their baselines. Run with `node --expose-gc`.
 */
import { of, type Subscription } from 'rxjs';
import { privateChannel } from '../lib/connection/private-channel';
import { benchToken, startBenchServer } from './server';
import { activeHandles, heapUsed, printTable, writeResult } from './report';

const COUNT = Number(process.env['BENCH_CONNECTIONS'] ?? 1_000);

async function until(check: () => Promise<boolean> | boolean, tries = 500): Promise<boolean> {
  for (let i = 0; i < tries; i += 1) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

async function round(wsUrl: string, count: number): Promise<void> {
  let subscribed = 0;
  const subs: Subscription[] = [];
  for (let i = 0; i < count; i += 1) {
    subs.push(
      privateChannel({ token$: of(benchToken(i)), wsUrl, pingIntervalMs: 3_600_000 }).subscribe((m) => {
        if (m.type === 'status' && m.status.state === 'subscribed') subscribed += 1;
      }),
    );
  }
  await until(() => subscribed === count, 3_000);
  for (const s of subs) s.unsubscribe();
}

/** Runs the connections bench and returns its result. */
export async function connections(): Promise<Record<string, unknown>> {
  if ((globalThis as { gc?: unknown }).gc === undefined)
    console.warn('run with node --expose-gc for exact heap numbers');
  const server = await startBenchServer();
  // Warm-up: load and compile the code paths once, so the baseline holds them too.
  await round(server.wsUrl, 50);
  await until(async () => (await server.request({ cmd: 'stats' })).open === 0);
  const handlesBefore = activeHandles();
  const heapBefore = heapUsed();
  let subscribed = 0;
  const subs: Subscription[] = [];
  const started = performance.now();
  for (let i = 0; i < COUNT; i += 1) {
    subs.push(
      privateChannel({ token$: of(benchToken(i)), wsUrl: server.wsUrl, pingIntervalMs: 3_600_000 }).subscribe(
        (m) => {
          if (m.type === 'status' && m.status.state === 'subscribed') subscribed += 1;
        },
      ),
    );
  }
  await until(() => subscribed === COUNT, 3_000);
  const connectMs = performance.now() - started;
  const heapConnected = heapUsed();
  const openConnected = (await server.request({ cmd: 'stats' })).open ?? -1;
  const handlesConnected = activeHandles();
  for (const s of subs) s.unsubscribe();
  subs.length = 0;
  await until(async () => (await server.request({ cmd: 'stats' })).open === 0);
  await until(() => activeHandles() <= handlesBefore);
  const openAfter = (await server.request({ cmd: 'stats' })).open ?? -1;
  const handlesAfter = activeHandles();
  const heapAfter = heapUsed();
  // A second full round: if the heap after it matches the first, what stayed is not per connection.
  await round(server.wsUrl, COUNT);
  await until(async () => (await server.request({ cmd: 'stats' })).open === 0);
  const heapAfter2 = heapUsed();
  await server.close();
  const row = {
    connections: COUNT,
    subscribed,
    'connect all (ms)': Math.round(connectMs),
    'server open sockets': openConnected,
    'heap before (KB)': Math.round(heapBefore / 1024),
    'heap connected (KB)': Math.round(heapConnected / 1024),
    'heap per connection (KB)': (heapConnected - heapBefore) / COUNT / 1024,
    'heap after (KB)': Math.round(heapAfter / 1024),
    'heap after / before': heapAfter / heapBefore,
    'heap after 2nd round (KB)': Math.round(heapAfter2 / 1024),
    'open sockets after': openAfter,
    'handles before/connected/after': `${handlesBefore}/${handlesConnected}/${handlesAfter}`,
  };
  printTable('connections: concurrent privateChannel subscriptions', [row]);
  const result = { ...row, handlesBefore, handlesConnected, handlesAfter };
  writeResult('connections', result);
  return result;
}

if (require.main === module) void connections();
