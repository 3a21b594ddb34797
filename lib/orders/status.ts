import * as t from 'io-ts';

/**
 * The status of an order update: `NEW`, `FILL`, `CANCELLED`, `DONE` or `REJECTED`.
 *
 * ## Example
 * ```ts
 * OrderStatus.is('FILL'); // true
 * ```
 */
export const OrderStatus = t.keyof({ NEW: null, FILL: null, CANCELLED: null, DONE: null, REJECTED: null });
/** One of the five statuses of an `order_update`. */
export type OrderStatus = t.TypeOf<typeof OrderStatus>;

/** The statuses after which an order never changes again. */
export type TerminalStatus = 'CANCELLED' | 'DONE' | 'REJECTED';

/**
 * How far along each status is: `NEW` 0 < `FILL` 1 < terminal 2. The store never lets a
 * lower rank replace a higher one (the network reorders; the exchange does not go back).
 *
 * ## Example
 * ```ts
 * STATUS_RANK.FILL > STATUS_RANK.NEW; // true
 * ```
 */
export const STATUS_RANK: Readonly<Record<OrderStatus, 0 | 1 | 2>> = Object.freeze({
  NEW: 0,
  FILL: 1,
  CANCELLED: 2,
  DONE: 2,
  REJECTED: 2,
});

/**
 * Whether `status` ends the order (`CANCELLED`, `DONE`, `REJECTED`).
 *
 * ## Example
 * ```ts
 * isTerminalStatus('DONE'); // true
 * isTerminalStatus('FILL'); // false
 * ```
 */
export function isTerminalStatus(status: OrderStatus): status is TerminalStatus {
  return STATUS_RANK[status] === 2;
}

/** Every status, in rank order. */
export const ORDER_STATUSES: readonly OrderStatus[] = Object.freeze([
  'NEW',
  'FILL',
  'CANCELLED',
  'DONE',
  'REJECTED',
] as const);
