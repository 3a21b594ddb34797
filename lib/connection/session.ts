import { Observable, Subscription, switchMap, take, timer, type SchedulerLike } from 'rxjs';
import { encodeConnect, encodeRefresh, encodeSubscribe, PONG } from '../protocol/commands';
import type { ConnectResult, RefreshResult, Reply, ReplyError } from '../protocol/codecs';
import { splitFrame, type InvalidFrameLine, type ServerMessage } from '../protocol/frames';
import { socketEvents } from '../transport/socket-events';
import type { WebSocketFactory } from '../transport/socket';
import type { PrivateToken } from '../token/codecs';
import { SessionEnd, endFromCode, endFromTokenError } from './session-end';
import type { ChannelMessage, ConnectionStatus } from './types';

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
  /** Refresh when this share of the ttl has passed (0..1). */
  readonly refreshAt: number;
  readonly onInvalid: (problem: InvalidFrameLine) => void;
}

type Pending = { readonly what: 'connect' | 'subscribe' | 'refresh'; readonly timeout: Subscription };

const status = (s: ConnectionStatus): ChannelMessage => ({ type: 'status', status: s });

/**
 * One socket's life with one token: connect, subscribe, relay publications, answer
 * pings, refresh the token, watch liveness. Never completes: it errors with a
 * {@link SessionEnd} that says why it ended. Unsubscribing closes the socket (1000).
 * @internal
 */
export function session(token: PrivateToken, ctx: SessionContext): Observable<ChannelMessage> {
  return new Observable<ChannelMessage>((subscriber) => {
    const subs = new Subscription();
    const pending = new Map<number, Pending>();
    let send: (text: string) => void = () => undefined;
    let nextId = 1;
    let answerPings = false;
    let livenessMs = 0;
    let deadline: Subscription | undefined;
    let refreshTimer: Subscription | undefined;
    let lastError = '';
    let ended = false;

    const end = (reason: SessionEnd): void => {
      if (ended) return;
      ended = true;
      subscriber.error(reason);
    };
    const emit = (message: ChannelMessage): void => {
      if (!ended) subscriber.next(message);
    };

    // Liveness: every frame or PING moves `lastSeen`; one timer checks it when it could
    // have run out (O(1) per frame instead of a new timer per frame).
    let lastSeen = ctx.scheduler.now();
    const touch = (): void => {
      lastSeen = ctx.scheduler.now();
    };
    const armDeadline = (delay: number): void => {
      deadline?.unsubscribe();
      deadline = timer(delay, ctx.scheduler).subscribe(() => {
        const idle = ctx.scheduler.now() - lastSeen;
        if (idle >= livenessMs) {
          end(new SessionEnd('reconnect', 'server', undefined, `no frame or ping within ${livenessMs} ms`));
        } else {
          armDeadline(livenessMs - idle);
        }
      });
      subs.add(deadline);
    };

    const request = (what: Pending['what'], encode: (id: number) => string): void => {
      const id = nextId++;
      const timeout = timer(ctx.requestTimeoutMs, ctx.scheduler).subscribe(() =>
        end(
          new SessionEnd(
            'reconnect',
            'server',
            undefined,
            `${what} got no reply within ${ctx.requestTimeoutMs} ms`,
          ),
        ),
      );
      subs.add(timeout);
      pending.set(id, { what, timeout });
      send(encode(id));
    };

    const scheduleRefresh = (ttlSeconds: number): void => {
      refreshTimer?.unsubscribe();
      const delay = Math.max(0, Math.floor(ttlSeconds * 1000 * ctx.refreshAt));
      refreshTimer = timer(delay, ctx.scheduler)
        .pipe(switchMap(() => ctx.token$.pipe(take(1))))
        .subscribe({
          next: (fresh) => request('refresh', (id) => encodeRefresh(id, fresh.connToken)),
          error: (e: unknown) => end(endFromTokenError(e, 'token refresh failed')),
        });
      subs.add(refreshTimer);
    };

    const onConnected = (result: ConnectResult): void => {
      const ttl = result.expires && result.ttl !== undefined ? result.ttl : undefined;
      emit(
        status(
          ttl === undefined
            ? { state: 'connected', client: result.client }
            : { state: 'connected', client: result.client, ttl },
        ),
      );
      answerPings = result.pong === true;
      const intervalMs =
        result.ping !== undefined && result.ping > 0 ? result.ping * 1000 : ctx.pingIntervalMs;
      livenessMs = intervalMs + ctx.pingTimeoutMs;
      touch();
      armDeadline(livenessMs);
      if (ttl !== undefined) scheduleRefresh(ttl);
      request('subscribe', (id) => encodeSubscribe(id, token.channel));
    };

    const onRefreshed = (result: RefreshResult): void => {
      const ttl = result.expires && result.ttl !== undefined ? result.ttl : undefined;
      emit(status(ttl === undefined ? { state: 'refreshed' } : { state: 'refreshed', ttl }));
      if (ttl !== undefined) scheduleRefresh(ttl);
    };

    const onReplyError = (what: Pending['what'], error: ReplyError): void => {
      const reason = `${what} refused: ${error.message} (${error.code})`;
      const result = endFromCode(error.code, reason, error.temporary === true);
      // A refused refresh falls back to a reconnect with a new token.
      end(
        what === 'refresh' && result.action === 'terminal'
          ? new SessionEnd('reconnect', result.kind, error.code, reason)
          : result,
      );
    };

    const onReply = (reply: Reply): void => {
      const call = pending.get(reply.id);
      if (!call) {
        ctx.onInvalid({
          raw: JSON.stringify({ id: reply.id }),
          reason: `reply to unknown command id ${reply.id}`,
        });
        return;
      }
      pending.delete(reply.id);
      call.timeout.unsubscribe();
      if (reply.error) return onReplyError(call.what, reply.error);
      if (call.what === 'connect') {
        if (!reply.connect)
          return end(new SessionEnd('reconnect', 'protocol', undefined, 'connect reply without a result'));
        onConnected(reply.connect);
      } else if (call.what === 'subscribe') {
        emit(status({ state: 'subscribed', channel: token.channel }));
      } else {
        onRefreshed(reply.refresh ?? {});
      }
    };

    const onMessage = (message: ServerMessage): void => {
      if (message.kind === 'ping') {
        if (answerPings) send(PONG);
      } else if (message.kind === 'reply') {
        onReply(message.reply);
      } else {
        const { push } = message;
        if (push.disconnect) {
          end(endFromCode(push.disconnect.code, push.disconnect.reason ?? ''));
        } else if (push.pub && typeof push.channel === 'string') {
          emit({ type: 'publication', channel: push.channel, data: push.pub.data });
        }
      }
    };

    subs.add(
      socketEvents(ctx.webSocket, ctx.url).subscribe((event) => {
        switch (event.type) {
          case 'open':
            send = event.send;
            request('connect', (id) => encodeConnect(id, token.connToken));
            return;
          case 'ping':
            touch();
            return;
          case 'message':
            touch();
            for (const line of splitFrame(event.text)) {
              if (ended) return;
              if (line.ok) onMessage(line.message);
              else ctx.onInvalid(line.invalid);
            }
            return;
          case 'error':
            lastError = event.error.message;
            return;
          case 'close':
            end(endFromCode(event.code, event.reason || lastError));
            return;
        }
      }),
    );
    return () => {
      ended = true;
      subs.unsubscribe();
    };
  });
}
