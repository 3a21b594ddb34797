import { Observable, asyncScheduler, defer, map, throwError } from 'rxjs';
import type { Credentials } from '../auth/credentials';
import { environments } from '../environments';
import { globalFetch } from '../util/fetch';
import { proxyFetch } from '../util/proxy-fetch';
import { createServerClock } from './clock';
import {
  LegacyInfo,
  LegacyOpenOrdersReturn,
  LegacyOrderReturn,
  type LegacyOpenOrder,
  type LegacyOrder,
} from './codecs-legacy';
import type { ApiOrder, MyTrade, OrderHistory } from './codecs-v2';
import { TradeApiError } from './error';
import { numericOrderId, symbolToPair } from './ids';
import { legacyCall, type LegacyTarget } from './legacy-call';
import { createTokenBucket, type TokenBucket } from './limiter';
import { API_V2_BASE_URL, type TradeApiOptions } from './options';
import { sendRequest, type RequestContext } from './request';
import type { V2Target } from './v2-call';
import { v2Methods, type ApiOrderQuery, type MyTradesQuery, type V2RangeQuery } from './v2-methods';

/**
 * A legacy open order with its pair (added from the request or the per-pair key).
 *
 * ## Example
 * ```ts
 * const entry: LegacyOpenOrderEntry = { pair: 'btc_idr', order_id: '1', submit_time: '1578304294',
 *   price: '100', type: 'sell', amounts: { order: { btc: '1' }, remain: { btc: '1' } } };
 * ```
 */
export type LegacyOpenOrderEntry = LegacyOpenOrder & { readonly pair: string };

/**
 * The trade API: every method returns a cold Observable (one request, or one paged series,
 * per subscription) that emits one value and completes, or fails with a {@link TradeApiError}.
 *
 * ## Example
 * ```ts
 * const api: TradeApi = createTradeApi(credentials);
 * const open$ = api.openOrders();
 * ```
 */
export interface TradeApi {
  /** Legacy `getInfo`: balances. */
  getInfo(): Observable<LegacyInfo>;
  /** Legacy `openOrders`: every pair without `pair` (`btc_idr` or `btcidr`), flattened, each entry with its pair. */
  openOrders(pair?: string): Observable<readonly LegacyOpenOrderEntry[]>;
  /** Legacy `getOrder`; `orderId` may be the numeric id or the full id (`btcidr-limit-6423`). */
  getOrder(pair: string, orderId: string | number): Observable<LegacyOrder>;
  /** Legacy `getOrderByClientOrderId`. */
  getOrderByClientOrderId(clientOrderId: string): Observable<LegacyOrder>;
  /** v2 `order/histories` (closed orders) over any range: split into 7-day windows and paged. */
  orderHistories(query: V2RangeQuery): Observable<readonly OrderHistory[]>;
  /** v2 `myTrades` (fills) over any range: split into 7-day windows and paged. */
  myTrades(query: MyTradesQuery): Observable<readonly MyTrade[]>;
  /** "api" flavor `openOrders` (exact quantities); needs `v2Credentials`. */
  v2OpenOrders(symbol?: string): Observable<readonly ApiOrder[]>;
  /** "api" flavor `order`; needs `v2Credentials`. */
  v2Order(query: ApiOrderQuery): Observable<ApiOrder>;
}

const blank = (c: Credentials | undefined): boolean =>
  !c ||
  typeof c.apiKey !== 'string' ||
  c.apiKey.trim() === '' ||
  typeof c.apiSecret !== 'string' ||
  c.apiSecret === '';

/**
 * The exchange's REST trade APIs as cold Observables: the legacy TAPI (`POST /tapi`) and
 * the Trade API v2 in its "tapi" (default) or "api" flavor. Every call is signed with a
 * fresh timestamp, decoded with io-ts (amounts stay exact strings, ids strings), limited by
 * a client-side token bucket, timed out and retried with full-jitter backoff on 429, 5xx
 * and network failures, all on `options.scheduler`. Failures are {@link TradeApiError}s.
 *
 * ```text
 * openOrders() ──POST /tapi──────────────► [entries]|
 * myTrades({symbol, 10 days}) ─GET(7d)─GET(3d)─► [trades]|
 * ```
 *
 * ## Example
 * ```ts
 * const api = createTradeApi({ apiKey, apiSecret });
 * api.openOrders().subscribe((orders) => console.log(orders.length, 'open'));
 * api.myTrades({ symbol: 'btcidr', orderId: 'btcidr-limit-6423' }).subscribe(console.log);
 * ```
 *
 * @param credentials - the TAPI key (legacy and the "tapi" flavor)
 * @param options - hosts, flavor, timeouts, retry, limits, fetch, scheduler
 * @returns the {@link TradeApi} methods
 */
