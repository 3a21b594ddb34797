import {
  EMPTY,
  ReplaySubject,
  Subject,
  asyncScheduler,
  concatMap,
  defer,
  distinctUntilChanged,
  filter,
  from,
  ignoreElements,
  map,
  merge,
  share,
  startWith,
  subscribeOn,
  tap,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { Credentials } from './auth/credentials';
import { privateChannel, type ReconnectOptions } from './connection/private-channel';
import type { ChannelMessage, ConnectionStatus } from './connection/types';
import { environments, type Environment } from './environments';
import {
  createOrderState,
  isTerminalStatus,
  orderUpdates,
  reduceOrderState,
  splitByStatus,
  type InvalidMessage,
  type OrderStateOptions,
  type OrderStateSnapshot,
  type OrderUpdate,
  type UpdatesByStatus,
} from './orders';
import type { KnownOrder } from './reconcile/facts';
import { reconciliation, type ReconciliationEvent, type ReconciliationOptions } from './reconcile/reconciler';
import { tradeApiSource, type TradeApiSourceOptions } from './reconcile/trade-api-source';
import { findingsToUpdates } from './reconcile/to-updates';
import { createTradeApi } from './rest/trade-api';
import type { TradeApiOptions } from './rest/options';
import { requestToken } from './token/request-token';
import type { WebSocketFactory } from './transport/socket';
import type { FetchLike } from './util/fetch';

/** How the client reconciles with the REST APIs (`true` = defaults). */
export interface ReconcileOptions
  extends
    Pick<ReconciliationOptions, 'lookbackMs' | 'marginMs' | 'minDelayMs' | 'maxDelayMs' | 'recentSymbolsMs'>,
    TradeApiSourceOptions {
  /** Options of the REST client (flavor, v2 credentials, limits, timeouts). */
  readonly tradeApi?: Omit<TradeApiOptions, 'environment' | 'fetch' | 'scheduler'>;
}

/** Options of {@link createPrivateClient}. */
export interface PrivateClientOptions {
  /** Your TAPI key and secret (the secret only signs requests). */
  readonly credentials: Credentials;
  /** Which exchange (default `environments.production`). */
  readonly environment?: Environment;
  /**
   * Ask the REST APIs what changed after the first subscribe and after every reconnect,
   * and fold it into the store as `source: 'rest'` updates (default `true`).
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
  /** Options of the order-state store (terminal-order retention). */
  readonly store?: OrderStateOptions;
  /** Allow `http:`/`ws:` to hosts that are not loopback (default `false`; only behind a TLS-terminating proxy). */
  readonly allowInsecureTransport?: boolean;
}

/** What {@link createPrivateClient} returns: every stream shares one connection. */
export interface PrivateClient {
  /** Every message of the channel as it arrived (status changes and raw publications). */
  readonly messages$: Observable<ChannelMessage>;
  /** Every state change of the connection. */
  readonly status$: Observable<ConnectionStatus>;
  /** Every order update, in order: pushed (`source: 'ws'`) and reconciled (`source: 'rest'`). */
  readonly orderUpdates$: Observable<OrderUpdate>;
  /** The order updates split by status, each narrowed to its type. */
  readonly byStatus: UpdatesByStatus;
  /** The order-state store; a late subscriber gets the current snapshot at once. */
  readonly orders$: Observable<OrderStateSnapshot>;
  /** Every frame line and every event item that could not be decoded, with its raw value. */
  readonly invalid$: Observable<InvalidMessage>;
  /** Progress and failures of REST reconciliation (nothing when it is off). */
  readonly reconciliation$: Observable<ReconciliationEvent>;
}

/**
 * The client application code starts with: one managed connection for all of its
 * streams, opened by the first subscriber to any of them (streams subscribed in the same
 * tick all see the start) and closed after the last one leaves. A terminal failure
 * reaches every stream as the same `ChannelError`, and nothing retries after it. After
 * the first subscribe and after every reconnect it reconciles with the REST APIs.
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
 * ```
 */
export function createPrivateClient(options: PrivateClientOptions): PrivateClient {
  const environment = options.environment ?? environments.production;
  const scheduler = options.scheduler ?? asyncScheduler;
  const token$ = requestToken(options.credentials, {
    environment,
    scheduler,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.tokenTimeoutMs !== undefined ? { timeoutMs: options.tokenTimeoutMs } : {}),
    ...pick(options, ['allowInsecureTransport']),
  });
  const problems = new Subject<InvalidMessage>();
  const channel$ = privateChannel({
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
    ...(options.webSocket ? { webSocket: options.webSocket } : {}),
    onInvalid: (line) => problems.next({ raw: line.raw, rawText: line.raw, reason: `frame: ${line.reason}` }),
  }).pipe(subscribeOn(scheduler));

  const events = new Subject<ReconciliationEvent>();
  const settings = options.reconcile ?? true;
  let extraUpdates: PipelineOptions['extraUpdates'];
  if (settings !== false) {
    const rec: ReconcileOptions = settings === true ? {} : settings;
    const api = createTradeApi(options.credentials, {
      ...rec.tradeApi,
      environment,
      scheduler,
      ...pick(options, ['allowInsecureTransport']),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const source = tradeApiSource(api, rec);
    extraUpdates = (status$, state) =>
      reconciliation(status$, {
        ...rec,
        source,
        scheduler,
        known: () => knownOrdersOf(state()),
      }).pipe(
        tap((out) => {
          if (out.kind === 'event') events.next(out.event);
        }),
        concatMap((out) =>
          out.kind === 'findings'
            ? from(
                findingsToUpdates(out.findings, new Map(knownOrdersOf(state()).map((k) => [k.orderId, k]))),
              )
            : EMPTY,
        ),
      );
  }
  const pipeline = pipelineFromChannel(channel$, {
    problems,
    ...(extraUpdates ? { extraUpdates } : {}),
    ...(options.store ? { store: options.store } : {}),
  });
  return { ...pipeline, reconciliation$: merge(events, pipeline.orderUpdates$.pipe(ignoreElements())) };
}

/** What the store knows, as reconciliation needs it. @internal */
export function knownOrdersOf(snapshot: OrderStateSnapshot): KnownOrder[] {
  const known: KnownOrder[] = [];
  for (const order of snapshot.orders.values()) {
    known.push({
      orderId: order.orderId,
      symbol: order.symbol,
      open: !isTerminalStatus(order.status),
      executedQty: order.executedQty,
      origQty: order.origQty,
      approximate: order.approximate,
      since: order.firstSeen,
      tradeIds: new Set(order.fills.keys()),
      fillsQty: order.fillsQty,
    });
  }
  return known;
}

/** Options of {@link pipelineFromChannel}. */
export interface PipelineOptions {
  /** Problems found before the pipeline (e.g. bad frame lines); they join `invalid$`. */
  readonly problems?: Observable<InvalidMessage>;
  /**
   * More updates to fold into the same store (REST reconciliation), given the status
   * stream and a getter of the store's current state.
   */
  readonly extraUpdates?: (
    status$: Observable<ConnectionStatus>,
    state: () => OrderStateSnapshot,
  ) => Observable<OrderUpdate>;
  /** Options of the order-state store. */
  readonly store?: OrderStateOptions;
}

/**
 * The client's streams over any source of channel messages: a live `privateChannel`,
 * a recording being replayed, or a marble in a test. Everything shares one subscription
 * to `channel$` (refCount), decodes once and folds once, and keeps an errored state:
 * after an error every stream, also a late one, sees the same error.
 *
 * ## Example
 * ```ts
 * const { orders$ } = pipelineFromChannel(cold('-a-b-', { a: newOrderMessage, b: fillMessage }));
 * ```
 */
export function pipelineFromChannel(
  channel$: Observable<ChannelMessage>,
  options: PipelineOptions = {},
): Omit<PrivateClient, 'reconciliation$'> {
  const problems = new Subject<InvalidMessage>();
  const keep = { resetOnError: false, resetOnComplete: false, resetOnRefCountZero: true } as const;
  let state = options.store?.initial ?? createOrderState(options.store);
  const messages$ = channel$.pipe(share(keep));
  const status$ = messages$.pipe(
    filter((m): m is Extract<ChannelMessage, { type: 'status' }> => m.type === 'status'),
    map((m) => m.status),
  );
  const pushed$ = messages$.pipe(orderUpdates({ onInvalid: (p) => problems.next(p) }));
  const orderUpdates$ = (
    options.extraUpdates
      ? merge(
          pushed$,
          options.extraUpdates(status$, () => state),
        )
      : pushed$
  ).pipe(
    tap((update) => {
      state = reduceOrderState(state, update);
    }),
    share(keep),
  );
  const orders$ = defer(() =>
    orderUpdates$.pipe(
      map(() => state),
      startWith(state),
    ),
  ).pipe(
    distinctUntilChanged(),
    share({ connector: () => new ReplaySubject<OrderStateSnapshot>(1), ...keep }),
  );
  const invalid$ = merge(problems, options.problems ?? EMPTY, orderUpdates$.pipe(ignoreElements()));
  return { messages$, status$, orderUpdates$, byStatus: splitByStatus()(orderUpdates$), orders$, invalid$ };
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
