import {
  Observable,
  asyncScheduler,
  catchError,
  defer,
  switchMap,
  throwError,
  throwIfEmpty,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { environments } from '../environments';
import type { InvalidFrameLine } from '../protocol/frames';
import type { PrivateToken } from '../token/codecs';
import { defaultWebSocketFactory } from '../transport/ws-factory';
import type { WebSocketFactory } from '../transport/socket';
import { runMachine } from '../util/machine';
import { safeTimer } from '../util/safe-timer';
import { insecureTransport } from '../util/transport-security';
import {
  initialReconnect,
  reconnectStep,
  type ReconnectConfig,
  type ReconnectEffect,
  type ReconnectEvent,
} from './reconnect-step';
import { session, type SessionContext } from './session';
import { SessionEnd, endFromTokenError } from './session-end';
import { ChannelError, type ChannelMessage } from './types';
/** How the connection backs off between attempts. */
export interface ReconnectOptions {
  /** The smallest delay (default 500 ms). */
  readonly minDelayMs?: number;
  /** The largest delay (default 20 000 ms). */
  readonly maxDelayMs?: number;
  /** Give up after this many failed attempts in a row (default unlimited). */
  readonly maxAttempts?: number;
  /** Random numbers in [0, 1) for the jitter (default `Math.random`; fix it in tests). */
  readonly random?: () => number;
}

/** Options of {@link privateChannel}. */
export interface PrivateChannelOptions {
  /** Fresh tokens: subscribed once per connection and once per refresh (e.g. `requestToken(...)`). */
  readonly token$: Observable<PrivateToken>;
  /** The WebSocket URL (default `environments.production.wsUrl`). */
  readonly wsUrl?: string;
  /** Backoff between reconnects. */
  readonly reconnect?: ReconnectOptions;
  /** Extra silence tolerated after the ping interval before the link counts as dead (default 15 000 ms). */
  readonly pingTimeoutMs?: number;
  /** The server's PING interval when it does not say (frame-ping mode; default 25 000 ms). */
  readonly pingIntervalMs?: number;
  /** A command whose reply takes longer than this counts as a dead link (default 10 000 ms). */
  readonly requestTimeoutMs?: number;
  /**
   * Refresh the token when this share of its ttl has passed (default 0.85), and never later
   * than `ttl − 1 s − refreshMarginMs − the last token request's duration` (the ttl is whole
   * seconds truncated, so up to one second of it may already be gone).
   */
  readonly refreshAt?: number;
  /** Lead kept before the token's earliest possible expiry, for the network (default 500 ms). */
  readonly refreshMarginMs?: number;
  /**
   * Open `ws:` sockets to hosts that are not loopback (default `false`: the channel fails with
   * `ChannelError` kind `insecure_transport` before any token is asked for or any socket
   * opened). Only for a TLS-terminating proxy on a private network.
   */
  readonly allowInsecureTransport?: boolean;
  /** Opens sockets (default: `ws`, without an Origin header). */
  readonly webSocket?: WebSocketFactory;
  /** Runs every timer (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike;
  /** Gets every frame line that could not be used, with its raw text; the stream goes on. */
  readonly onInvalid?: (problem: InvalidFrameLine) => void;
  /**
   * Told the scheduler's time of every frame and PING the server sends (the client's
   * `health$` shows how long ago the last one came). Keep it cheap: it runs per frame.
   */
  readonly onActivity?: (at: number) => void;
}

/**
 * The managed connection to the private channel: a cold Observable that, for each
 * subscriber, takes a token from `token$`, connects, subscribes to the token's channel
 * and emits status changes and publications. It answers pings, refreshes the token
 * before its ttl runs out and, on a temporary failure, backs off (full jitter), takes a
 * fresh token and reconnects. It errors only with a {@link ChannelError}, on a failure
 * that retrying will not mend. Unsubscribing closes the socket and stops every timer.
 *
 * ```text
 * token$:    ──t1──────────────────────────────t2───────────────
 * socket:      connect·subscribe···pub···pub·X(3012)···connect·subscribe···pub
 * result:    ──c──C──S──P────P──────D(retryInMs)─────c──C──S──P──
 *            c connecting, C connected, S subscribed, P publication, D disconnected
 * ```
 *
 * ## Example
 * ```ts
 * const channel$ = privateChannel({ token$: requestToken(credentials) });
 * channel$.subscribe((m) => m.type === 'status' && console.log(m.status.state));
 * ```
 *
 * @param options - where and how to connect; every timer runs on `options.scheduler`
 * @returns a cold Observable of {@link ChannelMessage}
 */
export function privateChannel(options: PrivateChannelOptions): Observable<ChannelMessage> {
  const scheduler = options.scheduler ?? asyncScheduler;
  const random = options.reconnect?.random ?? Math.random;
  const config: ReconnectConfig = {
    minDelayMs: options.reconnect?.minDelayMs ?? 500,
    maxDelayMs: options.reconnect?.maxDelayMs ?? 20_000,
    maxAttempts: options.reconnect?.maxAttempts ?? Number.POSITIVE_INFINITY,
  };
  const url = options.wsUrl ?? environments.production.wsUrl;
  const ctx: SessionContext = {
    url,
    webSocket: options.webSocket ?? defaultWebSocketFactory,
    scheduler,
    token$: options.token$,
    pingIntervalMs: options.pingIntervalMs ?? 25_000,
    pingTimeoutMs: options.pingTimeoutMs ?? 15_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    refresh: { share: options.refreshAt ?? 0.85, marginMs: options.refreshMarginMs ?? 500 },
    onInvalid: options.onInvalid ?? (() => undefined),
    onActivity: options.onActivity ?? (() => undefined),
  };

  // One attempt: a token, then a session on it (a new one for every further token).
  const connectOnce$ = defer(() => {
    const askedAt = scheduler.now();
    return options.token$.pipe(
      catchError((e: unknown) => throwError(() => endFromTokenError(e))),
      throwIfEmpty(() => new SessionEnd('reconnect', 'token', undefined, 'token$ completed without a token')),
      switchMap((token, index) => session(token, ctx, index === 0 ? scheduler.now() - askedAt : 0)),
    );
  });

  const step = reconnectStep(config);
  return defer(() => {
    const refusal = insecureTransport(url, 'WebSocket token', options.allowInsecureTransport === true);
    if (refusal) {
      return throwError(
        () => new ChannelError('insecure_transport', undefined, refusal.message, { cause: refusal }),
      );
    }
    // The pure policy under the one shell (runMachine): each attempt and each wait is a
    // sibling subscription of this one, so no depth grows however often it reconnects.
    return new Observable<ChannelMessage>((subscriber) => {
      let attempt: Subscription | undefined;
      let wait: Subscription | undefined;
      const perform = (effect: ReconnectEffect, dispatch: (event: ReconnectEvent) => void): void => {
        switch (effect.type) {
          case 'emit':
            return subscriber.next(effect.message);
          case 'connect':
            attempt?.unsubscribe();
            attempt = connectOnce$.subscribe({
              next: (message) => dispatch({ type: 'message', message }),
              error: (error: unknown) =>
                dispatch({ type: 'ended', end: asSessionEnd(error), jitter: random() }),
            });
            return;
          case 'retry':
            wait?.unsubscribe();
            wait = safeTimer(effect.inMs, scheduler).subscribe(() => dispatch({ type: 'start' }));
            return;
          case 'fail':
            machine.stop();
            return subscriber.error(effect.error);
        }
      };
      const machine = runMachine(step, initialReconnect, perform);
      machine.dispatch({ type: 'start' });
      return () => {
        machine.stop();
        attempt?.unsubscribe();
        wait?.unsubscribe();
      };
    });
  });
}

function asSessionEnd(error: unknown): SessionEnd {
  if (error instanceof SessionEnd) return error;
  const what = error instanceof Error ? error.message : String(error);
  return new SessionEnd('terminal', 'protocol', undefined, `unexpected failure: ${what}`);
}
