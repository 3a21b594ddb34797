import { concatMap, defer, from, map, mergeMap, reduce, toArray, type Observable } from 'rxjs';
import { compareDecimals } from '../orders/decimal';
import type { KnownOrder, RestFillFact, RestOrderFact } from './facts';
import type { ReconcileSource } from './source';

/** The stretch of time a reconciliation covers (ms). */
export interface GapWindow {
  /** The last moment the link was known to be up (or, the first time, the start minus a look-back). */
  readonly from: number;
  /** Now. */
  readonly to: number;
}

/** What one reconciliation found. */
export interface ReconcileFindings {
  /** Orders open now and orders that ended in the gap (or changed since the store saw them). */
  readonly orders: readonly RestOrderFact[];
  /** Fills of touched orders that the store had not counted. */
  readonly fills: readonly RestFillFact[];
  /** Orders the store had as open that no answer accounts for. */
  readonly unresolved: readonly string[];
  /** How many REST calls it took. */
  readonly calls: number;
}

/** Limits of {@link reconcileOnce}. */
export interface ReconcileLimits {
  /** Look at symbols of orders seen this recently, for orders born and ended in the gap (default 24 h). */
  readonly recentSymbolsMs?: number;
  /** REST calls in flight at once (default 2; the API's own rate limiter still applies). */
  readonly concurrency?: number;
}

const positive = (qty: string | undefined): boolean => qty !== undefined && /[1-9]/.test(qty);
/** An estimate (legacy BUY, from IDR amounts) is off from what the store knows by more than its error. */
const offEstimate = (known: string, estimate: string): boolean =>
  Math.abs(Number(estimate) - Number(known)) > Math.max(1e-8, Number(estimate) * 0.005);
/** The store knows a different executed quantity, or lacks fills that make it up. */
const behind = (k: KnownOrder, executed: string): boolean =>
  compareDecimals(executed, k.executedQty) !== 0 || compareDecimals(k.fillsQty, executed) < 0;

/**
 * One reconciliation: which orders are open now (one call), what became of the orders the
 * store had as open and of orders born in the gap (v2 histories, one call per symbol),
 * and the fills of every order whose executed quantity moved (one call per order).
 * Calls: 1 + symbols + orders with new fills.
 *
 * ```text
 * openOrders ──► vanished = known open − open now
 *            ──► closedOrders(symbol, from, to) for each symbol of vanished, open and recent orders
 *            ──► fills(order) for each touched order whose executedQty changed
 * ```
 *
 * ## Example
 * ```ts
 * reconcileOnce(tradeApiSource(api), knownOrdersOf(snapshot), { from: lastUp, to: Date.now() })
 *   .subscribe((f) => console.log(f.orders.length, 'orders,', f.fills.length, 'fills'));
 * ```
 */
export function reconcileOnce(
  source: ReconcileSource,
  known: readonly KnownOrder[],
  window: GapWindow,
  limits: ReconcileLimits = {},
): Observable<ReconcileFindings> {
  const recentMs = limits.recentSymbolsMs ?? 24 * 3600_000;
  const concurrency = limits.concurrency ?? 2;
  const byId = new Map(known.map((k) => [k.orderId, k]));
  return defer(() => {
    let calls = 1;
    return source.openOrders().pipe(
      concatMap((open) => {
        const openIds = new Set(open.map((o) => o.orderId));
        const vanished = known.filter((k) => k.open && !openIds.has(k.orderId));
        // Query each symbol from the earliest moment an order on it may have changed.
        const starts = new Map<string, number>();
        const want = (symbol: string, start: number): void => {
          starts.set(symbol, Math.min(starts.get(symbol) ?? Number.POSITIVE_INFINITY, start));
        };
        for (const k of vanished) want(k.symbol, Math.min(k.since, window.from));
        for (const o of open) want(o.symbol, window.from);
        for (const k of known) if (k.since >= window.to - recentMs) want(k.symbol, window.from);
        const vanishedIds = new Set(vanished.map((k) => k.orderId));
        return from([...starts]).pipe(
          mergeMap(([symbol, start]) => {
            calls += 1;
            return source.closedOrders(symbol, start, window.to);
          }, concurrency),
          reduce((all, rows) => all.concat(rows), [] as RestOrderFact[]),
          map((closedRows) => {
            const closed = closedRows.filter((row) => {
              const k = byId.get(row.orderId);
              if (vanishedIds.has(row.orderId)) return true;
              if (!k) return (row.finishTime ?? row.submitTime) >= window.from;
              return k.open || (row.executedQty !== undefined && behind(k, row.executedQty));
            });
            const seen = new Set(closed.map((c) => c.orderId));
            const unresolved = vanished.filter((k) => !seen.has(k.orderId)).map((k) => k.orderId);
            const opened = open.filter((o) => {
              const k = byId.get(o.orderId);
              if (!k || !k.open) return true;
              if (o.executedQty !== undefined) return behind(k, o.executedQty);
              return (
                o.estimatedExecutedQty !== undefined && offEstimate(k.executedQty, o.estimatedExecutedQty)
              );
            });
            return { orders: [...opened, ...closed], unresolved };
          }),
        );
      }),
      concatMap(({ orders, unresolved }) => {
        const needFills = orders.filter((o) => {
          const k = byId.get(o.orderId);
          if (o.executedQty === undefined) {
            // A legacy BUY: only its fills tell the executed quantity exactly.
            const estimate = o.estimatedExecutedQty;
            if (estimate === undefined) return !k;
            return k ? offEstimate(k.executedQty, estimate) : positive(estimate);
          }
          return positive(o.executedQty) && (!k || behind(k, o.executedQty));
        });
        return from(needFills).pipe(
          mergeMap((o) => {
            calls += 1;
            return source.fills(o.symbol, o.orderId, Math.min(o.submitTime, window.from));
          }, concurrency),
          concatMap((rows) => from(rows)),
          toArray(),
          map((fills): ReconcileFindings => ({
            orders,
            fills: fills.filter((f) => !byId.get(f.orderId)?.tradeIds.has(f.tradeId)),
            unresolved,
            calls,
          })),
        );
      }),
    );
  });
}
