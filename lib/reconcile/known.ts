import { isTerminalStatus, type OrderStateSnapshot } from '../orders';
import type { KnownOrder } from './facts';

/**
 * What the store knows, as reconciliation plans with it: one {@link KnownOrder} per tracked
 * order. Read when a run starts; the findings are turned into updates against the store of
 * the moment they land (see `findingsToUpdates`), never against this.
 *
 * ## Example
 * ```ts
 * reconcileOnce(source, knownOrdersOf(snapshot), { from, to }).subscribe(console.log);
 * ```
 */
export function knownOrdersOf(snapshot: OrderStateSnapshot): KnownOrder[] {
  const known: KnownOrder[] = [];
  for (const order of snapshot.orders.values()) {
    known.push({
      orderId: order.orderId,
      symbol: order.symbol,
      open: !isTerminalStatus(order.status),
      executedQty: order.executedQty,
      origQty: order.origQty,
      approximate: order.approximate,
      since: order.firstSeen,
      tradeIds: new Set(order.fills.keys()),
      fillsQty: order.fillsQty,
    });
  }
  return known;
}
