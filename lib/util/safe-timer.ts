import {
  asyncScheduler,
  concat,
  defer,
  ignoreElements,
  map,
  timer,
  type Observable,
  type SchedulerLike,
} from 'rxjs';

/**
 * The longest delay a Node timer honours: 2^31−1 ms (about 24.8 days). Node clamps a
 * longer one to 1 ms, so a refresh due in a month would fire at once, again and again.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * `timer(delayMs, scheduler)` that never overflows: a delay beyond {@link MAX_TIMER_MS}
 * is waited in chunks of at most that length, each on the given scheduler, and the
 * single `0` comes after the whole delay. A negative or `NaN` delay counts as 0; an
 * infinite one never emits (it waits chunk after chunk for as long as it is subscribed).
 * Every timer in `lib/` goes through this function.
 *
 * ```text
 * safeTimer(5e9):  |--- 2^31−1 ---|--- 2^31−1 ---|-- rest --(0|)
 * ```
 *
 * ## Example
 * ```ts
 * const refreshDue$ = safeTimer(ttlSeconds * 1000 * 0.85, scheduler);
 * ```
 *
 * @param delayMs - how long to wait, in milliseconds
 * @param scheduler - runs the chunks (default `asyncScheduler`; a `TestScheduler` in specs)
 * @returns a cold Observable that emits `0` once after `delayMs`, then completes
 */
export function safeTimer(delayMs: number, scheduler: SchedulerLike = asyncScheduler): Observable<0> {
  const ms = Number.isNaN(delayMs) || delayMs < 0 ? 0 : delayMs;
  if (ms <= MAX_TIMER_MS) return timer(ms, scheduler).pipe(map(() => 0 as const));
  return concat(
    timer(MAX_TIMER_MS, scheduler).pipe(ignoreElements()),
    defer(() => safeTimer(ms - MAX_TIMER_MS, scheduler)),
  );
}
