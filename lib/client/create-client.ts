import {
  Observable,
  Subject,
  asyncScheduler,
  firstValueFrom,
  from,
  map,
  race,
  subscribeOn,
  throttleTime,
  type SchedulerLike,
} from 'rxjs';
import type { Credentials } from '../auth/credentials';
import { privateChannel, type ReconnectOptions } from '../connection/private-channel';
import { environments, type Environment } from '../environments';
import type { OrderStateOptions } from '../orders';
import { knownOrdersOf } from '../reconcile/known';
import { reconciliation, type ReconciliationOptions } from '../reconcile/reconciler';
import { tradeApiSource, type TradeApiSourceOptions } from '../reconcile/trade-api-source';
import type { TradeApiOptions } from '../rest/options';
import { createTradeApi } from '../rest/trade-api';
import { requestToken } from '../token/request-token';
import type { WebSocketFactory } from '../transport/socket';
import { createWsFactory, defaultWebSocketFactory } from '../transport/ws-factory';
import type { FetchLike } from '../util/fetch';
import { proxyFor, type ProxyOption } from '../util/proxy';
import { safeTimer } from '../util/safe-timer';
import type { CoreAction } from './core';
import { pipelineFromActions, type PipelineOptions, type PrivateClient } from './pipeline';
import { trackSockets } from './track-sockets';

/**
 * How the client reconciles with the REST APIs (`true` = defaults).
 *
 * ## Example
 * ```ts
 * const reconcile: ReconcileOptions = { tradeApi: { v2Flavor: 'api', v2Credentials }, checkEveryMs: 30_000 };
 * ```
 */
export interface ReconcileOptions
  extends
    Pick<
      ReconciliationOptions,
      | 'lookbackMs'
      | 'marginMs'
      | 'minDelayMs'
      | 'maxDelayMs'
      | 'recentSymbolsMs'
      | 'maxLookbackMs'
      | 'concurrency'
      | 'random'
      | 'checkEveryMs'
      | 'fullCheckEveryMs'
      | 'checkPhaseMs'
    >,
    TradeApiSourceOptions {
  /**
   * Options of the REST client (flavor, v2 credentials, limits, timeouts). With
   * `v2Flavor: 'api'` open orders come from that flavor's own `openOrders` (exact).
   */
  readonly tradeApi?: Omit<TradeApiOptions, 'environment' | 'fetch' | 'scheduler'>;
}

/**
 * Options of {@link createPrivateClient}.
 *
 * ## Example
 * ```ts
 * const options: PrivateClientOptions = { credentials, reconnect: { maxDelayMs: 10_000 } };
 * ```
 */
export interface PrivateClientOptions {
  /** Your TAPI key and secret (the secret only signs requests). */
  readonly credentials: Credentials;
  /** Which exchange (default `environments.production`). */
  readonly environment?: Environment;
  /**
   * Ask the REST APIs what changed after the first subscribe and after every reconnect,
   * and check every `checkEveryMs` (default 60 s) while connected, for pushes lost without a
   * disconnect; fold what they find into the store as `source: 'rest'` updates (default `true`).
   */
  readonly reconcile?: boolean | ReconcileOptions;
  /** Backoff between reconnects (see `privateChannel`). */
  readonly reconnect?: ReconnectOptions;
  /** Silence tolerated after the ping interval (default 15 000 ms). */
  readonly pingTimeoutMs?: number;
  /** The server's PING interval when it does not say (default 25 000 ms). */
  readonly pingIntervalMs?: number;
  /** Reply timeout of each command (default 10 000 ms). */
  readonly requestTimeoutMs?: number;
  /** Timeout of each token request (default 10 000 ms). */
  readonly tokenTimeoutMs?: number;
  /** Runs every timer (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike;
  /** The `fetch` for token and REST requests (default: the global one). */
  readonly fetch?: FetchLike;
  /** Opens sockets (default: `ws`, without an Origin header). */
  readonly webSocket?: WebSocketFactory;
  /**
   * Reach the exchange through this HTTP(S) proxy: the token request, the REST calls and the
   * WebSocket each go through a `CONNECT` tunnel (TLS stays end to end), e.g.
   * `'http://proxy.lan:3128'` or `{ url, noProxy: 'localhost' }`. Ignored by a given `fetch`
   * (REST) or `webSocket` (socket). The plain-text guard applies to the exchange's URLs as
   * without a proxy.
   */
  readonly proxy?: ProxyOption;
  /** Options of the order-state store (terminal-order retention). */
  readonly store?: OrderStateOptions;
  /** How often `health$` emits (default 1 000 ms). */
  readonly healthIntervalMs?: number;
  /** Allow `http:`/`ws:` to hosts that are not loopback (default `false`; only behind a TLS-terminating proxy). */
  readonly allowInsecureTransport?: boolean;
}

export type { PrivateClient } from './pipeline';

