import { Observable, type OperatorFunction } from 'rxjs';
import type { ChannelMessage } from '../protocol/messages';
import { describeValue } from '../util/describe';
import type { InvalidMessage, Order, OrderUpdate } from './codecs';
import { decodeOrderItem, invalidMessage, updateOf, type DecodeMeta, type PrivateEvent } from './decode';
import { isPlainOrderUpdateItem } from './guard';

/** Options of {@link orderUpdates}. */
export interface OrderUpdatesOptions {
  /** Gets every item that failed to decode (and a `data` that is not an array). */
  readonly onInvalid?: (problem: InvalidMessage) => void;
  /**
   * Gets every item of another `eventType`. Without it such items are reported to
   * `onInvalid` as unsupported (read them with `privateEvents()`).
   */
  readonly onOtherEvent?: (event: PrivateEvent) => void;
  /** Stamps `receivedAt` on every update (e.g. `() => scheduler.now()`); none by default. */
  readonly now?: () => number;
}

/**
 * Decodes the order updates of a private channel: each publication's `data` array is
 * flattened into one {@link OrderUpdate} per `order_update` item, in order, each marked
 * `source: 'ws'`. Status messages are ignored.
 *
 * Nothing is thrown and nothing valid is dropped: an item that fails to decode (unknown
 * status, missing field, a JSON number where a decimal string belongs, an unknown
 * `eventType`) goes to `options.onInvalid` with its raw value and a reason such as
 * `Missing value at order/tradeId`, and the stream goes on with the next item.
 *
 * ```text
 * channel$:  --s--p{[NEW, bad, FILL]}--p{[DONE]}--|
 * result$:   -----(N F)----------------D----------|     onInvalid ← bad
 * ```
 *
 * ## Example
 * ```ts
 * const updates$ = channel$.pipe(orderUpdates({ onInvalid: (p) => console.warn(p.reason) }));
 * updates$.pipe(ofStatus('FILL')).subscribe((f) => console.log(f.order.fillInformation.qty));
 * ```
 *
 * @param options Where problems and other events go, and an optional clock.
 * @returns An operator from channel messages to order updates.
 */
export function orderUpdates(
  options: OrderUpdatesOptions = {},
): OperatorFunction<ChannelMessage, OrderUpdate> {
  // A plain loop per publication (no inner Observable per message): items go out in order,
  // and an unsubscribe between two items stops the loop.
  return (source) =>
    new Observable<OrderUpdate>((subscriber) =>
      source.subscribe({
        next: (message) => {
          if (message.type !== 'publication') return;
          // A throwing onInvalid/onOtherEvent errors this stream (as an operator's callback would).
          try {
            decodePublication(message.channel, message.data, options, subscriber);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}

/** Where {@link decodePublication} puts the updates: a `Subscriber`, or an array's `push`. @internal */
export interface UpdateSink {
  readonly closed: boolean;
  next(update: OrderUpdate): void;
}

/**
 * Decodes one publication's `data` into its order updates, handing each to `out` in order
 * (until `out.closed`) and reporting each bad item to `options.onInvalid`: the pure core of {@link orderUpdates}, for folds that take a whole
 * publication as one step.
 *
 * ## Example
 * ```ts
 * const updates: OrderUpdate[] = [];
 * decodePublication(channel, data, { onInvalid: (p) => bad.push(p) }, { closed: false, next: (u) => updates.push(u) });
 * ```
 * @internal
 */
export function decodePublication(
  channel: string,
  data: unknown,
  options: OrderUpdatesOptions,
  out: UpdateSink,
): void {
  if (!Array.isArray(data)) {
    options.onInvalid?.(
      invalidMessage(data, `Invalid value supplied to pub/data: expected an array of events`),
    );
    return;
  }
  const items: readonly unknown[] = data;
  const ws: DecodeMeta = { source: 'ws' };
  for (let index = 0; index < items.length && !out.closed; index++) {
    const item = items[index];
    const receivedAt = options.now?.();
    const meta = receivedAt === undefined ? ws : { source: 'ws' as const, receivedAt };
    // The success path of decodeOrderItem, without its result wrapper.
    if (isPlainOrderUpdateItem(item)) {
      out.next(updateOf(item.order as Order, meta));
      continue;
    }
    const result = decodeOrderItem(item, meta);
    if (result.kind === 'update') out.next(result.update);
    else if (result.kind === 'other' && options.onOtherEvent) {
      options.onOtherEvent({ eventType: result.eventType, data: item, channel });
    } else {
      const reason =
        result.kind === 'other'
          ? `Unsupported eventType ${describeValue(result.eventType)} (read it with privateEvents())`
          : result.reason;
      options.onInvalid?.(invalidMessage(item, reason, index));
    }
  }
}
