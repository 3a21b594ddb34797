import type { InvalidFrameLine } from '../protocol/frames';
import type { PrivateToken } from '../token/codecs';
import type { RefreshTiming } from './refresh-delay';
import type { SessionEnd } from './session-end';
import type { ChannelMessage } from './types';

// One socket's life as data: its state, what happens to it, and what the shell must do.

/** A command that waits for its reply. @internal */
export type Command = 'connect' | 'subscribe' | 'refresh';

/** The timers of one socket's life: one per pending reply, liveness, and the next refresh. @internal */
export type TimerKey = 'liveness' | 'refresh' | `reply:${number}`;

/** What the transition needs to know and never changes during a session. @internal */
export interface SessionConfig {
  readonly token: PrivateToken;
  /** The server's PING interval when the connect result names none (frame-ping mode). */
  readonly pingIntervalMs: number;
  /** Extra silence tolerated after the ping interval. */
  readonly pingTimeoutMs: number;
  /** A command whose reply takes longer fails the session. */
  readonly requestTimeoutMs: number;
  readonly refresh: RefreshTiming;
}

/** One socket's life as a value. @internal */
export interface SessionState {
  readonly ended: boolean;
  readonly nextId: number;
  readonly pending: ReadonlyMap<number, Command>;
  /** App-ping mode (`pong: true` in the connect result): answer each `{}` with `{}`. */
  readonly answerPings: boolean;
  /** Silence after which the link counts as dead; 0 until connected. */
  readonly livenessMs: number;
  /** When the last frame or PING arrived. */
  readonly lastSeen: number;
  /** The last transport error, the reason of a close that names none. */
  readonly lastError: string;
  /** How long the last token request took (it shortens the next refresh delay). */
  readonly tokenMs: number;
  /** When the refresh's token was asked for, while it is on its way. */
  readonly tokenAskedAt: number | undefined;
}

/** What happens to a session; `now` is the scheduler's clock. @internal */
export type SessionEvent =
  | { readonly type: 'open' }
  | { readonly type: 'ping'; readonly now: number }
  | { readonly type: 'frame'; readonly text: string; readonly now: number }
  | { readonly type: 'socket-error'; readonly message: string }
  | { readonly type: 'close'; readonly code: number; readonly reason: string }
  | { readonly type: 'timer'; readonly timer: TimerKey; readonly now: number }
  | { readonly type: 'token'; readonly token: PrivateToken; readonly now: number }
  | { readonly type: 'token-failed'; readonly error: unknown };

/** What the shell must do. Starting a timer replaces one of the same key. @internal */
export type SessionEffect =
  | { readonly type: 'send'; readonly text: string }
  | { readonly type: 'emit'; readonly message: ChannelMessage }
  | { readonly type: 'invalid'; readonly problem: InvalidFrameLine }
  | { readonly type: 'start-timer'; readonly timer: TimerKey; readonly delayMs: number }
  | { readonly type: 'cancel-timer'; readonly timer: TimerKey }
  | { readonly type: 'fetch-token' }
  | { readonly type: 'end'; readonly end: SessionEnd };

/** A state and the effects that lead there. @internal */
export type Step = readonly [SessionState, readonly SessionEffect[]];

/**
 * The state of a session that has not opened its socket yet. `tokenMs` is how long the
 * connect's token took to arrive.
 *
 * ## Example
 * ```ts
 * const [state, effects] = sessionStep(config)(initialSession(scheduler.now(), 120), { type: 'open' });
 * ```
 * @internal
 */
export function initialSession(now: number, tokenMs = 0): SessionState {
  return {
    ended: false,
    nextId: 1,
    pending: new Map(),
    answerPings: false,
    livenessMs: 0,
    lastSeen: now,
    lastError: '',
    tokenMs,
    tokenAskedAt: undefined,
  };
}
