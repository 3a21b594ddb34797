// lib/rest: the exchange's REST trade APIs (legacy TAPI and Trade API v2).
export { createTradeApi, type LegacyOpenOrderEntry, type TradeApi } from './trade-api';
export { API_V2_BASE_URL, type TradeApiOptions, type TradeApiRateLimits } from './options';
export { TradeApiError, type TradeApiErrorCode, type TradeApiErrorDetails } from './error';
export type { RestFetchLike, RestResponseLike, RetryOptions } from './request';
export type { RateLimit } from './limiter';
export type { V2Flavor } from './v2-call';
export type { ApiOrderQuery, MyTradesQuery, V2RangeQuery } from './v2-methods';
export {
  KNOWN_QUOTE_ASSETS,
  fromApiSymbol,
  fullOrderId,
  numericOrderId,
  pairToSymbol,
  symbolToPair,
  toApiSymbol,
} from './ids';
export { LegacyInfo, LegacyOpenOrder, LegacyOrder, LegacyFailure } from './codecs-legacy';
export { ApiOrder, MyTrade, OrderHistory, V2ApiFailure, V2TapiFailure } from './codecs-v2';
export { IdString, Millis } from './codecs-common';
export type { CoinAmounts } from './codecs-coin-amounts';
