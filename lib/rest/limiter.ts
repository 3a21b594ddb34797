import { Observable, defer, map, of, type SchedulerLike } from 'rxjs';
import { safeTimer } from '../util/safe-timer';

/**
 * A request budget: `perSecond` on average, at most `burst` at once (default `perSecond`).
 *
 * ## Example
 * ```ts
 * const limit: RateLimit = { perSecond: 5, burst: 5 }; // 300/min
 * ```
 */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst?: number;
}

/** A token bucket that hands out request slots. @internal */
export interface TokenBucket {
  /** Emits once (and completes) when a request may go; the slot is reserved on subscribe. */
  take(): Observable<void>;
}

/**
 * A token bucket on a scheduler's clock: each `take()` reserves one slot and emits when the
 * bucket holds it. Slots refill at `perSecond`; up to `burst` may go at once.
 *
 * ```text
 * perSecond 2, burst 2:  take take take take
 *                        0    0    500  1000 (ms until each may go)
 * ```
 *
 * ## Example
 * ```ts
 * const bucket = createTokenBucket({ perSecond: 2 }, asyncScheduler);
 * bucket.take().pipe(switchMap(() => request$));
 * ```
 * @internal
 */
export function createTokenBucket(limit: RateLimit, scheduler: SchedulerLike): TokenBucket {
  const rate = limit.perSecond / 1000;
  const capacity = Math.max(1, limit.burst ?? limit.perSecond);
  let tokens = capacity;
  let last = scheduler.now();
  const reserve = (): number => {
    const now = scheduler.now();
    tokens = Math.min(capacity, tokens + (now - last) * rate);
    last = now;
    tokens -= 1;
    return tokens >= 0 ? 0 : Math.ceil(-tokens / rate);
  };
  return {
    take: () =>
      defer(() => {
        if (!(rate > 0) || !Number.isFinite(rate)) return of(undefined);
        const wait = reserve();
        return wait === 0 ? of(undefined) : safeTimer(wait, scheduler).pipe(map(() => undefined));
      }),
  };
}