/**
 * The client application code starts with: one managed connection for all of its
 * streams, opened by the first subscriber to any of them (streams subscribed in the same
 * tick all see the start) and closed after the last one leaves, or by `close()`. Every
 * stream is a projection of one fold (see `pipelineFromChannel`): a terminal failure reaches
 * every stream as the same `ChannelError`, and nothing retries after it. After the first
 * subscribe and after every reconnect it reconciles with the REST APIs.
 *
 * ```text
 * status$        ──connecting──connected──subscribed──────────disconnected──…──subscribed──
 * orderUpdates$  ─────────────────────────────────(rest…)─NEW─FILL──────────────(rest…)─FILL─
 * orders$        S0───────────────────────────────S1──────S2──S3────────────────S4──────S5──
 * ```
 *
 * ## Example
 * ```ts
 * const client = createPrivateClient({
 *   credentials: { apiKey: process.env.INDODAX_API_KEY!, apiSecret: process.env.INDODAX_API_SECRET! },
 * });
 * client.byStatus.FILL.subscribe((f) => console.log('filled', f.order.orderId, f.order.fillInformation.qty));
 * client.orders$.subscribe((s) => console.log(s.openCount, 'open orders'));
 * await client.close(); // every stream completes, the socket closes with 1000
 * ```
 */
export function createPrivateClient(options: PrivateClientOptions): PrivateClient {
  const environment = options.environment ?? environments.production;
  const scheduler = options.scheduler ?? asyncScheduler;
  // A proxy URL that does not parse is a programming error: say so now, not at the first request.
  proxyFor(environment.restBaseUrl, options.proxy);
  const token$ = requestToken(options.credentials, {
    environment,
    scheduler,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...pick(options, ['proxy']),
    ...(options.tokenTimeoutMs !== undefined ? { timeoutMs: options.tokenTimeoutMs } : {}),
    ...pick(options, ['allowInsecureTransport']),
  });
  const sockets = trackSockets(
    options.webSocket ??
      (options.proxy !== undefined ? createWsFactory({ proxy: options.proxy }) : defaultWebSocketFactory),
  );
  // The channel's messages, its bad frame lines and (at most once a second) the time of
  // the server's last frame or PING, as the fold's actions.
  const actions$ = new Observable<CoreAction>((subscriber) => {
    const activity = new Subject<number>();
    const channel = privateChannel({
      token$,
      wsUrl: environment.wsUrl,
      scheduler,
      ...pick(options, [
        'reconnect',
        'pingTimeoutMs',
        'pingIntervalMs',
        'requestTimeoutMs',
        'allowInsecureTransport',
      ]),
      webSocket: sockets.factory,
      onInvalid: (line) =>
        subscriber.next({
          type: 'invalid',
          problem: { raw: line.raw, rawText: line.raw, reason: `frame: ${line.reason}` },
        }),
      onActivity: (at) => activity.next(at),
    }).pipe(map((message): CoreAction => ({ type: 'message', message })));
    const beats = activity.pipe(
      throttleTime(1_000, scheduler, { leading: true, trailing: true }),
      map((at): CoreAction => ({ type: 'activity', at })),
    );
    const sub = beats.subscribe((a) => subscriber.next(a));
    sub.add(channel.subscribe(subscriber));
    sub.add(() => activity.complete());
    return sub;
  }).pipe(subscribeOn(scheduler));
  const pipeline = pipelineFromActions(actions$, {
    scheduler,
    ...pick(options, ['healthIntervalMs']),
    ...(options.store ? { store: options.store } : {}),
    ...reconcileOf(options, environment, scheduler),
  });
  let closing: Promise<void> | undefined;
  return {
    ...pipeline,
    // Waits for the socket's close; a factory that never reports it cannot hold close() past 5 s.
    close: () =>
      (closing ??= pipeline
        .close()
        .then(() => firstValueFrom(race(from(sockets.closed()), safeTimer(5_000, scheduler))))
        .then(() => undefined)),
  };
}

function reconcileOf(
  options: PrivateClientOptions,
  environment: Environment,
  scheduler: SchedulerLike,
): Pick<PipelineOptions, 'reconciliation'> {
  const settings = options.reconcile ?? true;
  if (settings === false) return {};
  const rec: ReconcileOptions = settings === true ? {} : settings;
  const api = createTradeApi(options.credentials, {
    ...rec.tradeApi,
    environment,
    scheduler,
    ...pick(options, ['allowInsecureTransport', 'proxy']),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const source = tradeApiSource(api, {
    ...rec,
    exactOpenOrders: rec.exactOpenOrders ?? rec.tradeApi?.v2Flavor === 'api',
  });
  return {
    reconciliation: (status$, state$) =>
      reconciliation(status$, {
        ...rec,
        source,
        scheduler,
        known$: state$.pipe(map(knownOrdersOf)),
      }),
  };
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
