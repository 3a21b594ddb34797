import type { OrderStateSnapshot } from './state';
import { isTerminalStatus } from './status';
import type { TrackedFill, TrackedOrder } from './tracked';

const openCache = new WeakMap<OrderStateSnapshot, readonly TrackedOrder[]>();
const bySymbolCache = new WeakMap<OrderStateSnapshot, ReadonlyMap<string, readonly TrackedOrder[]>>();

const byTime = (a: TrackedOrder, b: TrackedOrder): number =>
  a.firstSeen - b.firstSeen || (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0);

/**
 * The orders still open (NEW or FILL), oldest first (by `firstSeen`, then `orderId`).
 * Computed once per snapshot.
 *
 * ## Example
 * ```ts
 * orders$.pipe(map(openOrders)).subscribe((open) => console.log(open.length, 'open'));
 * ```
 */
export function openOrders(snapshot: OrderStateSnapshot): readonly TrackedOrder[] {
  let open = openCache.get(snapshot);
  if (!open) {
    open = [...snapshot.orders.values()].filter((o) => !isTerminalStatus(o.status)).sort(byTime);
    openCache.set(snapshot, open);
  }
  return open;
}

/**
 * Every tracked order grouped by `symbol`, each group oldest first. Computed once per snapshot.
 *
 * ## Example
 * ```ts
 * const btc = ordersBySymbol(snapshot).get('btcidr') ?? [];
 * ```
 */
export function ordersBySymbol(snapshot: OrderStateSnapshot): ReadonlyMap<string, readonly TrackedOrder[]> {
  let groups = bySymbolCache.get(snapshot);
  if (!groups) {
    const out = new Map<string, TrackedOrder[]>();
    for (const order of snapshot.orders.values()) {
      const list = out.get(order.symbol);
      if (list) list.push(order);
      else out.set(order.symbol, [order]);
    }
    for (const list of out.values()) list.sort(byTime);
    groups = out;
    bySymbolCache.set(snapshot, groups);
  }
  return groups;
}

const tradeOrder = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/**
 * The distinct fills of one order, in trade order (`transactionTime`, then `tradeId`);
 * empty for an unknown order.
 *
 * ## Example
 * ```ts
 * const qty = fillsOf(snapshot, 'aaveidr-limit-13525').map((f) => f.qty);
 * ```
 */
export function fillsOf(snapshot: OrderStateSnapshot, orderId: string): readonly TrackedFill[] {
  const order = snapshot.orders.get(orderId);
  if (!order) return [];
  return [...order.fills.values()].sort(
    (a, b) => a.transactionTime - b.transactionTime || tradeOrder(a.tradeId, b.tradeId),
  );
}
