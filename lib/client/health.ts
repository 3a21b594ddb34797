import {
  asyncScheduler,
  connect,
  defer,
  endWith,
  filter,
  ignoreElements,
  map,
  merge,
  repeat,
  scan,
  takeUntil,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { ConnectionStatus } from '../protocol/messages';
import { safeTimer } from '../util/safe-timer';
import type { CoreOutcome } from './core';

/**
 * The client's health at a glance, as `client.health$` emits it every `healthIntervalMs`
 * (default 1 s) and on every change of the connection. Times are the scheduler's
 * milliseconds; "ago" values are counted at the emission.
 *
 * - `state`: the connection's state (`idle` before the first status)
 * - `stateForMs`: how long it has been in that state
 * - `lastFrameAgoMs`: since the last frame or PING from the server (the link is declared dead
 *   and reopened after the ping interval plus `pingTimeoutMs` of silence)
 * - `lastPublicationAgoMs`: since the last publication on the private channel
 * - `lastReconciliation`: the last reconciliation's outcome (after a subscribe) and how long ago it ended
 * - `lastCheck`: the last check while connected (see `checkEveryMs`): how long ago it ended,
 *   its REST calls, and how many updates it changed in the store (`changed > 0`: pushes had
 *   been lost; the store is right again)
 * - `reconnects`: outages, links lost while they were up (failed attempts to reconnect are not counted)
 *
 * ## Example
 * ```ts
 * client.health$.subscribe((h) => h.lastFrameAgoMs !== undefined && h.lastFrameAgoMs > 30_000 && alert('quiet link'));
 * ```
 */
export interface ClientHealth {
  readonly state: ConnectionStatus['state'] | 'idle';
  readonly stateForMs: number;
  readonly lastFrameAgoMs: number | undefined;
  readonly lastPublicationAgoMs: number | undefined;
  readonly lastReconciliation:
    { readonly type: 'completed' | 'failed'; readonly agoMs: number; readonly calls?: number } | undefined;
  readonly lastCheck: LastCheck | undefined;
  readonly reconnects: number;
}

/**
 * The last check while connected, as `health$` shows it.
 *
 * ## Example
 * ```ts
 * const found = (c: LastCheck | undefined) => c !== undefined && c.changed > 0;
 * ```
 */
export interface LastCheck {
  readonly agoMs: number;
  readonly calls: number;
  /** Updates that changed the store: > 0 means it had missed pushes. */
  readonly changed: number;
  /** It was a full pass. */
  readonly full: boolean;
}

/** What the health fold remembers: times, not ages (ages are taken at each emission). @internal */
export interface HealthMemory {
  readonly now: number;
  readonly state: ClientHealth['state'];
  readonly stateSince: number;
  readonly lastFrameAt: number | undefined;
  readonly lastPublicationAt: number | undefined;
  readonly reconciliation:
    { readonly type: 'completed' | 'failed'; readonly at: number; readonly calls?: number } | undefined;
  readonly check: (Omit<LastCheck, 'agoMs'> & { readonly at: number }) | undefined;
  readonly reconnects: number;
}

/** The states in which the link is up: losing it from one of these is an outage. */
const LINK_UP: ReadonlySet<ClientHealth['state']> = new Set(['connected', 'subscribed', 'refreshed']);

/** What the health fold sees: an outcome of the client's fold, or a tick of the clock. @internal */
export type HealthEvent =
  | { readonly type: 'outcome'; readonly outcome: CoreOutcome; readonly now: number }
  | { readonly type: 'tick'; readonly now: number };

/**
 * The memory before anything happened.
 *
 * ## Example
 * ```ts
 * const memory = initialHealth(scheduler.now());
 * ```
 * @internal
 */
export function initialHealth(now: number): HealthMemory {
  return {
    now,
    state: 'idle',
    stateSince: now,
    lastFrameAt: undefined,
    lastPublicationAt: undefined,
    reconciliation: undefined,
    check: undefined,
    reconnects: 0,
  };
}

/**
 * The pure transition of the health fold.
 *
 * ## Example
 * ```ts
 * const next = healthStep(initialHealth(0), { type: 'tick', now: 1000 });
 * ```
 * @internal
 */
export function healthStep(memory: HealthMemory, event: HealthEvent): HealthMemory {
  if (event.type === 'tick') return { ...memory, now: event.now };
  const { outcome, now } = event;
  let next: HealthMemory = { ...memory, now };
  if (outcome.activityAt !== undefined) next = { ...next, lastFrameAt: outcome.activityAt };
  const message = outcome.message;
  if (message?.type === 'publication') next = { ...next, lastPublicationAt: now, lastFrameAt: now };
  if (message?.type === 'status') {
    const state = message.status.state;
    // An outage is a link lost while it was up; a failed attempt to bring it back is not another.
    const lostLink = state === 'disconnected' && LINK_UP.has(memory.state);
    next = {
      ...next,
      state,
      stateSince: state === memory.state ? memory.stateSince : now,
      reconnects: memory.reconnects + (lostLink ? 1 : 0),
    };
  }
  const e = outcome.event;
  if (e?.type === 'completed' && e.reason === 'check') {
    const check = { at: now, calls: e.calls, changed: e.changed ?? 0, full: e.full === true };
    return { ...next, check };
  }
  if (e?.type === 'completed')
    next = { ...next, reconciliation: { type: 'completed', at: now, calls: e.calls } };
  if (e?.type === 'failed') next = { ...next, reconciliation: { type: 'failed', at: now } };
  return next;
}

/**
 * The health a person or a monitor reads, from the memory at its `now`.
 *
 * ## Example
 * ```ts
 * const health = healthOf(healthStep(memory, { type: 'tick', now: scheduler.now() }));
 * ```
 * @internal
 */
export function healthOf(memory: HealthMemory): ClientHealth {
  const ago = (at: number | undefined) => (at === undefined ? undefined : Math.max(0, memory.now - at));
  const r = memory.reconciliation;
  return {
    state: memory.state,
    stateForMs: Math.max(0, memory.now - memory.stateSince),
    lastFrameAgoMs: ago(memory.lastFrameAt),
    lastPublicationAgoMs: ago(memory.lastPublicationAt),
    lastReconciliation: r
      ? { type: r.type, agoMs: ago(r.at) ?? 0, ...(r.calls === undefined ? {} : { calls: r.calls }) }
      : undefined,
    lastCheck: memory.check
      ? {
          agoMs: ago(memory.check.at) ?? 0,
          calls: memory.check.calls,
          changed: memory.check.changed,
          full: memory.check.full,
        }
      : undefined,
    reconnects: memory.reconnects,
  };
}

/**
 * `health$` over the client's outcomes: a fold of outcomes and clock ticks (each a
 * `safeTimer` on the scheduler), emitted on every tick and every change of the connection's
 * state; it completes or errors with the outcomes.
 *
 * ```text
 * outcome$:  --S(connecting)---S(subscribed)----P------|
 * tick:      ---------t---------------t---------t------
 * health$:   --h-------h-------h-------h--------h------|
 * ```
 *
 * ## Example
 * ```ts
 * const health$ = healthOfOutcomes(core$, { scheduler, intervalMs: 1000 });
 * ```
 * @internal
 */
export function healthOfOutcomes(
  outcome$: Observable<CoreOutcome>,
  options: { readonly scheduler?: SchedulerLike; readonly intervalMs?: number } = {},
): Observable<ClientHealth> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const intervalMs = Math.max(1, options.intervalMs ?? 1_000);
  const now = () => scheduler.now();
  return defer(() =>
    outcome$.pipe(
      connect((shared) =>
        merge(
          shared.pipe(map((outcome): HealthEvent => ({ type: 'outcome', outcome, now: now() }))),
          safeTimer(intervalMs, scheduler).pipe(
            repeat(),
            map((): HealthEvent => ({ type: 'tick', now: now() })),
            takeUntil(shared.pipe(ignoreElements(), endWith(true))),
          ),
        ),
      ),
      scan(
        ([before]: readonly [HealthMemory, boolean], event: HealthEvent) => {
          const after = healthStep(before, event);
          return [after, event.type === 'tick' || after.state !== before.state] as const;
        },
        [initialHealth(now()), false] as const,
      ),
      filter(([, emit]) => emit),
      map(([memory]) => healthOf(memory)),
    ),
  );
}
