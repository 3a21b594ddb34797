import { filter, type OperatorFunction } from 'rxjs';
import type { OrderUpdate } from './codecs';
import type { OrderStatus } from './status';

/**
 * Keeps only the updates of the given statuses, narrowed to their type:
 * `ofStatus('FILL')` emits updates whose `order` has `tradeId` and `fillInformation`.
 *
 * ```text
 * updates$:            --N--F--F--D--|
 * ofStatus('FILL'):    -----F--F-----|
 * ```
 *
 * ## Example
 * ```ts
 * updates$.pipe(ofStatus('FILL')).subscribe((f) => console.log(f.order.tradeId, f.order.fillInformation.qty));
 * updates$.pipe(ofStatus('CANCELLED', 'REJECTED')).subscribe((u) => console.log('gone', u.order.orderId));
 * ```
 *
 * @param statuses The statuses to keep.
 * @returns A filtering, narrowing operator.
 */
export function ofStatus<S extends OrderStatus>(
  ...statuses: readonly [S, ...S[]]
): OperatorFunction<OrderUpdate, Extract<OrderUpdate, { readonly status: S }>> {
  const wanted: ReadonlySet<OrderStatus> = new Set<OrderStatus>(statuses);
  return filter((u): u is Extract<OrderUpdate, { readonly status: S }> => wanted.has(u.status));
}
