/**
 * The exchange's order id: `<pair>-<type>-<number>`, e.g. `aaveidr-limit-3397` (the pair
 * as the WebSocket spells its symbol, the order type, the numeric id the legacy TAPI calls
 * `order_id`). Reconciliation reads the pair and the number out of it; an id it cannot read
 * is reported, never guessed at (docs/orders.md, "Order ids").
 *
 * @module
 */

/** `<pair>-<type>-<number>`: lower-case letters and digits, letters (and `_`), digits. */
const ORDER_ID = /^([a-z0-9]+)-([a-z][a-z_]*)-(\d+)$/;

/** The parts of an exchange order id. */
export interface OrderIdParts {
  /** The pair as the WebSocket spells its symbol: `aaveidr`. */
  readonly pair: string;
  /** The order type: `limit`, `market`... */
  readonly type: string;
  /** The numeric id (the legacy TAPI's `order_id`), as digits: `3397`. */
  readonly number: string;
}

/**
 * Reads an exchange order id, or `undefined` when it is not `<pair>-<type>-<number>`.
 *
 * ## Example
 * ```ts
 * readOrderId('aaveidr-limit-3397'); // { pair: 'aaveidr', type: 'limit', number: '3397' }
 * readOrderId('btcidr-limit-0-1'); // undefined
 * ```
 */
export function readOrderId(orderId: string): OrderIdParts | undefined {
  const match = ORDER_ID.exec(orderId);
  if (!match) return undefined;
  const [, pair = '', type = '', number = ''] = match;
  return { pair, type, number };
}

/**
 * Whether `orderId` is an exchange order id (`<pair>-<type>-<number>`).
 *
 * ## Example
 * ```ts
 * isExchangeOrderId('aaveidr-limit-3397'); // true
 * isExchangeOrderId('btcidr-limit-0-1'); // false
 * ```
 */
export const isExchangeOrderId = (orderId: string): boolean => ORDER_ID.test(orderId);
