import { concatMap, defer, of, type Observable } from 'rxjs';
import { compareDecimals } from '../util/decimal';
import type { KnownOrder, RestOrderFact } from './facts';
import {
  offEstimate,
  readAfterOpen,
  type GapWindow,
  type ReconcileFindings,
  type ReconcileLimits,
} from './plan';
import type { ReconcileSource } from './source';

/**
 * The symbols on which the exchange's open orders disagree with the store: an order open in
 * the store but not on the exchange, open on the exchange but unknown (or ended) in the
 * store, or open on both with another executed quantity (beyond an estimate's error).
 *
 * ## Example
 * ```ts
 * disagreements(openNow, knownOrdersOf(snapshot)); // Set { 'btcidr' }
 * ```
 * @internal
 */
export function disagreements(open: readonly RestOrderFact[], known: readonly KnownOrder[]): Set<string> {
  const byId = new Map(known.map((k) => [k.orderId, k]));
  const openIds = new Set(open.map((o) => o.orderId));
  const out = new Set<string>();
  for (const k of known) if (k.open && !openIds.has(k.orderId)) out.add(k.symbol);
  for (const o of open) {
    const k = byId.get(o.orderId);
    const differs =
      k === undefined ||
      !k.open ||
      (o.executedQty !== undefined && compareDecimals(o.executedQty, k.executedQty) !== 0) ||
      (o.executedQty === undefined &&
        o.estimatedExecutedQty !== undefined &&
        k.approximate !== true &&
        offEstimate(k.executedQty, o.estimatedExecutedQty));
    if (differs) out.add(o.symbol);
  }
  return out;
}

/**
 * The check while connected, cheap when nothing is wrong: one open-orders read; where it
 * disagrees with the store (see {@link disagreements}), the histories of those symbols only
 * over `window`, as {@link reconcileOnce} reads them. Equal: findings with nothing to fold
 * and one call.
 *
 * ```text
 * openOrders ─► agree? ── yes ─► {orders: [], calls: 1}
 *                      └─ no ──► closedOrders + trades, per disagreeing symbol (+ short orders)
 * ```
 *
 * ## Example
 * ```ts
 * checkOnce(source, knownOrdersOf(snapshot), { from: lastCheck - margin, to: now }).subscribe((f) => f.calls);
 * ```
 */
export function checkOnce(
  source: ReconcileSource,
  known: readonly KnownOrder[],
  window: GapWindow,
  limits: ReconcileLimits = {},
): Observable<ReconcileFindings> {
  return defer(() =>
    source.openOrders().pipe(
      concatMap((open) => {
        const symbols = disagreements(open, known);
        if (symbols.size === 0)
          return of<ReconcileFindings>({ orders: [], fills: [], unresolved: [], calls: 1, window });
        return readAfterOpen(source, known, window, limits, open, symbols);
      }),
    ),
  );
}
