import { backoff } from '../util/backoff';
import { SessionEnd } from './session-end';
import { ChannelError, type ChannelMessage } from './types';

/** The backoff and the limit of attempts. @internal */
export interface ReconnectConfig {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
}

/** Where the reconnect loop stands. @internal */
export interface ReconnectState {
  /** Attempts since the last successful subscribe (the current one included). */
  readonly attempt: number;
  /** Consecutive ends for an expired token (109): only the first retries at once. */
  readonly newTokenStreak: number;
}

/**
 * Nothing tried yet.
 *
 * ## Example
 * ```ts
 * reconnectStep(initialReconnect, { type: 'start' }, config).emit; // connecting, attempt 1
 * ```
 * @internal
 */
export const initialReconnect: ReconnectState = { attempt: 0, newTokenStreak: 0 };

/**
 * What happens to the loop: an attempt starts, a message of the attempt arrives, or the
 * attempt ended (with a random number in [0, 1) for the jitter, drawn by the shell).
 * @internal
 */
export type ReconnectEvent =
  | { readonly type: 'start' }
  | { readonly type: 'message'; readonly message: ChannelMessage }
  | { readonly type: 'ended'; readonly end: SessionEnd; readonly jitter: number };

/** The state after an event, and what to do: emit a message, retry after a delay, or fail. @internal */
export interface ReconnectStep {
  readonly state: ReconnectState;
  readonly emit?: ChannelMessage;
  /** Start the next attempt after this long. */
  readonly retryInMs?: number;
  /** Stop with this error. */
  readonly fail?: ChannelError;
}

/**
 * The reconnect policy as one pure transition. A `subscribed` status resets the count and
 * so the backoff; a temporary end retries after full-jitter backoff (at once for the first
 * expired token in a row), a terminal one fails, and so does the `maxAttempts`-th failure
 * in a row.
 *
 * ```text
 * start → connecting(n)   ended(reconnect) → disconnected(retryInMs) + retry   ended(terminal) → fail
 * ```
 *
 * ## Example
 * ```ts
 * reconnectStep({ attempt: 1, newTokenStreak: 0 }, { type: 'ended', end, jitter: 0 }, config);
 * // { state, emit: disconnected(retryInMs 500), retryInMs: 500 }
 * ```
 * @internal
 */
export function reconnectStep(
  state: ReconnectState,
  event: ReconnectEvent,
  config: ReconnectConfig,
): ReconnectStep {
  switch (event.type) {
    case 'start': {
      const attempt = state.attempt + 1;
      return {
        state: { ...state, attempt },
        emit: { type: 'status', status: { state: 'connecting', attempt } },
      };
    }
    case 'message': {
      const { message } = event;
      const subscribed = message.type === 'status' && message.status.state === 'subscribed';
      return { state: subscribed ? initialReconnect : state, emit: message };
    }
    case 'ended':
      return ended(state, event.end, event.jitter, config);
  }
}

function ended(
  state: ReconnectState,
  end: SessionEnd,
  jitter: number,
  config: ReconnectConfig,
): ReconnectStep {
  if (end.action === 'terminal') return { state, fail: end.toChannelError() };
  if (state.attempt >= config.maxAttempts) {
    const reason = `gave up after ${state.attempt} attempts; last: ${end.reason}`;
    return { state, fail: new ChannelError('exhausted', end.code, reason, { cause: end }) };
  }
  const newToken = end.action === 'new-token';
  const immediate = newToken && state.newTokenStreak === 0;
  const retryInMs = immediate
    ? 0
    : backoff(state.attempt - 1, config.minDelayMs, config.maxDelayMs, () => jitter);
  const base = { state: 'disconnected' as const, reason: end.reason, retryInMs };
  return {
    state: { ...state, newTokenStreak: newToken ? state.newTokenStreak + 1 : 0 },
    emit: { type: 'status', status: end.code === undefined ? base : { ...base, code: end.code } },
    retryInMs,
  };
}
