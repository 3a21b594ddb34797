import { Observable, type OperatorFunction } from 'rxjs';
import type { OrderUpdate } from './codecs';
import { orderStateOf } from './snapshot';
import { createOrderState, foldUpdate, type OrderStateSnapshot, type RetentionOptions } from './state';

/** Options of {@link orderState}. */
export interface OrderStateOptions extends RetentionOptions {
  /**
   * Start from this snapshot instead of an empty store (its own retention applies). It must
   * come from `createOrderState()` or the store: anything else is a `TypeError` at once.
   */
  readonly initial?: OrderStateSnapshot;
}

/**
 * The live order-state store: folds order updates with the pure {@link reduceOrderState}
 * (`scan`) and emits a new immutable {@link OrderStateSnapshot} whenever one changed the
 * state (`distinctUntilChanged`), so duplicates and stale updates emit nothing. No
 * initial emission: add `startWith(initialOrderState)` if you want one.
 *
 * ```text
 * updates$:     --N--F--F--F(dup)--D--|
 * orderState(): --a--b--c-----------d--|
 * ```
 *
 * ## Example
 * ```ts
 * updates$.pipe(orderState({ maxTerminalOrders: 500 })).subscribe((s) => {
 *   for (const o of openOrders(s)) console.log(o.orderId, o.executedQty, '/', o.origQty);
 * });
 * ```
 *
 * @param options Terminal-order retention, or a starting snapshot.
 * @returns An operator from order updates to store snapshots.
 */
export function orderState(
  options: OrderStateOptions = {},
): OperatorFunction<OrderUpdate, OrderStateSnapshot> {
  const initial =
    options.initial === undefined ? undefined : orderStateOf(options.initial, 'orderState({ initial })');
  // `scan(reduceOrderState, seed)` + `distinctUntilChanged()` in one subscriber (two fewer
  // hops per update): the first result is emitted even when it is the seed, then only changes.
  return (source) =>
    new Observable<OrderStateSnapshot>((subscriber) => {
      let state = initial ?? createOrderState(options);
      let emitted = false;
      return source.subscribe({
        next: (update) => {
          let next: OrderStateSnapshot;
          try {
            next = foldUpdate(state, update);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          if (emitted && next === state) return;
          emitted = true;
          state = next;
          subscriber.next(next);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
