import { concatMap, defer, from, map, mergeMap, of, reduce, type Observable } from 'rxjs';
import { addDecimals, compareDecimals } from '../util/decimal';
import { isExchangeOrderId } from '../orders/order-id';
import type { KnownOrder, RestFillFact, RestOrderFact } from './facts';
import { readableIds } from './readable-ids';
import type { ReconcileSource } from './source';

/** The stretch of time a reconciliation covers (ms). */
export interface GapWindow {
  /** The last moment the link was known to be up (or, the first time, the start minus a look-back). */
  readonly from: number;
  /** Now. */
  readonly to: number;
}

/** What one reconciliation read. Turned into updates against the store of the moment it lands. */
export interface ReconcileFindings {
  /** Orders open now, and orders that ended in the window. */
  readonly orders: readonly RestOrderFact[];
  /** Every fill read (the window's, and the whole life of orders whose fills were short). */
  readonly fills: readonly RestFillFact[];
  /**
   * Orders the store had as open that no answer accounts for, and order ids reconciliation
   * cannot read (`<pair>-<type>-<number>`): reported, never guessed at.
   */
  readonly unresolved: readonly string[];
  /** How many source calls it took (each may be several pages). */
  readonly calls: number;
  /** The window read, after the bound was applied. */
  readonly window: GapWindow;
}

/** Limits of {@link reconcileOnce}. */
export interface ReconcileLimits {
  /** Also read the symbols of orders seen this recently, for orders born and ended in the gap (default 24 h). */
  readonly recentSymbolsMs?: number;
  /** Source calls in flight at once (default 2; the API's own rate limiter still applies). */
  readonly concurrency?: number;
  /**
   * Never read further back than this before `to`, whatever the store holds (default 7 days):
   * a `since` of 0 or −Infinity cannot make it walk windows since 1970.
   */
  readonly maxLookbackMs?: number;
}

const DAY = 24 * 3600_000;
const positive = (qty: string | undefined): qty is string => qty !== undefined && /[1-9]/.test(qty);
/** An estimate (legacy BUY, from IDR amounts) is off from an exact quantity by more than its error. @internal */
export const offEstimate = (exact: string, estimate: string): boolean =>
  Math.abs(Number(estimate) - Number(exact)) > Math.max(1e-8, Number(estimate) * 0.005);

/**
 * One reconciliation, per symbol and window: which orders are open now (one call); for each
 * symbol touched (open now, known open, seen recently), the orders that ended and the fills
 * made in the window (one call each, paged by the source); then, only for orders whose fills
 * still fall short of their executed quantity (store or exchange side), the fills of their
 * whole life (one call per such order). The cost grows with the symbols and the gap's
 * length, not with the orders. Every start is clamped to `to − maxLookbackMs`.
 *
 * ```text
 * openOrders ─► symbols ─► closedOrders(s, from, to) + trades(s, from → now)   (per symbol)
 *                      ─► trades(s, since → now, orderId)                     (short orders only)
 * ```
 *
 * ## Example
 * ```ts
 * reconcileOnce(tradeApiSource(api), knownOrdersOf(snapshot), { from: lastUp, to: Date.now() })
 *   .subscribe((f) => console.log(f.orders.length, 'orders,', f.fills.length, 'fills,', f.calls, 'calls'));
 * ```
 */
export function reconcileOnce(
  source: ReconcileSource,
  known: readonly KnownOrder[],
  window: GapWindow,
  limits: ReconcileLimits = {},
): Observable<ReconcileFindings> {
  return defer(() =>
    source.openOrders().pipe(concatMap((open) => readAfterOpen(source, known, window, limits, open))),
  );
}

/**
 * The rest of {@link reconcileOnce} once the open orders are read (that read counts as one
 * call): the histories of the touched symbols, of `only` these when given (a check reads
 * only where the store disagrees), then the whole life of orders whose fills fall short.
 *
 * ## Example
 * ```ts
 * source.openOrders().pipe(concatMap((open) => readAfterOpen(source, known, window, {}, open, new Set(['btcidr']))));
 * ```
 * @internal
 */
