import { Observable, Subscription, asyncScheduler, concatMap, take, type SchedulerLike } from 'rxjs';
import type { ConnectionStatus } from '../protocol/messages';
import { runMachine } from '../util/machine';
import { safeTimer } from '../util/safe-timer';
import { checkOnce } from './check';
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

export type { ReconciliationEvent, ReconciliationOutput, ReconciliationTrigger } from './events';

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
  /**
   * While subscribed, compare the store with the exchange this often (default 60 000; 0 turns
   * it off): one open-orders read, and histories only where they disagree. Finds pushes lost
   * without a disconnect.
   */
  readonly checkEveryMs?: number;
  /** A check is a full pass (every touched symbol's history) this often (default 15 min). */
  readonly fullCheckEveryMs?: number;
  /**
   * Where checks fall in their period: at `checkPhaseMs + k · checkEveryMs` on the scheduler's
   * clock (default 0). Spread many clients with different phases, e.g. `i · checkEveryMs / n`;
   * being on the clock, not after the connect, they stay spread after a common reconnect.
   */
  readonly checkPhaseMs?: number;
}

/**
 * Runs a reconciliation after the first `subscribed` and after every
 * `disconnected → subscribed`, and a check every `checkEveryMs` while subscribed: the thin
 * shell around {@link reconcilerStep} under `runMachine`, which decides everything; this
 * only reads the store's knowledge and the REST answers, and waits on `safeTimer`. One read
 * at a time; gaps that open meanwhile are coalesced into one more read; a check due during
 * a run is skipped; a failed read retries with backoff and never errors the stream; a
 * missing permission ends reconciliation (checks too) with one terminal `failed`. Completes
 * with `status$`; unsubscribing cancels the read in flight and the timers.
 *
 * ```text
 * status$:  ─S──────D──S──D─S───────────────────────
 * runs:      [start]   [reconnect·····][coalesced]  [check]  [check]  …
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
  const checkEveryMs = Math.max(0, options.checkEveryMs ?? 60_000);
  const config: ReconcilerConfig = {
    lookbackMs: options.lookbackMs ?? 24 * 3600_000,
    marginMs: options.marginMs ?? 60_000,
    minDelayMs: options.minDelayMs ?? 1_000,
    maxDelayMs: options.maxDelayMs ?? 60_000,
    checkEveryMs,
    fullCheckEveryMs: options.fullCheckEveryMs ?? 15 * 60_000,
    checkPhaseMs: checkEveryMs > 0 ? (options.checkPhaseMs ?? 0) % checkEveryMs : 0,
  };
  return new Observable<ReconciliationOutput>((subscriber) => {
    const subs = new Subscription();
    let armed = new Subscription();
    subs.add(() => armed.unsubscribe());
    const now = (): number => scheduler.now();
    const perform = (effect: ReconcilerEffect, dispatch: (event: ReconcilerEvent) => void): void => {
      switch (effect.type) {
        case 'emit':
          subscriber.next(effect.output);
          return;
        case 'wait':
          subs.add(safeTimer(effect.ms, scheduler).subscribe(() => dispatch({ type: 'retry', now: now() })));
          return;
        case 'arm':
          armed.unsubscribe();
          armed = safeTimer(effect.ms, scheduler).subscribe(() => dispatch({ type: 'check', now: now() }));
          return;
        case 'read': {
          const read = effect.cheap ? checkOnce : reconcileOnce;
          subs.add(
            options.known$
              .pipe(
                take(1),
                concatMap((known) => read(options.source, known, effect.window, options)),
              )
              .subscribe({
                next: (findings) => dispatch({ type: 'read', findings, now: now() }),
                error: (error: unknown) => dispatch({ type: 'failed', error, now: now(), jitter: random() }),
              }),
          );
        }
      }
    };
    const machine = runMachine(reconcilerStep(config), initialReconcilerState, perform);
    subs.add(() => machine.stop());
    subs.add(
      status$.subscribe({
        next: (status) => machine.dispatch({ type: 'status', status, now: now() }),
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      }),
    );
    return subs;
  });
}
