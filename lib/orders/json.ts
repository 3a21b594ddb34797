import type { OrderStateSnapshot } from './snapshot';
import { isTerminalStatus } from './status';
import type { TrackedFill, TrackedOrder } from './tracked';

/** A tracked order as plain data: its fields, its fills as an array in the order received. */
export type TrackedOrderJson = Omit<TrackedOrder, 'fills'> & { readonly fills: readonly TrackedFill[] };

/** A snapshot as plain data: every tracked order (open ones first), the open and total counts. */
export interface OrderStateJson {
  readonly orders: readonly TrackedOrderJson[];
  readonly open: number;
  readonly total: number;
}

/**
 * A tracked order as plain data (what `JSON.stringify(order)` writes).
 *
 * ## Example
 * ```ts
 * trackedOrderJson(order).fills.map((f) => f.tradeId);
 * ```
 */
export function trackedOrderJson(order: TrackedOrder): TrackedOrderJson {
  return { ...order, fills: [...order.fills.values()] };
}

/**
 * A snapshot as plain data: what `JSON.stringify(snapshot)` writes and the CLI prints
 * (`{"type":"snapshot","snapshot":...}`). Reads only `orders`.
 *
 * ## Example
 * ```ts
 * const { open, total } = orderStateJson(snapshot);
 * ```
 */
export function orderStateJson(snapshot: Pick<OrderStateSnapshot, 'orders'>): OrderStateJson {
  const orders: TrackedOrderJson[] = [];
  let open = 0;
  for (const order of snapshot.orders.values()) {
    orders.push(trackedOrderJson(order));
    if (!isTerminalStatus(order.status)) open += 1;
  }
  orders.sort((a, b) => Number(isTerminalStatus(a.status)) - Number(isTerminalStatus(b.status)));
  return { orders, open, total: orders.length };
}