export function readAfterOpen(
  source: ReconcileSource,
  store: readonly KnownOrder[],
  window: GapWindow,
  limits: ReconcileLimits,
  answer: readonly RestOrderFact[],
  only?: ReadonlySet<string>,
): Observable<ReconcileFindings> {
  // Only ids it can read are planned with; the rest are reported (see readableIds).
  const { known, unreadable, usable } = readableIds(store);
  // An echo of an unreadable id is dropped silently (that id is reported); an unreadable answer is reported.
  const dropped = answer.filter((o) => !usable(o) && !isExchangeOrderId(o.orderId)).map((o) => o.orderId);
  const recentMs = limits.recentSymbolsMs ?? DAY;
  const concurrency = limits.concurrency ?? 2;
  const bound = window.to - (limits.maxLookbackMs ?? 7 * DAY);
  const clamp = (t: number): number => (Number.isFinite(t) && t > bound ? Math.min(t, window.to) : bound);
  const gap: GapWindow = { from: clamp(window.from), to: window.to };
  const byId = new Map(known.map((k) => [k.orderId, k]));
  return defer(() => {
    let calls = 1;
    return of(answer.filter(usable)).pipe(
      concatMap((open) => {
        const openIds = new Set(open.map((o) => o.orderId));
        const vanished = known.filter((k) => k.open && !openIds.has(k.orderId));
        // Histories of a symbol from the earliest moment an order on it may have changed.
        const starts = new Map<string, number>();
        const want = (symbol: string, start: number): void => {
          if (only && !only.has(symbol)) return;
          starts.set(symbol, Math.min(starts.get(symbol) ?? gap.from, clamp(start)));
        };
        for (const k of vanished) want(k.symbol, Math.min(k.since, gap.from));
        for (const o of open) want(o.symbol, gap.from);
        for (const k of known) if (k.since >= window.to - recentMs) want(k.symbol, gap.from);
        return from([...starts]).pipe(
          mergeMap(([symbol, start]) => {
            calls += 2;
            return source
              .closedOrders(symbol, start, gap.to)
              .pipe(
                concatMap((closed) =>
                  source.trades(symbol, gap.from).pipe(map((fills) => ({ closed, fills }))),
                ),
              );
          }, concurrency),
          reduce(
            (all, part) => ({ closed: all.closed.concat(part.closed), fills: all.fills.concat(part.fills) }),
            { closed: [] as RestOrderFact[], fills: [] as RestFillFact[] },
          ),
          map(({ closed, fills }) => {
            const vanishedIds = new Set(vanished.map((k) => k.orderId));
            const ended = closed.filter(
              (row) =>
                vanishedIds.has(row.orderId) ||
                byId.get(row.orderId)?.open === true ||
                (row.finishTime ?? row.submitTime) >= gap.from,
            );
            const seen = new Set(ended.map((c) => c.orderId));
            const unresolved = [
              ...unreadable,
              ...dropped,
              ...ended.filter((c) => !usable(c) && !isExchangeOrderId(c.orderId)).map((c) => c.orderId),
              ...vanished.filter((k) => !seen.has(k.orderId)).map((k) => k.orderId),
            ];
            return {
              orders: [...open, ...ended.filter(usable)],
              fills,
              unresolved: [...new Set(unresolved)],
            };
          }),
        );
      }),
      concatMap(({ orders, fills, unresolved }) => {
        const short = shortOrders(orders, fills, known, bound);
        return from(short).pipe(
          mergeMap((s) => {
            calls += 1;
            return source.trades(s.symbol, clamp(s.since), s.orderId);
          }, concurrency),
          reduce((all, rows) => all.concat(rows), fills as readonly RestFillFact[]),
          map((all): ReconcileFindings => ({
            orders,
            fills: distinctFills(all),
            unresolved,
            calls,
            window: gap,
          })),
        );
      }),
    );
  });
}

/**
 * The orders whose distinct fills (the store's and those just read) add up to less than
 * their executed quantity on either side: their earlier fills must be fetched.
 *
 * ## Example
 * ```ts
 * shortOrders(openNow, windowFills, knownOrdersOf(snapshot), to - maxLookbackMs); // [{ orderId, symbol, since }]
 * ```
 * @internal
 */
export function shortOrders(
  orders: readonly RestOrderFact[],
  fills: readonly RestFillFact[],
  known: readonly KnownOrder[],
  bound: number,
): { orderId: string; symbol: string; since: number }[] {
  const byId = new Map(known.map((k) => [k.orderId, k]));
  const read = new Map<string, RestFillFact[]>();
  for (const f of fills) read.set(f.orderId, [...(read.get(f.orderId) ?? []), f]);
  const fillsQty = (orderId: string): string => {
    const k = byId.get(orderId);
    let qty = k?.fillsQty ?? '0';
    for (const f of read.get(orderId) ?? []) if (!k?.tradeIds.has(f.tradeId)) qty = addDecimals(qty, f.qty);
    return qty;
  };
  const out = new Map<string, { orderId: string; symbol: string; since: number }>();
  const check = (orderId: string, symbol: string, since: number, target: string | undefined): void => {
    if (!positive(target) || out.has(orderId)) return;
    if (compareDecimals(fillsQty(orderId), target) < 0) out.set(orderId, { orderId, symbol, since });
  };
  for (const o of orders) {
    const since = Math.min(o.submitTime, byId.get(o.orderId)?.since ?? o.submitTime);
    if (o.executedQty !== undefined) check(o.orderId, o.symbol, since, o.executedQty);
    else if (positive(o.estimatedExecutedQty)) {
      // An estimate (legacy BUY): fills are missing only when they fall short of it by more
      // than its error (fills read after it may well exceed it).
      const have = fillsQty(o.orderId);
      if (compareDecimals(have, o.estimatedExecutedQty) < 0 && offEstimate(have, o.estimatedExecutedQty))
        out.set(o.orderId, { orderId: o.orderId, symbol: o.symbol, since });
    }
  }
  // The store's side: open orders (an ended one is checked when an answer mentions it, so an
  // order whose fills the exchange never returns costs no call per run forever).
  for (const k of known) {
    if (k.approximate === true || !k.open) continue;
    check(k.orderId, k.symbol, Math.max(k.since, bound), k.executedQty);
  }
  return [...out.values()];
}

function distinctFills(fills: readonly RestFillFact[]): RestFillFact[] {
  const seen = new Map<string, RestFillFact>();
  for (const f of fills) if (!seen.has(f.tradeId)) seen.set(f.tradeId, f);
  return [...seen.values()];
}
