import { Observable, Subject, type OperatorFunction, type SubjectLike } from 'rxjs';
import { quietOutcome, type CoreOutcome } from './core';
import type { OrderStateSnapshot } from '../orders';

/** No items. @internal */
export const NONE: readonly never[] = [];

/**
 * Emits the items `pick` finds in each value, in order: `concatMap` over arrays, without an
 * inner subscription per value (the client's streams are such projections of its outcomes).
 *
 * ```text
 * source:  --a[1,2]--b[]--c[3]--|
 * result:  --(12)-----------3---|
 * ```
 *
 * ## Example
 * ```ts
 * const updates$ = outcome$.pipe(each((o) => o.updates));
 * ```
 * @internal
 */
export function each<T, R>(pick: (value: T) => readonly R[]): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) =>
      source.subscribe({
        next: (value) => {
          for (const item of pick(value)) subscriber.next(item);
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      }),
    );
}

/**
 * The connector of the fold's `share`: a Subject that gives each new subscriber the latest
 * outcome stripped to its state (so a late `orders$` sees the current snapshot and no stream
 * sees an old update, problem or event twice), then everything after; after the end, the
 * end itself.
 *
 * ## Example
 * ```ts
 * const core$ = outcome$.pipe(share({ connector: latestOutcome, resetOnRefCountZero: true }));
 * ```
 * @internal
 */
export function latestOutcome(): SubjectLike<CoreOutcome> {
  const subject = new Subject<CoreOutcome>();
  // only the state: the rest of an outcome (the frame, its updates) is garbage once told, and
  // holding it until the account's next update made it outlive young collections
  let latest: OrderStateSnapshot | undefined;
  return {
    next: (outcome) => {
      latest = outcome.state;
      subject.next(outcome);
    },
    error: (e: unknown) => subject.error(e),
    complete: () => subject.complete(),
    subscribe: (observer) => {
      if (latest) observer.next?.(quietOutcome(latest));
      return subject.subscribe(observer);
    },
  };
}
