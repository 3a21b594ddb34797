import { readOrderId } from '../orders/order-id';
import type { KnownOrder, RestOrderFact } from './facts';

/** The trailing digits of an id (what the REST layer sends as a legacy `order_id`). */
const trailingNumber = (orderId: string): string | undefined => /(\d+)$/.exec(orderId)?.[1];

/**
 * Reconciliation reads the pair and the number out of every order id
 * (`<pair>-<type>-<number>`, docs/orders.md "Order ids"). What it cannot read it reports and
 * leaves alone: the store's orders whose ids it cannot read are left out of the plan, and an
 * answer is never turned into an order when its id cannot be read, or when it may be the
 * REST echo of such an order (same pair and trailing number: the legacy API names orders by
 * number only, so `btcidr-limit-0-1` answers as order 1, which would read as `btcidr-limit-1`).
 *
 * ## Example
 * ```ts
 * const ids = readableIds(knownOrdersOf(snapshot));
 * ids.known; // the orders to plan with
 * ids.unreadable; // ['btcidr-limit-0-1']
 * ```
 * @internal
 */
export function readableIds(known: readonly KnownOrder[]): {
  readonly known: readonly KnownOrder[];
  readonly unreadable: readonly string[];
  /** Whether an answer may become an update: its id is the store's own, or readable and no echo. */
  readonly usable: (fact: RestOrderFact) => boolean;
} {
  const readable: KnownOrder[] = [];
  const unreadable: string[] = [];
  const echoes = new Set<string>();
  const ids = new Set<string>();
  for (const k of known) {
    ids.add(k.orderId);
    if (readOrderId(k.orderId) !== undefined) {
      readable.push(k);
      continue;
    }
    unreadable.push(k.orderId);
    const number = trailingNumber(k.orderId);
    if (number !== undefined) echoes.add(`${k.symbol.toLowerCase()} ${number}`);
  }
  const usable = (fact: RestOrderFact): boolean => {
    if (ids.has(fact.orderId)) return true;
    const parts = readOrderId(fact.orderId);
    return parts !== undefined && !echoes.has(`${fact.symbol.toLowerCase()} ${parts.number}`);
  };
  return { known: readable, unreadable, usable };
}
