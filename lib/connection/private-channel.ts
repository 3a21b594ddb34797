import {
  asyncScheduler,
  catchError,
  concat,
  defer,
  of,
  repeat,
  switchMap,
  tap,
  throwError,
  throwIfEmpty,
  timer,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { environments } from '../environments';
import type { InvalidFrameLine } from '../protocol/frames';
import type { PrivateToken } from '../token/codecs';
import { defaultWebSocketFactory } from '../transport/ws-factory';
import type { WebSocketFactory } from '../transport/socket';
import { backoff } from '../util/backoff';
import { session } from './session';
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
  /** Refresh the token when this share of its ttl has passed (default 0.85). */
  readonly refreshAt?: number;
  /** Opens sockets (default: `ws`, without an Origin header). */
  readonly webSocket?: WebSocketFactory;
  /** Runs every timer (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike;
  /** Gets every frame line that could not be used, with its raw text; the stream goes on. */
  readonly onInvalid?: (problem: InvalidFrameLine) => void;
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
  const minDelayMs = options.reconnect?.minDelayMs ?? 500;
  const maxDelayMs = options.reconnect?.maxDelayMs ?? 20_000;
  const maxAttempts = options.reconnect?.maxAttempts ?? Number.POSITIVE_INFINITY;
  const random = options.reconnect?.random ?? Math.random;
  const ctx = {
    url: options.wsUrl ?? environments.production.wsUrl,
    webSocket: options.webSocket ?? defaultWebSocketFactory,
    scheduler,
    token$: options.token$,
    pingIntervalMs: options.pingIntervalMs ?? 25_000,
    pingTimeoutMs: options.pingTimeoutMs ?? 15_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    refreshAt: options.refreshAt ?? 0.85,
    onInvalid: options.onInvalid ?? (() => undefined),
  };

  return defer(() => {
    let attempt = 0; // failed attempts since the last successful subscribe
    let newTokenStreak = 0; // consecutive 109s: only the first retries at once
    let nextDelay = 0;

    const once$ = defer(() => {
      attempt += 1;
      return concat(
        of<ChannelMessage>({ type: 'status', status: { state: 'connecting', attempt } }),
        options.token$.pipe(
          catchError((e: unknown) => throwError(() => endFromTokenError(e, 'token request failed'))),
          throwIfEmpty(
            () => new SessionEnd('reconnect', 'token', undefined, 'token$ completed without a token'),
          ),
          switchMap((token) => session(token, ctx)),
        ),
      );
    }).pipe(
      tap((m) => {
        if (m.type === 'status' && m.status.state === 'subscribed') {
          attempt = 0;
          newTokenStreak = 0;
        }
      }),
      catchError((error: unknown) => {
        const end =
          error instanceof SessionEnd
            ? error
            : new SessionEnd('terminal', 'protocol', undefined, `unexpected failure: ${describe(error)}`);
        if (end.action === 'terminal') return throwError(() => end.toChannelError());
        if (attempt >= maxAttempts) {
          return throwError(
            () =>
              new ChannelError(
                'exhausted',
                end.code,
                `gave up after ${attempt} attempts; last: ${end.reason}`,
                {
                  cause: end,
                },
              ),
          );
        }
        const immediate = end.action === 'new-token' && newTokenStreak === 0;
        newTokenStreak = end.action === 'new-token' ? newTokenStreak + 1 : 0;
        nextDelay = immediate ? 0 : backoff(attempt - 1, minDelayMs, maxDelayMs, random);
        const status =
          end.code === undefined
            ? { state: 'disconnected' as const, reason: end.reason, retryInMs: nextDelay }
            : { state: 'disconnected' as const, code: end.code, reason: end.reason, retryInMs: nextDelay };
        return of<ChannelMessage>({ type: 'status', status });
      }),
    );

    return once$.pipe(repeat({ delay: () => timer(nextDelay, scheduler) }));
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
