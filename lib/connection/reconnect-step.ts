import { backoff } from '../util/backoff';
import type { Step } from '../util/machine';
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
 * reconnectStep(config)(initialReconnect, { type: 'start' }); // [{ attempt: 1 }, [emit connecting 1, connect]]
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

/**
 * What the shell does after a step: emit a message, start an attempt (a token, then a session),
 * start the next attempt after a delay, or fail with a {@link ChannelError}. @internal
 */
export type ReconnectEffect =
  | { readonly type: 'emit'; readonly message: ChannelMessage }
  | { readonly type: 'connect' }
  | { readonly type: 'retry'; readonly inMs: number }
  | { readonly type: 'fail'; readonly error: ChannelError };

/**
 * The reconnect policy as one pure transition, its configuration closed over: the
 * `(state, event) → [state, effects]` shape of every lifecycle (`lib/util/machine.ts`). A
 * `subscribed` status resets the count and so the backoff; a temporary end retries after
 * full-jitter backoff (at once for the first expired token in a row), a terminal one fails,
 * and so does the `maxAttempts`-th failure in a row.
 *
 * ```text
 * start → connecting(n), connect   ended(reconnect) → disconnected(retryInMs), retry   ended(terminal) → fail
 * ```
 *
 * ## Example
 * ```ts
 * reconnectStep(config)({ attempt: 1, newTokenStreak: 0 }, { type: 'ended', end, jitter: 0 });
 * // [state, [emit disconnected(retryInMs 500), retry in 500]]
 * ```
 * @internal
 */
export function reconnectStep(
  config: ReconnectConfig,
): Step<ReconnectState, ReconnectEvent, ReconnectEffect> {
  return (state, event) => {
    switch (event.type) {
      case 'start': {
        const attempt = state.attempt + 1;
        return [
          { ...state, attempt },
          [
            { type: 'emit', message: { type: 'status', status: { state: 'connecting', attempt } } },
            { type: 'connect' },
          ],
        ];
      }
      case 'message': {
        const { message } = event;
        const subscribed = message.type === 'status' && message.status.state === 'subscribed';
        return [subscribed ? initialReconnect : state, [{ type: 'emit', message }]];
      }
      case 'ended':
        return ended(state, event.end, event.jitter, config);
    }
  };
}

function ended(
  state: ReconnectState,
  end: SessionEnd,
  jitter: number,
  config: ReconnectConfig,
): readonly [ReconnectState, readonly ReconnectEffect[]] {
  if (end.action === 'terminal') return [state, [{ type: 'fail', error: end.toChannelError() }]];
  if (state.attempt >= config.maxAttempts) {
    const reason = `gave up after ${state.attempt} attempts; last: ${end.reason}`;
    return [
      state,
      [{ type: 'fail', error: new ChannelError('exhausted', end.code, reason, { cause: end }) }],
    ];
  }
  const newToken = end.action === 'new-token';
  const immediate = newToken && state.newTokenStreak === 0;
  const retryInMs = immediate
    ? 0
    : backoff(state.attempt - 1, config.minDelayMs, config.maxDelayMs, () => jitter);
  const base = { state: 'disconnected' as const, reason: end.reason, retryInMs };
  return [
    { ...state, newTokenStreak: newToken ? state.newTokenStreak + 1 : 0 },
    [
      {
        type: 'emit',
        message: { type: 'status', status: end.code === undefined ? base : { ...base, code: end.code } },
      },
      { type: 'retry', inMs: retryInMs },
    ],
  ];
}
