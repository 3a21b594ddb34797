import fc from 'fast-check';
import { decodeOrderItem } from '../../lib/orders/decode';
import { addDecimals, compareDecimals } from '../../lib/util/decimal';
import { createOrderState, reduceOrderState, type OrderStateSnapshot } from '../../lib/orders';
import { knownOrdersOf } from '../../lib/reconcile/known';
import { reconcileOnce, type ReconcileFindings } from '../../lib/reconcile/plan';
import { findingsToUpdates } from '../../lib/reconcile/to-updates';
import { DEFAULT_TIME, orderLifecycle, type LifecycleEnd } from '../../lib/testing/builders';
import { foldOrderLog, type FakeBookOrder } from '../../lib/testing/fake-rest';
import { storeDifferences } from '../../lib/testing/store-check';
import { bookSource } from './book-source';

type Book = ReadonlyMap<string, FakeBookOrder>;

const push = (state: OrderStateSnapshot, item: unknown): OrderStateSnapshot => {
  const r = decodeOrderItem(item, { source: 'ws' });
  return r.kind === 'update' ? reduceOrderState(state, r.update) : state;
};
const apply = (state: OrderStateSnapshot, findings: ReconcileFindings): OrderStateSnapshot =>
  findingsToUpdates(findings, state).reduce(reduceOrderState, state);
const read = (known: OrderStateSnapshot, orders: Book, trades: Book): ReconcileFindings => {
  let out: ReconcileFindings | undefined;
  reconcileOnce(bookSource(orders, trades), knownOrdersOf(known), {
    from: DEFAULT_TIME - 60_000,
    to: DEFAULT_TIME + 3_600_000,
  }).subscribe((f) => (out = f));
  if (!out) throw new Error('no findings');
  return out;
};

/** fee + tax per asset, over distinct fills: what the exchange charged. */
const charged = (fills: Iterable<{ fee: string; tax: string; asset: string }>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const f of fills) out[f.asset] = addDecimals(addDecimals(out[f.asset] ?? '0', f.fee), f.tax);
  return out;
};

/** Everything the store must agree on with the exchange, beyond `storeDifferences`. */
function moreDifferences(state: OrderStateSnapshot, book: Book): string[] {
  const out: string[] = [];
  for (const [id, want] of book) {
    const have = state.orders.get(id);
    if (!have) continue;
    if (compareDecimals(have.unfilledQty, want.unfilledQty) !== 0)
      out.push(`${id} unfilledQty ${have.unfilledQty}, exchange ${want.unfilledQty}`);
    if (compareDecimals(have.fillsQty, want.executedQty) !== 0)
      out.push(`${id} fillsQty ${have.fillsQty}, exchange ${want.executedQty}`);
    const mine = [...have.fills.values()].map((f) => ({ fee: f.fee, tax: f.tax, asset: f.feeAsset }));
    const theirs = want.fills.map((f) => ({ fee: f.fee, tax: f.tax, asset: f.feeAsset }));
    const a = charged(mine);
    const b = charged(theirs);
    if (JSON.stringify(Object.entries(a).sort()) !== JSON.stringify(Object.entries(b).sort()))
      out.push(`${id} fees ${JSON.stringify(a)}, exchange ${JSON.stringify(b)}`);
  }
  return out;
}

const lifecycle = fc.record({
  symbol: fc.constantFrom('btcidr', 'ethidr'),
  fills: fc.array(fc.constantFrom('0.001', '0.002', '0.0005'), { maxLength: 4 }),
  end: fc.constantFrom<LifecycleEnd>('DONE', 'CANCELLED', 'REJECTED', 'OPEN'),
  start: fc.nat(400),
  /** Left unfilled by the fills (0: the last fill fills it). */
  rest: fc.constantFrom('0', '0.001', '0.0025'),
});
/** A reconciliation: starts at `s` (reads the store), open orders and histories at `a`, trades at `b`, lands at `c`. */
const reading = fc.array(fc.nat(1000), { minLength: 4, maxLength: 4 });

describe('merge rules under any interleaving of pushes and REST reads (property)', () => {
  it('after quiescence the store equals the exchange: status, quantities, distinct fills, fees per asset', () => {
    fc.assert(
      fc.property(
        fc.array(lifecycle, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(9), { minLength: 40, maxLength: 40 }),
        fc.array(reading, { maxLength: 3 }),
        (specs, deliveries, readings) => {
          const log = specs
            .flatMap((spec, i) =>
              orderLifecycle({
                orderId: `${spec.symbol}-limit-${i + 1}`,
                symbol: spec.symbol,
                fills: spec.fills,
                origQty: addDecimals(
                  spec.fills.reduce((sum, q) => addDecimals(sum, q), '0'),
                  spec.fills.length === 0 ? '0.001' : spec.end === 'DONE' ? '0' : spec.rest,
                ),
                end: spec.fills.length === 0 && spec.end === 'DONE' ? 'OPEN' : spec.end,
                transactionTime: DEFAULT_TIME + spec.start,
                stepMs: 100,
              }),
            )
            .sort((x, y) => x.order.transactionTime - y.order.transactionTime);
          const n = log.length;
          // The first push of each symbol arrives (an order born and ended in a gap on a symbol
          // never seen is out of reach: docs/reconciliation.md); others are lost ~20 % of the time.
          const seen = new Set<string>();
          const delivered = log.map((item, i) => {
            const first = !seen.has(item.order.symbol);
            seen.add(item.order.symbol);
            return first || (deliveries[i % deliveries.length] ?? 9) >= 2;
          });
          const reads = readings.map((r) => {
            const [s, a, b, c] = r.map((x) => x % (n + 1)).sort((x, y) => x - y) as [
              number,
              number,
              number,
              number,
            ];
            return { s, a, b, c };
          });
          let state = createOrderState();
          const started = new Map<number, OrderStateSnapshot>();
          const findings = new Map<number, ReconcileFindings>();
          for (let i = 0; i <= n; i++) {
            reads.forEach((r, k) => {
              if (r.s === i) started.set(k, state);
              // reading at b: the answers of instants a and b, planned with the store of instant s
              if (r.b === i)
                findings.set(
                  k,
                  read(
                    started.get(k) ?? state,
                    foldOrderLog(log.slice(0, r.a)),
                    foldOrderLog(log.slice(0, r.b)),
                  ),
                );
              if (r.c === i) state = apply(state, findings.get(k)!);
            });
            if (i < n && delivered[i]) state = push(state, log[i]);
          }
          // quiet: one more reconciliation after everything happened
          const truth = foldOrderLog(log);
          state = apply(state, read(state, truth, truth));
          expect([
            ...storeDifferences(state, truth).map((d) => `${d.orderId} ${d.what}`),
            ...moreDifferences(state, truth),
          ]).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
