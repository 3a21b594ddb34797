import { Observable, Subscription, asyncScheduler, concatMap, take, type SchedulerLike } from 'rxjs';
import type { ConnectionStatus } from '../protocol/messages';
import { safeTimer } from '../util/safe-timer';
import type { KnownOrder } from './facts';
import { reconcileOnce, type ReconcileLimits } from './plan';
import type { ReconcileSource } from './source';
import {
  initialReconcilerState,
  reconcilerStep,
  type ReconcilerConfig,
  type ReconcilerEffect,
  type ReconcilerEvent,
} from './step';
import type { ReconciliationOutput } from './events';

export type { ReconciliationEvent, ReconciliationOutput } from './events';

/** Options of {@link reconciliation}. */
export interface ReconciliationOptions extends ReconcileLimits {
  readonly source: ReconcileSource;
  /** The store's knowledge: its first value is read when a run starts. */
  readonly known$: Observable<readonly KnownOrder[]>;
  readonly scheduler?: SchedulerLike;
  /** The first reconciliation looks this far back for orders born before the start (default 24 h). */
  readonly lookbackMs?: number;
  /** How long before a `disconnected` the link may already have been dead (default 60 s). */
  readonly marginMs?: number;
  /** Backoff of a failed reconciliation (defaults 1 s … 60 s). */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly random?: () => number;
}

/**
 * Runs a reconciliation after the first `subscribed` and after every
 * `disconnected → subscribed`: the thin shell around {@link reconcilerStep}, which decides
 * everything; this only reads the store's knowledge and the REST answers, and waits on
 * `safeTimer`. One read at a time; gaps that open meanwhile are coalesced into one more
 * read; a failed read retries with backoff and never errors the stream; a missing
 * permission ends reconciliation with one terminal `failed`. Completes with `status$`;
 * unsubscribing cancels the read in flight and the timer.
 *
 * ```text
 * status$:  ─S──────D──S──D─S─────────
 * runs:      [start]   [reconnect·····][coalesced]
 * ```
 *
 * ## Example
 * ```ts
 * reconciliation(status$, { source, known$: state$.pipe(map(knownOrdersOf)) }).subscribe(console.log);
 * ```
 */
export function reconciliation(
  status$: Observable<ConnectionStatus>,
  options: ReconciliationOptions,
): Observable<ReconciliationOutput> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const random = options.random ?? Math.random;
  const config: ReconcilerConfig = {
    lookbackMs: options.lookbackMs ?? 24 * 3600_000,
    marginMs: options.marginMs ?? 60_000,
    minDelayMs: options.minDelayMs ?? 1_000,
    maxDelayMs: options.maxDelayMs ?? 60_000,
  };
  return new Observable<ReconciliationOutput>((subscriber) => {
    const subs = new Subscription();
    let state = initialReconcilerState;
    const dispatch = (event: ReconcilerEvent): void => {
      const [next, effects] = reconcilerStep(config, state, event);
      state = next;
      effects.forEach(perform);
    };
    const perform = (effect: ReconcilerEffect): void => {
      switch (effect.type) {
        case 'emit':
          subscriber.next(effect.output);
          return;
        case 'wait':
          subs.add(
            safeTimer(effect.ms, scheduler).subscribe(() =>
              dispatch({ type: 'retry', now: scheduler.now() }),
            ),
          );
          return;
        case 'read':
          subs.add(
            options.known$
              .pipe(
                take(1),
                concatMap((known) => reconcileOnce(options.source, known, effect.window, options)),
              )
              .subscribe({
                next: (findings) => dispatch({ type: 'read', findings, now: scheduler.now() }),
                error: (error: unknown) =>
                  dispatch({ type: 'failed', error, now: scheduler.now(), jitter: random() }),
              }),
          );
      }
    };
    subs.add(
      status$.subscribe({
        next: (status) => dispatch({ type: 'status', status, now: scheduler.now() }),
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      }),
    );
    return subs;
  });
}
