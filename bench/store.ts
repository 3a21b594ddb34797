/**
 * Per-update cost of the order store with 1k, 10k and 100k open orders.
 *
 *   BENCH=store npm run bench                 (or, on its own:)
 *   npx tsc --ignoreConfig bench/store.ts --rootDir . --outDir .bench-out --module commonjs \
 *     --target es2022 --moduleResolution bundler --strict --skipLibCheck --esModuleInterop --types node
 *   node .bench-out/bench/store.js          (from the repository root; .bench-out/ is git-ignored)
 *
 * Folds a fixed batch of FILL updates (each on a different open order, new trade ids) into
 * a store that already tracks N open orders, and reports the median time per update over
 * several rounds. The baseline copies a native Map per update (what the store avoids).
 * Writes bench/results/store.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOrderState, reduceOrderState, type OrderStateSnapshot, type OrderUpdate } from '../lib/orders';
import { fill, newOrder } from '../lib/testing/builders';
import { updateOf } from '../lib/testing/marbles';

const SIZES = [1_000, 10_000, 100_000];
const BATCH = 20_000;
const ROUNDS = 15;

function seed(n: number): OrderStateSnapshot {
  let s = createOrderState();
  for (let i = 0; i < n; i++) {
    s = reduceOrderState(
      s,
      updateOf(newOrder({ orderId: `btcidr-limit-${i}`, origQty: '1', transactionTime: i + 1 })),
    );
  }
  return s;
}

function fills(n: number): OrderUpdate[] {
  const out: OrderUpdate[] = [];
  for (let k = 0; k < BATCH; k++) {
    const i = (k * 7919) % n;
    out.push(
      updateOf(
        fill({
          orderId: `btcidr-limit-${i}`,
          origQty: '1',
          qty: '0.00001',
          filledQty: '0.00001',
          tradeId: String(72057594037927936n + BigInt(k)),
          transactionTime: n + k,
        }),
      ),
    );
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function timeStore(start: OrderStateSnapshot, updates: readonly OrderUpdate[]): number {
  const t0 = process.hrtime.bigint();
  let s = start;
  for (const u of updates) s = reduceOrderState(s, u);
  const t1 = process.hrtime.bigint();
  if (s.version !== start.version + updates.length)
    throw new Error('bench: not every update changed the state');
  return Number(t1 - t0) / updates.length;
}

/** What the store avoids: a fresh copy of the whole Map per event. */
function timeCopyingMap(n: number, count: number): number {
  let m = new Map<string, { executed: number }>();
  for (let i = 0; i < n; i++) m.set(`btcidr-limit-${i}`, { executed: 0 });
  const t0 = process.hrtime.bigint();
  for (let k = 0; k < count; k++) {
    const id = `btcidr-limit-${(k * 7919) % n}`;
    const next = new Map(m);
    next.set(id, { executed: (m.get(id)?.executed ?? 0) + 1 });
    m = next;
  }
  return Number(process.hrtime.bigint() - t0) / count;
}

const rows: Array<{ openOrders: number; nsPerUpdate: number; copyingMapNsPerUpdate: number }> = [];
const cases = SIZES.map((n) => ({ n, start: seed(n), updates: fills(n), samples: [] as number[] }));
for (const c of cases) timeStore(c.start, c.updates); // warm-up
// Rounds interleave the sizes, so the load of a shared machine hits every size alike.
for (let r = 0; r < ROUNDS; r++) for (const c of cases) c.samples.push(timeStore(c.start, c.updates));
for (const c of cases) {
  const baseline = median(
    [0, 1, 2].map(() => timeCopyingMap(c.n, Math.max(20, Math.floor(2_000_000 / c.n)))),
  );
  rows.push({
    openOrders: c.n,
    nsPerUpdate: Math.round(median(c.samples)),
    copyingMapNsPerUpdate: Math.round(baseline),
  });
}

const first = rows[0]!;
const last = rows[rows.length - 1]!;
const ratio = last.nsPerUpdate / first.nsPerUpdate;
console.log('open orders | store ns/update | copying Map ns/update');
for (const r of rows) {
  console.log(
    `${String(r.openOrders).padStart(11)} | ${String(r.nsPerUpdate).padStart(15)} | ${String(r.copyingMapNsPerUpdate).padStart(21)}`,
  );
}
console.log(`ratio 100k/1k: ${ratio.toFixed(2)}x (target <= 1.5x)`);
const out = join(process.cwd(), 'bench', 'results');
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'store.json'),
  JSON.stringify(
    {
      node: process.version,
      batch: BATCH,
      rounds: ROUNDS,
      rows,
      ratio100kTo1k: Number(ratio.toFixed(2)),
      target: 1.5,
    },
    null,
    2,
  ) + '\n',
);
