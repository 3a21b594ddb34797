import {
  EMPTY,
  asyncScheduler,
  catchError,
  concat,
  defer,
  expand,
  filter,
  map,
  of,
  scan,
  switchMap,
  throwError,
  throwIfEmpty,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { environments } from '../environments';
import type { InvalidFrameLine } from '../protocol/frames';
import type { PrivateToken } from '../token/codecs';
import { defaultWebSocketFactory } from '../transport/ws-factory';
import type { WebSocketFactory } from '../transport/socket';
import { safeTimer } from '../util/safe-timer';
import { insecureTransport } from '../util/transport-security';
import {
  initialReconnect,
  reconnectStep,
  type ReconnectConfig,
  type ReconnectEvent,
  type ReconnectState,
  type ReconnectStep,
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

  // The attempt as steps of the pure policy: its messages, then how it ended.
  const attempt$ = (from: ReconnectState): Observable<ReconnectStep> => {
    const start = reconnectStep(from, { type: 'start' }, config);
    return concat(
      of(start),
      connectOnce$.pipe(
        map((message): ReconnectEvent => ({ type: 'message', message })),
        catchError((error: unknown) =>
          of<ReconnectEvent>({ type: 'ended', end: asSessionEnd(error), jitter: random() }),
        ),
        scan((step, event) => reconnectStep(step.state, event, config), start),
      ),
    );
  };

  return defer(() => {
    const refusal = insecureTransport(url, 'WebSocket token', options.allowInsecureTransport === true);
    if (refusal) {
      return throwError(
        () => new ChannelError('insecure_transport', undefined, refusal.message, { cause: refusal }),
      );
    }
    return attempt$(initialReconnect).pipe(
      // Each retry is a sibling subscription (expand), not a nested one: no depth grows.
      expand((step) =>
        step.retryInMs === undefined
          ? EMPTY
          : safeTimer(step.retryInMs, scheduler).pipe(switchMap(() => attempt$(step.state))),
      ),
      map((step) => {
        if (step.fail) throw step.fail;
        return step.emit;
      }),
      filter((message): message is ChannelMessage => message !== undefined),
    );
  });
}

function asSessionEnd(error: unknown): SessionEnd {
  if (error instanceof SessionEnd) return error;
  const what = error instanceof Error ? error.message : String(error);
  return new SessionEnd('terminal', 'protocol', undefined, `unexpected failure: ${what}`);
}
