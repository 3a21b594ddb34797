import { race, switchMap, throwError, type MonoTypeOperatorFunction, type SchedulerLike } from 'rxjs';
import { safeTimer } from './safe-timer';

/**
 * `timeout({ first: ms, with })` that never overflows: fails with `error()` when the source
 * has not emitted, errored or completed within `ms`, waited with {@link safeTimer} on
 * `scheduler`. Once the source says anything, the timer is gone.
 *
 * ```text
 * source:          ------a|
 * safeTimeout(3):  ---#
 * ```
 *
 * ## Example
 * ```ts
 * request$.pipe(safeTimeout(10_000, scheduler, () => new Error('no answer within 10 s')));
 * ```
 * @internal
 */
export function safeTimeout<T>(
  ms: number,
  scheduler: SchedulerLike,
  error: () => Error,
): MonoTypeOperatorFunction<T> {
  return (source) => race(source, safeTimer(ms, scheduler).pipe(switchMap(() => throwError(error))));
}
