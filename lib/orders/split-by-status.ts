import { share, type Observable } from 'rxjs';
import type { OrderUpdate } from './codecs';
import { ofStatus } from './of-status';

/** One stream per status, each narrowed to its type. */
export interface UpdatesByStatus {
  readonly NEW: Observable<Extract<OrderUpdate, { readonly status: 'NEW' }>>;
  readonly FILL: Observable<Extract<OrderUpdate, { readonly status: 'FILL' }>>;
  readonly CANCELLED: Observable<Extract<OrderUpdate, { readonly status: 'CANCELLED' }>>;
  readonly DONE: Observable<Extract<OrderUpdate, { readonly status: 'DONE' }>>;
  readonly REJECTED: Observable<Extract<OrderUpdate, { readonly status: 'REJECTED' }>>;
}

/**
 * Splits order updates into one stream per status. All five share ONE subscription to
 * the source (`share()`, refCount): the source is subscribed when the first of them is
 * subscribed and unsubscribed when the last one leaves; a stream subscribed later
 * misses what was emitted before it joined (no replay). Subscribe to the ones you need
 * before the source starts emitting (synchronous sources emit at once).
 *
 * ```text
 * updates$:   --N--F--F--C--|
 * NEW:        --N-----------|
 * FILL:       -----F--F-----|
 * CANCELLED:  -----------C--|
 * ```
 *
 * ## Example
 * ```ts
 * const { FILL, CANCELLED } = splitByStatus()(updates$);
 * FILL.subscribe((f) => console.log('fill', f.order.fillInformation.qty));
 * CANCELLED.subscribe((c) => console.log('cancelled', c.order.cancelReason ?? ''));
 * ```
 *
 * @returns A function from an update stream to the five per-status streams.
 */
export function splitByStatus(): (source: Observable<OrderUpdate>) => UpdatesByStatus {
  return (source) => {
    const shared = source.pipe(share());
    return {
      NEW: shared.pipe(ofStatus('NEW')),
      FILL: shared.pipe(ofStatus('FILL')),
      CANCELLED: shared.pipe(ofStatus('CANCELLED')),
      DONE: shared.pipe(ofStatus('DONE')),
      REJECTED: shared.pipe(ofStatus('REJECTED')),
    };
  };
}
