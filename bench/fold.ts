/**
 * Decode + fold without the network: the same publications (10 `order_update` items each,
 * orders going NEW → FILL → FILL → DONE) through
 *
 *   (p) the public operators: `orderUpdates()` → `orderState()`, every snapshot immutable;
 *   (h) what a user writes by hand (bench/hand-fold.ts): plain type checks and a mutable
 *       `Map` fold with exact BigInt decimals (cumulative quantities, fills deduplicated,
 *       fee totals per asset) and the same bounded retention of terminal orders.
 *
 * Reports ns per event (median of several rounds) and the ratio h/p (target ≥ 1.0).
 */
import { from } from 'rxjs';
import {
  createOrderState,
  decodeOrderItem,
  orderState,
  orderUpdates,
  reduceOrderStateBatch,
  type OrderUpdate,
} from '../lib/orders';
import type { ChannelMessage } from '../lib/protocol/messages';
import { HandStore } from './hand-fold';
import { median, printTable, writeResult } from './report';

const EVENTS = Number(process.env['BENCH_FOLD_EVENTS'] ?? 200_000);
const PER_PUSH = 10;
const ROUNDS = 7;
const CYCLE = ['NEW', 'FILL', 'FILL', 'DONE'] as const;
const BASE_TIME = 1_767_225_600_000;

/** The `n`-th wire item: order `floor(n / 4)` going NEW → FILL → FILL → DONE. */
function item(n: number): Record<string, unknown> {
  const id = Math.floor(n / 4);
  const step = n % 4;
  const status = CYCLE[step] ?? 'NEW';
  const executed = step === 0 ? '0' : step === 1 ? '0.005' : '0.01';
  const order: Record<string, unknown> = {
    orderId: `btcidr-limit-${id}`,
    symbol: 'btcidr',
    side: id % 2 === 0 ? 'BUY' : 'SELL',
    origQty: '0.01',
    unfilledQty: step === 0 ? '0.01' : step === 1 ? '0.005' : '0',
    executedQty: executed,
    price: '1500000000',
    description: 'BTC/IDR',
    status,
    transactionTime: BASE_TIME + n,
    clientOrderId: `bench-${id}`,
  };
  if (status === 'FILL') {
    order['tradeId'] = String(72057594037968281n + BigInt(n));
    order['fillInformation'] = {
      participant: 'TAKER',
      filledQty: executed,
      qty: '0.005',
      feeAsset: 'idr',
      feeRate: 0.002,
      fee: '15000',
      taxAsset: 'idr',
      taxRate: 0.0012,
      tax: '9000',
      clearingAsset: 'idr',
      clearingRate: 2.22e-4,
      clearing: '1665',
    };
  }
  return { eventType: 'order_update', order };
}

/** Publications as they come off `JSON.parse` (built once; nobody mutates them). */
function publications(): ChannelMessage[] {
  const out: ChannelMessage[] = [];
  for (let n = 0; n < EVENTS; n += PER_PUSH) {
    const data: unknown[] = [];
    for (let i = n; i < Math.min(EVENTS, n + PER_PUSH); i++) data.push(item(i));
    out.push({
      type: 'publication',
      channel: 'pws:#bench',
      data: JSON.parse(JSON.stringify(data)) as unknown,
    });
  }
  return out;
}

/**
 * (p) Ours: the public operators. Every item of this bench changes the store, so the last
 * snapshot's `version` counts them (no counting hop in the pipeline).
 */
function ours(pubs: readonly ChannelMessage[]): number {
  let version = 0;
  from(pubs)
    .pipe(orderUpdates(), orderState())
    .subscribe((s) => (version = s.version));
  if (version !== EVENTS) throw new Error(`bench: folded ${version} of ${EVENTS}`);
  return version;
}

/** (q) Diagnostic: one step and one snapshot per publication (`reduceOrderStateBatch`). */
function batched(pubs: readonly ChannelMessage[]): number {
  let state = createOrderState();
  let folded = 0;
  const updates: OrderUpdate[] = [];
  for (const m of pubs) {
    if (m.type !== 'publication' || !Array.isArray(m.data)) continue;
    updates.length = 0;
    for (const raw of m.data as unknown[]) {
      const r = decodeOrderItem(raw);
      if (r.kind === 'update') updates.push(r.update);
    }
    folded += updates.length;
    state = reduceOrderStateBatch(state, updates);
  }
  if (folded !== EVENTS || state.version === 0) throw new Error(`bench: batched ${folded} of ${EVENTS}`);
  return folded;
}

// ---- (h) the hand-written baseline (bench/hand-fold.ts, shared with client b) --------

function hand(pubs: readonly ChannelMessage[]): number {
  const store = new HandStore();
  let folded = 0;
  for (const m of pubs) {
    if (m.type !== 'publication' || !Array.isArray(m.data)) continue;
    for (const raw of m.data as unknown[]) if (store.fold(raw) !== undefined) folded += 1;
  }
  if (folded !== EVENTS) throw new Error(`bench: hand folded ${folded} of ${EVENTS}`);
  return folded;
}

function nsPerEvent(
  run: (pubs: readonly ChannelMessage[]) => number,
  pubs: readonly ChannelMessage[],
): number {
  const t0 = process.hrtime.bigint();
  const n = run(pubs);
  return Number(process.hrtime.bigint() - t0) / n;
}

/** Runs the fold bench and returns its result. */
export function fold(): Promise<Record<string, unknown>> {
  const pubs = publications();
  if (process.env['BENCH_FOLD_ONLY'] === 'p') {
    // For `node --cpu-prof`: ours alone, many rounds.
    for (let r = 0; r < 3 * ROUNDS; r++) ours(pubs);
    return Promise.resolve({});
  }
  const samples: Record<'p' | 'q' | 'h', number[]> = { p: [], q: [], h: [] };
  nsPerEvent(ours, pubs); // warm-up (JIT)
  nsPerEvent(batched, pubs);
  nsPerEvent(hand, pubs);
  // Interleaved, so the load of a shared machine hits all alike.
  for (let r = 0; r < ROUNDS; r++) {
    samples.p.push(nsPerEvent(ours, pubs));
    samples.q.push(nsPerEvent(batched, pubs));
    samples.h.push(nsPerEvent(hand, pubs));
  }
  const p = median(samples.p);
  const q = median(samples.q);
  const h = median(samples.h);
  printTable(`fold: ${EVENTS} events, ${PER_PUSH} per publication, no network`, [
    { fold: 'p: orderUpdates() → orderState() (immutable snapshots)', 'ns/event (median)': Math.round(p) },
    {
      fold: 'q: decodeOrderItem + reduceOrderStateBatch, one snapshot per publication',
      'ns/event (median)': Math.round(q),
    },
    { fold: 'h: hand validation + mutable Map, exact BigInt decimals', 'ns/event (median)': Math.round(h) },
  ]);
  const ratio = h / p;
  console.log(
    `h/p = ${ratio.toFixed(3)} (target ≥ 1.0); h/q = ${(h / q).toFixed(3)} (one step per publication)`,
  );
  const result = {
    events: EVENTS,
    perPush: PER_PUSH,
    rounds: ROUNDS,
    nsPerEvent: { ours: p, batched: q, hand: h },
    ratio,
    ratioBatched: h / q,
  };
  writeResult('fold', result);
  return Promise.resolve(result);
}

if (require.main === module) void fold();