export function createTradeApi(credentials: Credentials, options: TradeApiOptions = {}): TradeApi {
  const environment = options.environment ?? environments.production;
  const scheduler = options.scheduler ?? asyncScheduler;
  const recvWindowMs = options.recvWindowMs ?? 5000;
  const ctx: RequestContext = {
    fetch: options.fetch ?? (options.proxy !== undefined ? proxyFetch(options.proxy) : globalFetch),
    scheduler,
    timeoutMs: options.timeoutMs ?? 10_000,
    retry: { maxAttempts: 4, minDelayMs: 500, maxDelayMs: 10_000, ...options.retry },
    clock: createServerClock(scheduler),
    random: options.random ?? Math.random,
    allowInsecureTransport: options.allowInsecureTransport === true,
  };
  const limits = options.rateLimits ?? {};
  const legacyBucket = createTokenBucket(limits.legacy ?? { perSecond: 2 }, scheduler);
  const tapiBucket = createTokenBucket(limits.tapi ?? { perSecond: 2 }, scheduler);
  const apiBuckets = new Map<string, TokenBucket>();
  // One bucket per endpoint for the "api" flavor, as the exchange counts.
  const apiBucket = (): TokenBucket => createTokenBucket(limits.api ?? { perSecond: 5, burst: 5 }, scheduler);

  const refuse = (what: string) => () =>
    new TradeApiError('invalid_arguments', `createTradeApi: ${what}`, false, 'createTradeApi');
  const legacy: LegacyTarget | (() => TradeApiError) = blank(credentials)
    ? refuse('the API key or secret is empty')
    : {
        restBaseUrl: options.restBaseUrl ?? environment.restBaseUrl,
        credentials,
        recvWindowMs,
        bucket: legacyBucket,
      };
  const apiTargetFor = (path: string): V2Target | (() => TradeApiError) => {
    if (blank(options.v2Credentials) || !options.v2Credentials)
      return refuse('the "api" flavor needs v2Credentials (a dedicated TAPIv2 key)');
    let bucket = apiBuckets.get(path);
    if (!bucket) apiBuckets.set(path, (bucket = apiBucket()));
    return {
      flavor: 'api',
      baseUrl: options.apiV2BaseUrl ?? API_V2_BASE_URL,
      credentials: options.v2Credentials,
      recvWindowMs,
      bucket,
    };
  };
  const tapiTarget: V2Target | (() => TradeApiError) = blank(credentials)
    ? refuse('the API key or secret is empty')
    : {
        flavor: 'tapi',
        baseUrl: options.tapiV2BaseUrl ?? environment.tapiV2BaseUrl,
        credentials,
        recvWindowMs,
        bucket: tapiBucket,
      };
  const flavor = options.v2Flavor ?? 'tapi';
  const v2 = v2Methods(flavor === 'api' ? apiTargetFor : () => tapiTarget, apiTargetFor, ctx);

  const call = <A>(
    method: string,
    params: Record<string, string>,
    codec: Parameters<typeof legacyCall<A>>[2],
  ): Observable<A> =>
    defer(() =>
      typeof legacy === 'function'
        ? throwError(legacy)
        : sendRequest(legacyCall(method, params, codec, legacy), ctx),
    );

  return {
    getInfo: () => call('getInfo', {}, LegacyInfo),
    openOrders: (pair) => {
      const wanted = pair === undefined ? undefined : (symbolToPair(pair) ?? pair);
      return call('openOrders', wanted === undefined ? {} : { pair: wanted }, LegacyOpenOrdersReturn).pipe(
        map(({ orders }) => flattenOpenOrders(orders, wanted)),
      );
    },
    getOrder: (pair, orderId) =>
      call(
        'getOrder',
        { pair: symbolToPair(pair) ?? pair, order_id: numericOrderId(String(orderId)) ?? String(orderId) },
        LegacyOrderReturn,
      ).pipe(map((r) => r.order)),
    getOrderByClientOrderId: (clientOrderId) =>
      call('getOrderByClientOrderId', { client_order_id: clientOrderId }, LegacyOrderReturn).pipe(
        map((r) => r.order),
      ),
    ...v2,
  };
}

/**
 * Flattens legacy `orders` (null, an array for one pair, or an object keyed by pair) into
 * one list whose entries carry their pair.
 * @internal
 */
export function flattenOpenOrders(
  orders: LegacyOpenOrdersReturn['orders'],
  pair: string | undefined,
): LegacyOpenOrderEntry[] {
  if (orders === null) return [];
  if (Array.isArray(orders)) return orders.map((o) => ({ ...o, pair: pair ?? '' }));
  return Object.entries(orders).flatMap(([key, list]) => (list ?? []).map((o) => ({ ...o, pair: key })));
}
