/**
 * Helpers for marble tests (`TestScheduler`) of code built on the order operators:
 * channel messages as `privateChannel` emits them, decoded updates to expect, and plain
 * views of store snapshots to compare with `toEqual`.
 *
 * @module
 */
import type { ChannelMessage, ConnectionStatus } from '../connection/types';
import type { OrderUpdate, UpdateSource } from '../orders/codecs';
import { decodeOrderItem } from '../orders/decode';
import type { OrderStateSnapshot } from '../orders/state';
import type { TrackedFill, TrackedOrder } from '../orders/tracked';

/**
 * The channel name of the reference doc's samples; the default of {@link publication}.
 *
 * ## Example
 * ```ts
 * publication([newOrder()], TEST_CHANNEL);
 * ```
 */
export const TEST_CHANNEL = 'pws:#c12d3ca099785ede15c37c9b7642ab89d19bc96e';

/**
 * A publication message carrying `data` (normally an array of raw items).
 *
 * ## Example
 * ```ts
 * const channel$ = cold('-a-b|', { a: publication([newOrder()]), b: publication([fill()]) });
 * ```
 */
export function publication(data: unknown, channel: string = TEST_CHANNEL): ChannelMessage {
  return { type: 'publication', channel, data };
}

/**
 * A status message.
 *
 * ## Example
 * ```ts
 * statusMsg({ state: 'subscribed', channel: TEST_CHANNEL });
 * ```
 */
export function statusMsg(status: ConnectionStatus): ChannelMessage {
  return { type: 'status', status };
}

/**
 * Shorthands for the usual status messages.
 *
 * ## Example
 * ```ts
 * const channel$ = cold('s-a-d', { s: channelStatus.subscribed(), a: publication([newOrder()]), d: channelStatus.disconnected('gone', 3001) });
 * ```
 */
export const channelStatus = {
  connecting: (attempt = 1): ChannelMessage => statusMsg({ state: 'connecting', attempt }),
  connected: (client = 'test-client', ttl?: number): ChannelMessage =>
    statusMsg({ state: 'connected', client, ...(ttl === undefined ? {} : { ttl }) }),
  subscribed: (channel: string = TEST_CHANNEL): ChannelMessage => statusMsg({ state: 'subscribed', channel }),
  refreshed: (ttl?: number): ChannelMessage =>
    statusMsg({ state: 'refreshed', ...(ttl === undefined ? {} : { ttl }) }),
  disconnected: (reason = 'transport closed', code?: number, retryInMs?: number): ChannelMessage =>
    statusMsg({
      state: 'disconnected',
      reason,
      ...(code === undefined ? {} : { code }),
      ...(retryInMs === undefined ? {} : { retryInMs }),
    }),
} as const;

/**
 * The {@link OrderUpdate} that `orderUpdates()` makes of a raw item: the value to expect
 * in a marble. Throws (with the decode reason) when the item is not a valid order update.
 *
 * ## Example
 * ```ts
 * expectObservable(updates$).toBe('-a-', { a: updateOf(newOrder()) });
 * ```
 */
export function updateOf(item: unknown, source: UpdateSource = 'ws'): OrderUpdate {
  const result = decodeOrderItem(item, { source });
  if (result.kind !== 'update') {
    throw new TypeError(
      `updateOf: not an order update: ${result.kind === 'invalid' ? result.reason : result.eventType}`,
    );
  }
  return result.update;
}

/** A tracked order as plain data: fills as an array in trade order. */
export type PlainTrackedOrder = Omit<TrackedOrder, 'fills'> & { readonly fills: readonly TrackedFill[] };

/**
 * A tracked order as plain data, for `toEqual`.
 *
 * ## Example
 * ```ts
 * expect(plainOrder(snapshot.orders.get('btcidr-limit-1')!)).toMatchObject({ status: 'DONE' });
 * ```
 */
export function plainOrder(order: TrackedOrder): PlainTrackedOrder {
  const fills = [...order.fills.values()].sort(
    (a, b) =>
      a.transactionTime - b.transactionTime || (a.tradeId < b.tradeId ? -1 : a.tradeId > b.tradeId ? 1 : 0),
  );
  return { ...order, fills };
}

/**
 * The orders of a snapshot as a plain object keyed by `orderId` (keys sorted), for
 * `toEqual` in tests: two snapshots with the same orders give equal objects.
 *
 * ## Example
 * ```ts
 * expect(plainOrders(a)).toEqual(plainOrders(b));
 * ```
 */
export function plainOrders(snapshot: OrderStateSnapshot): Record<string, PlainTrackedOrder> {
  const ids = [...snapshot.orders.keys()].sort();
  const out: Record<string, PlainTrackedOrder> = {};
  for (const id of ids) {
    const order = snapshot.orders.get(id);
    if (order) out[id] = plainOrder(order);
  }
  return out;
}
