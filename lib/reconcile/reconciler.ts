import { Observable, Subscription, asyncScheduler, retry, timer, type SchedulerLike } from 'rxjs';
import { backoff } from '../util/backoff';
import type { ConnectionStatus } from '../protocol/messages';
import type { KnownOrder } from './facts';
import { reconcileOnce, type ReconcileFindings, type ReconcileLimits } from './plan';
import type { ReconcileSource } from './source';

/** Progress of reconciliation, for the user to watch (`client.reconciliation$`). */
export type ReconciliationEvent =
  | {
      readonly type: 'started';
      readonly reason: 'start' | 'reconnect';
      readonly from: number;
      readonly to: number;
    }
  | {
      readonly type: 'completed';
      readonly reason: 'start' | 'reconnect';
      /** How long the link was down (0 for the first one). */
      readonly gapMs: number;
      readonly orders: number;
      readonly fills: number;
      readonly unresolved: readonly string[];
      readonly calls: number;
    }
  | {
      readonly type: 'failed';
      readonly reason: string;
      readonly attempt: number;
      readonly retryInMs: number;
    };

/** Options of {@link reconciliation}. */
export interface ReconciliationOptions extends ReconcileLimits {
  readonly source: ReconcileSource;
  /** The store's knowledge right now (read when a reconciliation starts). */
  readonly known: () => readonly KnownOrder[];
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

/** What {@link reconciliation} emits: progress, and findings to fold into the store. */
export type ReconciliationOutput =
  | { readonly kind: 'event'; readonly event: ReconciliationEvent }
  | { readonly kind: 'findings'; readonly findings: ReconcileFindings };

/**
 * Runs a reconciliation after the first `subscribed` and after every
 * `disconnected → subscribed`: one at a time; gaps that open while one runs are
 * coalesced into one more run over their joint window; a failed run retries with
 * backoff and never errors the stream.
 *
 * ```text
 * status$:  ─S──────D──S──D─S─────────
 * runs:      [start]   [reconnect·····][coalesced]
 * ```
 *
 * ## Example
 * ```ts
 * reconciliation(status$, { source, known: () => knownOrdersOf(latest) }).subscribe(console.log);
 * ```
 */
export function reconciliation(
  status$: Observable<ConnectionStatus>,
  options: ReconciliationOptions,
): Observable<ReconciliationOutput> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const lookbackMs = options.lookbackMs ?? 24 * 3600_000;
  const marginMs = options.marginMs ?? 60_000;
  const minDelayMs = options.minDelayMs ?? 1_000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const random = options.random ?? Math.random;
  return new Observable<ReconciliationOutput>((subscriber) => {
    const subs = new Subscription();
    let running = false;
    let first = true;
    let lastUp: number | undefined;
    let pending: { from: number; downAt: number } | undefined;
    const emit = (event: ReconciliationEvent): void => subscriber.next({ kind: 'event', event });

    const run = (reason: 'start' | 'reconnect', from: number, downAt: number): void => {
      running = true;
      const to = scheduler.now();
      emit({ type: 'started', reason, from, to });
      const once = reconcileOnce(options.source, options.known(), { from, to }, options).pipe(
        retry({
          delay: (error: unknown, attempt) => {
            const retryInMs = backoff(attempt - 1, minDelayMs, maxDelayMs, random);
            emit({
              type: 'failed',
              reason: error instanceof Error ? error.message : String(error),
              attempt,
              retryInMs,
            });
            return timer(retryInMs, scheduler);
          },
        }),
      );
      subs.add(
        once.subscribe({
          next: (findings) => {
            subscriber.next({ kind: 'findings', findings });
            emit({
              type: 'completed',
              reason,
              gapMs: reason === 'start' ? 0 : Math.max(0, to - downAt),
              orders: findings.orders.length,
              fills: findings.fills.length,
              unresolved: findings.unresolved,
              calls: findings.calls,
            });
          },
          complete: () => {
            running = false;
            const next = pending;
            pending = undefined;
            if (next) run('reconnect', next.from, next.downAt);
          },
        }),
      );
    };

    subs.add(
      status$.subscribe({
        next: (status) => {
          const now = scheduler.now();
          if (status.state === 'disconnected') {
            if (lastUp === undefined) lastUp = now;
            return;
          }
          if (status.state !== 'subscribed') return;
          const reason = first ? 'start' : 'reconnect';
          const downAt = lastUp ?? now;
          const from = first ? now - lookbackMs : downAt - marginMs;
          first = false;
          lastUp = undefined;
          if (running) {
            pending = {
              from: Math.min(pending?.from ?? from, from),
              downAt: Math.min(pending?.downAt ?? downAt, downAt),
            };
          } else {
            run(reason, from, downAt);
          }
        },
        error: (e: unknown) => subscriber.error(e),
        complete: () => subscriber.complete(),
      }),
    );
    return subs;
  });
}
