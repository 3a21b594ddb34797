import { backoff } from '../util/backoff';
import type { Step } from '../util/machine';
import type { ConnectionStatus } from '../protocol/messages';
import type { GapWindow, ReconcileFindings } from './plan';
import type { ReconciliationEvent, ReconciliationOutput, ReconciliationTrigger } from './events';
import { permissionProblem } from './permission';

/** The settings of {@link reconcilerStep} (ms). @internal */
export interface ReconcilerConfig {
  readonly lookbackMs: number;
  readonly marginMs: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** The period of the check while subscribed; 0 turns it off. */
  readonly checkEveryMs: number;
  /** A check is a full pass when the last full coverage is this old. */
  readonly fullCheckEveryMs: number;
  /** Checks fall on the scheduler's clock at `checkPhaseMs + k · checkEveryMs`. */
  readonly checkPhaseMs: number;
}

interface Run {
  readonly reason: ReconciliationTrigger;
  /** A check that reads every touched symbol's history (as a gap run does). */
  readonly full: boolean;
  readonly from: number;
  readonly downAt: number;
  /** When the `subscribed` (or the check's tick) that asked for it arrived. */
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
  /** Subscribed, and no `disconnected` since: checks run only then. */
  readonly up: boolean;
  /** When the link went down (the first `disconnected` since the last `subscribed`). */
  readonly downAt: number | undefined;
  readonly run: Run | undefined;
  /** A gap that opened while a run was busy: one more run over the joint window. */
  readonly pending: { readonly from: number; readonly downAt: number; readonly askedAt: number } | undefined;
  /** The end of the last read that landed: the store agreed with the exchange then. */
  readonly readTo: number | undefined;
  /** The end of the last read that covered every touched symbol's history without a hole. */
  readonly fullTo: number | undefined;
}

/** What happens to the reconciler. `now` is the scheduler's time; `jitter` a number in [0, 1). @internal */
export type ReconcilerEvent =
  | { readonly type: 'status'; readonly status: ConnectionStatus; readonly now: number }
  | { readonly type: 'read'; readonly findings: ReconcileFindings; readonly now: number }
  | { readonly type: 'failed'; readonly error: unknown; readonly now: number; readonly jitter: number }
  | { readonly type: 'retry'; readonly now: number }
  /** The check's timer fired. */
  | { readonly type: 'check'; readonly now: number };

/**
 * What the shell must do: emit; read a window (`cheap`: the open orders, then histories only
 * where they disagree with the store); wait then send `retry`; or arm the check's timer
 * (replacing the armed one) to send `check` after `ms`. @internal
 */
export type ReconcilerEffect =
  | { readonly type: 'emit'; readonly output: ReconciliationOutput }
  | { readonly type: 'read'; readonly window: GapWindow; readonly cheap: boolean }
  | { readonly type: 'wait'; readonly ms: number }
  | { readonly type: 'arm'; readonly ms: number };

/** The state before anything happened. @internal */
export const initialReconcilerState: ReconcilerState = {
  phase: 'idle',
  first: true,
  up: false,
  downAt: undefined,
  run: undefined,
  pending: undefined,
  readTo: undefined,
  fullTo: undefined,
};

type Result = readonly [ReconcilerState, readonly ReconcilerEffect[]];

const emit = (event: ReconciliationEvent): ReconcilerEffect => ({
  type: 'emit',
  output: { kind: 'event', event },
});
const fullMark = (run: Run): { full?: true } => (run.full ? { full: true } : {});
const readOf = (run: Run, to: number): ReconcilerEffect => ({
  type: 'read',
  window: { from: run.from, to },
  cheap: run.reason === 'check' && !run.full,
});

function start(state: ReconcilerState, run: Run, now: number): Result {
  return [
    { ...state, phase: 'reading', run, pending: undefined },
    [
      emit({ type: 'started', reason: run.reason, from: run.from, to: now, ...fullMark(run) }),
      readOf(run, now),
    ],
  ];
}

/** The next moment after `now` on the check's grid `phase + k · period`. */
function nextSlot(config: ReconcilerConfig, now: number): number {
  const period = config.checkEveryMs;
  const k = Math.floor((now - config.checkPhaseMs) / period) + 1;
  return config.checkPhaseMs + k * period - now;
}

/**
 * The reconciler as one pure transition (no clock, no I/O), configuration closed over:
 * after the first `subscribed` and after every `disconnected → subscribed` it reads the gap;
 * while subscribed, every `checkEveryMs` (on a grid shifted by `checkPhaseMs`) it checks:
 * the open orders, and histories only where they disagree with the store, or a full pass
 * when the last full coverage is `fullCheckEveryMs` old. One read at a time: a check due
 * while a run is busy is skipped (never queued), gaps that open meanwhile coalesce into one
 * more read over their joint window; a failure waits (full-jitter backoff) and reads again,
 * except a missing permission, which stops it for good with one terminal `failed` (the
 * WebSocket goes on).
 *
 * ```text
 * idle ──subscribed / check──► reading ──read──► idle (or reading the coalesced gap)
 *                               │   ▲
 *                        failed │   │ retry
 *                               ▼   │
 *                              waiting          reading ──failed (401)──► stopped
 * ```
 *
 * ## Example
 * ```ts
 * const step = reconcilerStep(config);
 * const [next, effects] = step(initialReconcilerState, { type: 'status', status, now: 0 });
 * ```
 * @internal
 */
