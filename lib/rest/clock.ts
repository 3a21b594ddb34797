import type { SchedulerLike } from 'rxjs';

/** The server clock as far as the `Date` headers tell. @internal */
export interface ServerClock {
  /** The timestamp to sign with: the scheduler's time plus the measured offset. */
  now(): number;
  /** The offset in use (0 until a skew above 1 s was seen). */
  offsetMs(): number;
  /**
   * Takes a response's `Date` header, read at local time `localNow`. Returns true when the
   * offset in use changed.
   */
  observe(dateHeader: string | null | undefined, localNow: number): boolean;
}

/**
 * Measures the local clock against the server's `Date` headers (second resolution) and
 * corrects signed timestamps when they disagree by more than a second.
 *
 * The header says the server's time was in `[D, D + 1000)` when it answered, and our clock
 * read `L` after that, so `D - L` is a lower bound of the true offset: timestamps corrected
 * with it are never ahead of the server (the side the exchange rejects from 1 s on), and at
 * most about a second plus the latency behind (well within `recvWindow`, 5 s by default).
 * When the midpoint estimate `D + 500 - L` is within ±1 s, there is no correction (the
 * header cannot tell finer, and the exchange accepts that much).
 *
 * ## Example
 * ```ts
 * const clock = createServerClock(asyncScheduler);
 * clock.observe(response.headers.get('date'), asyncScheduler.now());
 * const timestamp = clock.now();
 * ```
 * @internal
 */
export function createServerClock(scheduler: SchedulerLike, thresholdMs = 1000): ServerClock {
  let offset = 0;
  return {
    now: () => scheduler.now() + offset,
    offsetMs: () => offset,
    observe: (dateHeader, localNow) => {
      if (!dateHeader) return false;
      const serverFloor = Date.parse(dateHeader);
      if (Number.isNaN(serverFloor)) return false;
      // Decide on the midpoint of what the header allows; correct with its lower bound.
      const estimate = serverFloor - localNow;
      const next = Math.abs(estimate + 500) > thresholdMs ? estimate : 0;
      const changed = next !== offset && (next === 0 || Math.abs(next - offset) > thresholdMs);
      if (changed) offset = next;
      return changed;
    },
  };
}
