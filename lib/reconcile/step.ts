import { backoff } from '../util/backoff';
import type { ConnectionStatus } from '../protocol/messages';
import type { GapWindow, ReconcileFindings } from './plan';
import type { ReconciliationEvent, ReconciliationOutput } from './events';
import { permissionProblem } from './permission';

/** The settings of {@link reconcilerStep} (ms). @internal */
export interface ReconcilerConfig {
  readonly lookbackMs: number;
  readonly marginMs: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

interface Run {
  readonly reason: 'start' | 'reconnect';
  readonly from: number;
  readonly downAt: number;
  /** When the `subscribed` that asked for it arrived. */
  readonly askedAt: number;
  /** Failed attempts so far. */
  readonly failures: number;
  /** Reads of the failed attempts (one each). */
  readonly calls: number;
}

/** The reconciler's whole state, changed only by {@link reconcilerStep}. @internal */
export interface ReconcilerState {
  readonly phase: 'idle' | 'reading' | 'waiting' | 'stopped';
  readonly first: boolean;
  /** When the link went down (the first `disconnected` since the last `subscribed`). */
  readonly downAt: number | undefined;
  readonly run: Run | undefined;
  /** A gap that opened while a run was busy: one more run over the joint window. */
  readonly pending: { readonly from: number; readonly downAt: number; readonly askedAt: number } | undefined;
}

/** What happens to the reconciler. `now` is the scheduler's time; `jitter` a number in [0, 1). @internal */
export type ReconcilerEvent =
  | { readonly type: 'status'; readonly status: ConnectionStatus; readonly now: number }
  | { readonly type: 'read'; readonly findings: ReconcileFindings; readonly now: number }
  | { readonly type: 'failed'; readonly error: unknown; readonly now: number; readonly jitter: number }
  | { readonly type: 'retry'; readonly now: number };

/** What the shell must do: emit, start a read over a window, or wait then send `retry`. @internal */
export type ReconcilerEffect =
  | { readonly type: 'emit'; readonly output: ReconciliationOutput }
  | { readonly type: 'read'; readonly window: GapWindow }
  | { readonly type: 'wait'; readonly ms: number };

/** The state before anything happened. @internal */
export const initialReconcilerState: ReconcilerState = {
  phase: 'idle',
  first: true,
  downAt: undefined,
  run: undefined,
  pending: undefined,
};

type Result = [ReconcilerState, ReconcilerEffect[]];

const emit = (event: ReconciliationEvent): ReconcilerEffect => ({
  type: 'emit',
  output: { kind: 'event', event },
});

function start(state: ReconcilerState, run: Run, now: number): Result {
  return [
    { ...state, phase: 'reading', run, pending: undefined },
    [
      emit({ type: 'started', reason: run.reason, from: run.from, to: now }),
      { type: 'read', window: { from: run.from, to: now } },
    ],
  ];
}

function onStatus(
  config: ReconcilerConfig,
  state: ReconcilerState,
  status: ConnectionStatus,
  now: number,
): Result {
  if (status.state === 'disconnected')
    return state.downAt === undefined ? [{ ...state, downAt: now }, []] : [state, []];
  if (status.state !== 'subscribed') return [state, []];
  const downAt = state.downAt ?? now;
  const from = state.first ? now - config.lookbackMs : downAt - config.marginMs;
  const next: ReconcilerState = { ...state, first: false, downAt: undefined };
  if (state.phase !== 'idle') {
    const p = state.pending;
    const pending = p
      ? { from: Math.min(p.from, from), downAt: Math.min(p.downAt, downAt), askedAt: p.askedAt }
      : { from, downAt, askedAt: now };
    return [{ ...next, pending }, []];
  }
  const reason = state.first ? 'start' : 'reconnect';
  return start(next, { reason, from, downAt, askedAt: now, failures: 0, calls: 0 }, now);
}

function onRead(state: ReconcilerState, run: Run, f: ReconcileFindings, now: number): Result {
  const done: ReconcilerEffect[] = [
    { type: 'emit', output: { kind: 'findings', findings: f } },
    emit({
      type: 'completed',
      reason: run.reason,
      gapMs: run.reason === 'start' ? 0 : Math.max(0, run.askedAt - run.downAt),
      orders: f.orders.length,
      fills: f.fills.length,
      unresolved: f.unresolved,
      calls: run.calls + f.calls,
      durationMs: now - run.askedAt,
    }),
  ];
  const idle: ReconcilerState = { ...state, phase: 'idle', run: undefined };
  const p = state.pending;
  if (!p) return [idle, done];
  const [next, effects] = start(idle, { reason: 'reconnect', ...p, failures: 0, calls: 0 }, now);
  return [next, [...done, ...effects]];
}

function onFailed(
  config: ReconcilerConfig,
  state: ReconcilerState,
  run: Run,
  error: unknown,
  jitter: number,
): Result {
  const attempt = run.failures + 1;
  const denied = permissionProblem(error);
  if (denied !== undefined) {
    const stopped: ReconcilerState = { ...state, phase: 'stopped', run: undefined, pending: undefined };
    return [stopped, [emit({ type: 'failed', reason: denied, attempt, retryInMs: 0, terminal: true })]];
  }
  const reason = error instanceof Error ? error.message : String(error);
  const retryInMs = backoff(run.failures, config.minDelayMs, config.maxDelayMs, () => jitter);
  return [
    { ...state, phase: 'waiting', run: { ...run, failures: attempt, calls: run.calls + 1 } },
    [emit({ type: 'failed', reason, attempt, retryInMs }), { type: 'wait', ms: retryInMs }],
  ];
}

/**
 * The reconciler as one pure transition (no clock, no I/O): after the first `subscribed`
 * and after every `disconnected → subscribed` it reads the gap; one read at a time, and gaps
 * that open meanwhile coalesce into one more read over their joint window; a failure waits
 * (full-jitter backoff) and reads again, except a missing permission, which stops it for
 * good with one terminal `failed` (the WebSocket goes on).
 *
 * ```text
 * idle ──subscribed──► reading ──read──► idle (or reading the coalesced gap)
 *                       │   ▲
 *                failed │   │ retry
 *                       ▼   │
 *                      waiting          reading ──failed (401)──► stopped
 * ```
 *
 * ## Example
 * ```ts
 * const [next, effects] = reconcilerStep(config, initialReconcilerState, { type: 'status', status, now: 0 });
 * ```
 * @internal
 */
export function reconcilerStep(
  config: ReconcilerConfig,
  state: ReconcilerState,
  event: ReconcilerEvent,
): Result {
  if (state.phase === 'stopped') return [state, []];
  const run = state.run;
  switch (event.type) {
    case 'status':
      return onStatus(config, state, event.status, event.now);
    case 'read':
      return state.phase === 'reading' && run ? onRead(state, run, event.findings, event.now) : [state, []];
    case 'failed':
      return state.phase === 'reading' && run
        ? onFailed(config, state, run, event.error, event.jitter)
        : [state, []];
    case 'retry': {
      if (state.phase !== 'waiting' || !run) return [state, []];
      // A gap that opened while waiting joins this run.
      const p = state.pending;
      const merged = p
        ? { ...run, from: Math.min(run.from, p.from), downAt: Math.min(run.downAt, p.downAt) }
        : run;
      return [
        { ...state, phase: 'reading', run: merged, pending: undefined },
        [{ type: 'read', window: { from: merged.from, to: event.now } }],
      ];
    }
  }
}