export function reconcilerStep(
  config: ReconcilerConfig,
): Step<ReconcilerState, ReconcilerEvent, ReconcilerEffect> {
  const checking = config.checkEveryMs > 0;

  function onStatus(state: ReconcilerState, status: ConnectionStatus, now: number): Result {
    if (status.state === 'disconnected')
      return state.downAt === undefined ? [{ ...state, up: false, downAt: now }, []] : [state, []];
    if (status.state !== 'subscribed') return [state, []];
    const downAt = state.downAt ?? now;
    const from = state.first ? now - config.lookbackMs : downAt - config.marginMs;
    const next: ReconcilerState = { ...state, first: false, up: true, downAt: undefined };
    const arm: ReconcilerEffect[] = checking ? [{ type: 'arm', ms: nextSlot(config, now) }] : [];
    if (state.phase !== 'idle') {
      const p = state.pending;
      const pending = p
        ? { from: Math.min(p.from, from), downAt: Math.min(p.downAt, downAt), askedAt: p.askedAt }
        : { from, downAt, askedAt: now };
      return [{ ...next, pending }, arm];
    }
    const reason = state.first ? 'start' : 'reconnect';
    const run: Run = { reason, full: false, from, downAt, askedAt: now, failures: 0, calls: 0 };
    const [started, effects] = start(next, run, now);
    return [started, [...arm, ...effects]];
  }

  function onCheck(state: ReconcilerState, now: number): Result {
    if (!checking || !state.up) return [state, []];
    const arm: ReconcilerEffect[] = [{ type: 'arm', ms: nextSlot(config, now) }];
    // Never queued behind a run; a run that landed in the last half period counts as a check.
    const recent = state.readTo !== undefined && now - state.readTo < config.checkEveryMs / 2;
    if (state.phase !== 'idle' || recent) return [state, arm];
    const fullTo = state.fullTo ?? now;
    const full = now - fullTo >= config.fullCheckEveryMs;
    const from = (full ? fullTo : (state.readTo ?? now)) - config.marginMs;
    const run: Run = { reason: 'check', full, from, downAt: now, askedAt: now, failures: 0, calls: 0 };
    const [started, effects] = start(state, run, now);
    return [started, [...arm, ...effects]];
  }

  function onRead(state: ReconcilerState, run: Run, f: ReconcileFindings, now: number): Result {
    const done: ReconcilerEffect[] = [
      { type: 'emit', output: { kind: 'findings', findings: f } },
      emit({
        type: 'completed',
        reason: run.reason,
        ...fullMark(run),
        gapMs: run.reason === 'reconnect' ? Math.max(0, run.askedAt - run.downAt) : 0,
        orders: f.orders.length,
        fills: f.fills.length,
        unresolved: f.unresolved,
        calls: run.calls + f.calls,
        durationMs: now - run.askedAt,
      }),
    ];
    // Full coverage moves on only when this read joins the last one (no hole between them).
    const joins = state.fullTo === undefined || run.from <= state.fullTo;
    const covers = (run.reason !== 'check' || run.full) && joins;
    const idle: ReconcilerState = {
      ...state,
      phase: 'idle',
      run: undefined,
      readTo: f.window.to,
      fullTo: covers ? f.window.to : state.fullTo,
    };
    const p = state.pending;
    if (!p) return [idle, done];
    const next: Run = { reason: 'reconnect', full: false, ...p, failures: 0, calls: 0 };
    const [started, effects] = start(idle, next, now);
    return [started, [...done, ...effects]];
  }

  function onFailed(state: ReconcilerState, run: Run, error: unknown, jitter: number): Result {
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

  function onRetry(state: ReconcilerState, run: Run, now: number): Result {
    // A gap that opened while waiting joins this run (which becomes a gap run).
    const p = state.pending;
    const merged: Run = p
      ? {
          ...run,
          reason: run.reason === 'check' ? 'reconnect' : run.reason,
          full: false,
          from: Math.min(run.from, p.from),
          downAt: Math.min(run.downAt, p.downAt),
        }
      : run;
    return [{ ...state, phase: 'reading', run: merged, pending: undefined }, [readOf(merged, now)]];
  }

  return (state, event) => {
    if (state.phase === 'stopped') return [state, []];
    const run = state.run;
    switch (event.type) {
      case 'status':
        return onStatus(state, event.status, event.now);
      case 'check':
        return onCheck(state, event.now);
      case 'read':
        return state.phase === 'reading' && run ? onRead(state, run, event.findings, event.now) : [state, []];
      case 'failed':
        return state.phase === 'reading' && run
          ? onFailed(state, run, event.error, event.jitter)
          : [state, []];
      case 'retry':
        return state.phase === 'waiting' && run ? onRetry(state, run, event.now) : [state, []];
    }
  };
}
