import { isLeft } from 'fp-ts/Either';
import { describeValue, safeJson } from '../util/describe';
import { formatValidationErrors } from '../util/report';
import {
  OrderUpdateItem,
  type InvalidMessage,
  type Order,
  type OrderUpdate,
  type UpdateSource,
} from './codecs';
import { isPlainOrderUpdateItem } from './guard';

/** An event of the private channel whose `eventType` is not `order_update`. */
export interface PrivateEvent {
  /** The item's `eventType`, verbatim. */
  readonly eventType: string;
  /** The whole raw item, untouched. */
  readonly data: unknown;
  /** The channel it was published on. */
  readonly channel: string;
}

/** What one raw item of `pub.data` turned out to be: an update, another event type, or invalid. */
export type DecodedItem =
  | { readonly kind: 'update'; readonly update: OrderUpdate }
  | { readonly kind: 'other'; readonly eventType: string }
  | { readonly kind: 'invalid'; readonly reason: string };

/** Extra fields stamped on every decoded update: its `source` and an optional `receivedAt`. */
export interface DecodeMeta {
  readonly source: UpdateSource;
  readonly receivedAt?: number;
}

/**
 * Decodes one raw item of `pub.data`: an `order_update` becomes an {@link OrderUpdate}
 * (with `status` lifted from `order.status` and `source`), another `eventType` is
 * recognised as such, anything else is invalid with a readable reason. Never throws.
 *
 * ## Example
 * ```ts
 * const r = decodeOrderItem(item, { source: 'ws' });
 * if (r.kind === 'update') console.log(r.update.status);
 * ```
 */
export function decodeOrderItem(item: unknown, meta: DecodeMeta = { source: 'ws' }): DecodedItem {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return {
      kind: 'invalid',
      reason: `Invalid value ${describeValue(item)} supplied to (item): expected an event object`,
    };
  }
  if (isPlainOrderUpdateItem(item)) return { kind: 'update', update: updateOf(item.order as Order, meta) };
  const eventType = (item as { eventType?: unknown }).eventType;
  if (eventType === undefined) return { kind: 'invalid', reason: 'Missing value at eventType' };
  if (typeof eventType !== 'string') {
    return { kind: 'invalid', reason: `Invalid value ${describeValue(eventType)} supplied to eventType` };
  }
  if (eventType !== 'order_update') return { kind: 'other', eventType };
  const decoded = OrderUpdateItem.decode(item);
  if (isLeft(decoded)) return { kind: 'invalid', reason: formatValidationErrors(decoded.left) };
  return { kind: 'update', update: updateOf(decoded.right.order, meta) };
}

/** The update of a decoded order. @internal */
export function updateOf(order: Order, meta: DecodeMeta): OrderUpdate {
  return (
    meta.receivedAt === undefined
      ? { status: order.status, order, source: meta.source }
      : { status: order.status, order, source: meta.source, receivedAt: meta.receivedAt }
  ) as OrderUpdate;
}

/** An {@link InvalidMessage} for `raw`, with its JSON text. @internal */
export function invalidMessage(raw: unknown, reason: string, index?: number): InvalidMessage {
  const rawText = safeJson(raw);
  return {
    raw,
    reason,
    ...(rawText === undefined ? {} : { rawText }),
    ...(index === undefined ? {} : { index }),
  };
}
