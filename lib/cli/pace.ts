import { Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { safeTimer } from '../util/safe-timer';

/** Gives the next item of a sequence, now or later (an iterator's or an async iterator's `next`). @internal */
export type Pull<T> = () => IteratorResult<T> | Promise<IteratorResult<T>>;

/**
 * Emits the items of a pulled sequence, each after waiting `delayOf(item)` ms (computed
 * when the item is pulled) through {@link safeTimer} on `scheduler`. The next item is
 * pulled only after the previous one was emitted, so a file or a generator is read as
 * it is played: memory stays bounded however long the sequence is. A delay of 0 (or
 * less) emits at once, without a timer.
 *
 * ```text
 * pull:      a(500) b(0) c(1000)
 * paced:     -----a b----------c|
 * ```
 *
 * ## Example
 * ```ts
 * const steps = demoSteps(seededRandom(1), { roundMs: 40_000 });
 * paced(() => steps.next(), (s) => s.at - elapsed(), scheduler).subscribe(play);
 * ```
 * @internal
 */
export function paced<T>(
  pull: Pull<T>,
  delayOf: (item: T) => number,
  scheduler: SchedulerLike,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    let closed = false;
    let waiting: Subscription | undefined;
    // Returns true when the loop may pull the next item at once.
    const handle = (result: IteratorResult<T>): boolean => {
      if (closed) return false;
      if (result.done) {
        subscriber.complete();
        return false;
      }
      const item = result.value;
      const delay = delayOf(item);
      if (!(delay > 0)) {
        subscriber.next(item);
        return !closed;
      }
      waiting = safeTimer(delay, scheduler).subscribe(() => {
        subscriber.next(item);
        loop();
      });
      return false;
    };
    const loop = (): void => {
      while (!closed) {
        let result: IteratorResult<T> | Promise<IteratorResult<T>>;
        try {
          result = pull();
        } catch (e) {
          subscriber.error(e);
          return;
        }
        if (result instanceof Promise) {
          result.then(
            (r) => {
              if (handle(r)) loop();
            },
            (e: unknown) => subscriber.error(e),
          );
          return;
        }
        if (!handle(result)) return;
      }
    };
    loop();
    return () => {
      closed = true;
      waiting?.unsubscribe();
    };
  });
}
