import { Observable, take, type Subscription, throwIfEmpty, type SchedulerLike } from 'rxjs';
import type { InvalidFrameLine } from '../protocol/frames';
import type { PrivateToken } from '../token/codecs';
import { socketEvents, type SocketEvent } from '../transport/socket-events';
import type { WebSocketFactory } from '../transport/socket';
import { runMachine } from '../util/machine';
import { safeTimer } from '../util/safe-timer';
import type { RefreshTiming } from './refresh-delay';
import {
  initialSession,
  sessionStep,
  type SessionConfig,
  type SessionEffect,
  type SessionEvent,
  type TimerKey,
} from './session-step';
import type { ChannelMessage } from './types';

/** What one socket's life needs to know. @internal */
export interface SessionContext {
  readonly url: string;
  readonly webSocket: WebSocketFactory;
  readonly scheduler: SchedulerLike;
  /** Fresh tokens for `refresh`. */
  readonly token$: Observable<PrivateToken>;
  readonly pingIntervalMs: number;
  readonly pingTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly refresh: RefreshTiming;
  readonly onInvalid: (problem: InvalidFrameLine) => void;
  /** Told the time of every frame and PING from the server. */
  readonly onActivity: (at: number) => void;
}

/**
 * One socket's life with one token: {@link sessionStep} run by `runMachine` (the shell every
 * lifecycle shares). It turns socket events, timers and tokens into events, and performs the
 * effects: sends, emits, starts and cancels timers (each a `safeTimer` on the
 * scheduler), asks `token$` for a refresh token. Never completes: it errors with a
 * `SessionEnd` that says why it ended. Unsubscribing closes the socket (1000) and stops
 * every timer.
 *
 * ```text
 * socket:  open ── connect reply ── subscribe reply ── pub ── close(3012)
 * result:  ─────── connected ────── subscribed ─────── P ──── #SessionEnd(reconnect)
 * ```
 *
 * ## Example
 * ```ts
 * session(token, ctx, 120).subscribe({ next: console.log, error: (end) => console.log(end.action) });
 * ```
 *
 * @param token - the token of the connect, and the channel to subscribe
 * @param ctx - socket factory, scheduler, timings
 * @param tokenMs - how long that token took to arrive (shortens the first refresh delay)
 * @internal
 */
export function session(token: PrivateToken, ctx: SessionContext, tokenMs = 0): Observable<ChannelMessage> {
  const config: SessionConfig = {
    token,
    pingIntervalMs: ctx.pingIntervalMs,
    pingTimeoutMs: ctx.pingTimeoutMs,
    requestTimeoutMs: ctx.requestTimeoutMs,
    refresh: ctx.refresh,
  };
  const step = sessionStep(config);
  return new Observable<ChannelMessage>((subscriber) => {
    const timers = new Map<TimerKey | 'token', Subscription>();
    let send: (text: string) => void = () => undefined;

    const stop = (key: TimerKey | 'token'): void => {
      timers.get(key)?.unsubscribe();
      timers.delete(key);
    };
    const start = (key: TimerKey | 'token', sub: Subscription): void => {
      stop(key);
      if (!sub.closed) timers.set(key, sub);
    };
    const perform = (effect: SessionEffect, dispatch: (event: SessionEvent) => void): void => {
      switch (effect.type) {
        case 'send':
          return send(effect.text);
        case 'emit':
          return subscriber.next(effect.message);
        case 'invalid':
          return ctx.onInvalid(effect.problem);
        case 'start-timer': {
          const key = effect.timer;
          return start(
            key,
            safeTimer(effect.delayMs, ctx.scheduler).subscribe(() =>
              dispatch({ type: 'timer', timer: key, now: ctx.scheduler.now() }),
            ),
          );
        }
        case 'cancel-timer':
          return stop(effect.timer);
        case 'fetch-token':
          return start(
            'token',
            ctx.token$
              .pipe(
                take(1),
                throwIfEmpty(() => new Error('token$ completed without a token')),
              )
              .subscribe({
                next: (fresh) => dispatch({ type: 'token', token: fresh, now: ctx.scheduler.now() }),
                error: (error: unknown) => dispatch({ type: 'token-failed', error }),
              }),
          );
        case 'end':
          machine.stop();
          return subscriber.error(effect.end);
      }
    };
    // Events raised while effects run (a synchronous socket, a timer of 0) wait their turn.
    const machine = runMachine(step, initialSession(ctx.scheduler.now(), tokenMs), perform);
    const fromSocket = (event: SocketEvent): SessionEvent => {
      switch (event.type) {
        case 'open':
          send = event.send;
          return { type: 'open' };
        case 'ping': {
          const now = ctx.scheduler.now();
          ctx.onActivity(now);
          return { type: 'ping', now };
        }
        case 'message': {
          const now = ctx.scheduler.now();
          ctx.onActivity(now);
          return { type: 'frame', text: event.text, now };
        }
        case 'error':
          return { type: 'socket-error', message: event.error.message };
        case 'close':
          return { type: 'close', code: event.code, reason: event.reason };
      }
    };

    const socket = socketEvents(ctx.webSocket, ctx.url).subscribe((event) =>
      machine.dispatch(fromSocket(event)),
    );
    return () => {
      machine.stop();
      socket.unsubscribe();
      for (const timer of timers.values()) timer.unsubscribe();
      timers.clear();
    };
  });
}
