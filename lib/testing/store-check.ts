import { compareDecimals } from '../util/decimal';
import type { OrderStateSnapshot } from '../orders/state';
import type { FakeBookOrder } from './fake-rest';

/** One way a store differs from the exchange's book. */
export interface StoreDifference {
  readonly orderId: string;
  readonly what: string;
}

const STATE_OF: Readonly<Record<string, FakeBookOrder['state']>> = {
  NEW: 'open',
  FILL: 'open',
  DONE: 'filled',
  CANCELLED: 'cancelled',
  REJECTED: 'rejected',
};

/**
 * Compares a store snapshot with the fake exchange's book (`foldOrderLog(server.orderLog())`):
 * every order of the book must be in the store with the same state, executed quantity and
 * set of fills. Returns the differences (empty when the store equals the exchange).
 *
 * ## Example
 * ```ts
 * expect(storeDifferences(snapshot, foldOrderLog(server.orderLog()))).toEqual([]);
 * ```
 */
export function storeDifferences(
  snapshot: OrderStateSnapshot,
  book: ReadonlyMap<string, FakeBookOrder>,
): StoreDifference[] {
  const out: StoreDifference[] = [];
  for (const [orderId, want] of book) {
    const have = snapshot.orders.get(orderId);
    if (!have) {
      out.push({ orderId, what: `missing (exchange: ${want.state})` });
      continue;
    }
    const state = STATE_OF[have.status];
    if (state !== want.state)
      out.push({ orderId, what: `state ${state ?? have.status}, exchange ${want.state}` });
    if (compareDecimals(have.executedQty, want.executedQty) !== 0) {
      out.push({ orderId, what: `executedQty ${have.executedQty}, exchange ${want.executedQty}` });
    }
    const fills = new Set(want.fills.map((f) => f.tradeId));
    const missing = [...fills].filter((id) => !have.fills.has(id));
    const extra = [...have.fills.keys()].filter((id) => !fills.has(id));
    if (missing.length > 0) out.push({ orderId, what: `missing fills ${missing.join(', ')}` });
    if (extra.length > 0) out.push({ orderId, what: `unknown fills ${extra.join(', ')}` });
  }
  for (const orderId of snapshot.orders.keys()) {
    if (!book.has(orderId)) out.push({ orderId, what: 'not on the exchange' });
  }
  return out;
}
