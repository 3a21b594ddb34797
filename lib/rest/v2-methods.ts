import { Observable, defer, throwError } from 'rxjs';
import type * as t from 'io-ts';
import { ApiOrder, MyTrade, OrderHistory, dataList } from './codecs-v2';
import { TradeApiError } from './error';
import { numericOrderId, pairToSymbol, toApiSymbol } from './ids';
import { sendRequest, type RequestContext } from './request';
import { v2Call, type V2Target } from './v2-call';
import { DEFAULT_WINDOW_MS, pageThrough, splitWindows, type TimeWindow } from './windows';

/**
 * A time-ranged v2 query. Times are milliseconds on the server's clock.
 *
 * ## Example
 * ```ts
 * const query: V2RangeQuery = { symbol: 'btcidr', startTime: Date.now() - 10 * 86_400_000, sort: 'asc' };
 * ```
 */
export interface V2RangeQuery {
  /** `btcidr` (WebSocket style; `btc_idr` and `BTCIDR` are accepted too). */
  readonly symbol: string;
  /** Default: `endTime` − 24 h. Longer than 7 days is split into several requests. */
  readonly startTime?: number;
  /** Default: now (server clock). */
  readonly endTime?: number;
  /** Rows per request (page size); a full page means more may exist, so paging goes on. */
  readonly limit?: number;
  /** Order of the result (default `desc`, newest first). */
  readonly sort?: 'asc' | 'desc';
}

/**
 * The query of `myTrades`: a range, optionally narrowed to one order.
 *
 * ## Example
 * ```ts
 * const query: MyTradesQuery = { symbol: 'btcidr', orderId: 'btcidr-limit-6423' };
 * ```
 */
export interface MyTradesQuery extends V2RangeQuery {
  /** The full order id (`btcidr-limit-6423`, as on the WebSocket). */
  readonly orderId?: string;
  readonly clientOrderId?: string;
}

/**
 * The query of the "api" flavor's `order`: the numeric or full order id, or a client id.
 *
 * ## Example
 * ```ts
 * const byId: ApiOrderQuery = { symbol: 'btcidr', orderId: 'btcidr-limit-6423' };
 * const byClient: ApiOrderQuery = { symbol: 'btcidr', origClientOrderId: 'my-1' };
 * ```
 */
export type ApiOrderQuery =
  | { readonly symbol: string; readonly orderId: string | number }
  | { readonly symbol: string; readonly origClientOrderId: string };

/** The v2 side of the trade API, bound to its targets. @internal */
export interface V2Methods {
  orderHistories(query: V2RangeQuery): Observable<readonly OrderHistory[]>;
  myTrades(query: MyTradesQuery): Observable<readonly MyTrade[]>;
  v2OpenOrders(symbol?: string): Observable<readonly ApiOrder[]>;
  v2Order(query: ApiOrderQuery): Observable<ApiOrder>;
}

const HISTORIES = dataList(OrderHistory, 'OrderHistories');
const TRADES = dataList(MyTrade, 'MyTrades');
const API_ORDERS = dataList(ApiOrder, 'ApiOrders');

/** Where a v2 path goes, or why it cannot go (missing credentials). @internal */
export type V2TargetFor = (path: string) => V2Target | (() => TradeApiError);

/**
 * Builds the v2 methods: histories and myTrades on `targetFor` (the chosen flavor),
 * openOrders and order on `apiTargetFor` (the "api" flavor only).
 * @internal
 */
export function v2Methods(targetFor: V2TargetFor, apiTargetFor: V2TargetFor, ctx: RequestContext): V2Methods {
  const range = <R>(
    path: string,
    query: V2RangeQuery,
    extra: Record<string, string | undefined>,
    codec: t.Type<R[], unknown, unknown>,
    defaultLimit: number,
    timeOf: (row: R) => number,
    idOf: (row: R) => string,
  ): Observable<readonly R[]> =>
    defer(() => {
      const target = targetFor(path);
      if (typeof target === 'function') return throwError(target);
      const endpoint = `v2:${path.replace('/api/v2/', '')}`;
      const end = query.endTime ?? ctx.clock.now();
      const start = query.startTime ?? end - DEFAULT_WINDOW_MS;
      const limit = query.limit ?? defaultLimit;
      const sort = query.sort ?? 'desc';
      if (!(start <= end) || !(limit >= 1)) {
        const why = `${endpoint}: bad range (startTime ${start}, endTime ${end}, limit ${limit})`;
        return throwError(() => new TradeApiError('invalid_arguments', why, false, endpoint));
      }
      const symbol = target.flavor === 'api' ? toApiSymbol(query.symbol) : pairToSymbol(query.symbol);
      const fetchPage = (w: TimeWindow) =>
        sendRequest(
          v2Call(path, { symbol, ...extra, startTime: w.start, endTime: w.end, limit, sort }, codec, target),
          ctx,
        );
      return pageThrough<R>({ windows: splitWindows(start, end), limit, sort, fetchPage, timeOf, idOf });
    });

  return {
    orderHistories: (query) =>
      range<OrderHistory>(
        '/api/v2/order/histories',
        query,
        {},
        HISTORIES,
        100,
        (r) => r.submitTime,
        (r) => r.orderId,
      ),
    myTrades: (query) =>
      range<MyTrade>(
        '/api/v2/myTrades',
        query,
        {
          orderId: query.orderId,
          clientOrderId: query.orderId === undefined ? query.clientOrderId : undefined,
        },
        TRADES,
        500,
        (r) => r.time,
        (r) => r.tradeId,
      ),
    v2OpenOrders: (symbol) =>
      defer(() => {
        const apiTarget = apiTargetFor('/api/v2/openOrders');
        if (typeof apiTarget === 'function') return throwError(apiTarget);
        const params = { symbol: symbol === undefined ? undefined : toApiSymbol(symbol) };
        return sendRequest(v2Call('/api/v2/openOrders', params, API_ORDERS, apiTarget), ctx);
      }),
    v2Order: (query) =>
      defer(() => {
        const apiTarget = apiTargetFor('/api/v2/order');
        if (typeof apiTarget === 'function') return throwError(apiTarget);
        const params =
          'orderId' in query
            ? {
                symbol: toApiSymbol(query.symbol),
                orderId: numericOrderId(String(query.orderId)) ?? String(query.orderId),
              }
            : { symbol: toApiSymbol(query.symbol), origClientOrderId: query.origClientOrderId };
        return sendRequest(v2Call('/api/v2/order', params, ApiOrder, apiTarget), ctx);
      }),
  };
}
