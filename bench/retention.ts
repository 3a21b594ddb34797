/**
 * Memory held by old snapshots: folds 600,000 updates (a NEW → FILL → DONE life per order)
 * while holding none, one early, 13 far-apart and 600 close snapshots, and prints the heap
 * growth after a full GC, then again after reading every held snapshot.
 *
 *   npx tsc -p bench/tsconfig.json && node --expose-gc .bench-out/bench/retention.js
 */
import { createOrderState, decodeOrderItem, reduceOrderState, type OrderUpdate } from '../lib/orders';
import { wireItem } from './events';

const UPDATES = Number(process.env['BENCH_RETENTION_UPDATES'] ?? 600_000);

function update(n: number): OrderUpdate {
  const r = decodeOrderItem(JSON.parse(JSON.stringify(wireItem(n, 1_767_225_600_000 + n))));
  if (r.kind !== 'update') throw new Error('bench: not an update');
  return r.update;
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

function run(label: string, keep: (n: number) => boolean): void {
  const before = heapMb();
  let s = createOrderState();
  const kept = [];
  for (let n = 0; n < UPDATES; n++) {
    s = reduceOrderState(s, update(n));
    if (keep(n)) kept.push(s);
  }
  const held = heapMb() - before;
  let sizes = 0;
  for (const k of kept) sizes += k.orders.size + (k.orders.get('btcidr-limit-500') === undefined ? 0 : 1);
  const afterReading = heapMb() - before;
  console.log(
    `${label.padEnd(28)} heap growth ${held.toFixed(1).padStart(6)} MB, after reading them ${afterReading.toFixed(1).padStart(6)} MB (${kept.length} held, ${sizes} entries read)`,
  );
}

if (typeof (globalThis as { gc?: unknown }).gc !== 'function') throw new Error('run with node --expose-gc');
run('none held', () => false);
run('one early snapshot', (n) => n === 3000);
run('13 snapshots 50,000 apart', (n) => n === 3000 || n % 50_000 === 0);
run('600 snapshots 1,000 apart', (n) => n === 3000 || n % 1000 === 0);
