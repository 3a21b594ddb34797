import { concatMap, EMPTY, type OperatorFunction } from 'rxjs';
import type { ChannelMessage } from '../protocol/messages';
import type { PrivateEvent } from './decode';

/**
 * The items of the private channel that are NOT order updates: every item of a
 * publication's `data` that has a string `eventType` other than `order_update`, raw and
 * untouched, in order. Today the exchange documents only `order_update`; this keeps any
 * new event type readable instead of lost. Items without a string `eventType` are left
 * to `orderUpdates`' `onInvalid`.
 *
 * ```text
 * channel$:  --p{[order_update, balance_update]}--p{[order_update]}--|
 * result$:   --b----------------------------------------------------|
 * ```
 *
 * ## Example
 * ```ts
 * channel$.pipe(privateEvents()).subscribe((e) => console.log('new event type', e.eventType, e.data));
 * ```
 *
 * @returns An operator from channel messages to raw private events.
 */
export function privateEvents(): OperatorFunction<ChannelMessage, PrivateEvent> {
  return concatMap((message) => {
    if (message.type !== 'publication' || !Array.isArray(message.data)) return EMPTY;
    const items: readonly unknown[] = message.data;
    const events: PrivateEvent[] = [];
    for (const item of items) {
      if (typeof item !== 'object' || item === null) continue;
      const eventType = (item as { eventType?: unknown }).eventType;
      if (typeof eventType === 'string' && eventType !== 'order_update') {
        events.push({ eventType, data: item, channel: message.channel });
      }
    }
    return events;
  });
}
