// indodax-pws: the public API. Only what DESIGN.md names, grouped by layer.

// environments and signing
export { environments, type Environment } from './environments';
export { signRequestBody } from './auth/sign';
export type { Credentials } from './auth/credentials';
export type { FetchLike, FetchInitLike, FetchResponseLike } from './util/fetch';
export { InsecureTransportError } from './util/transport-security';

// token
export {
  requestToken,
  TokenRequestError,
  type RequestTokenOptions,
  type TokenRequestErrorCode,
  type TokenRequestErrorDetails,
} from './token';
export type { PrivateToken } from './token';

// connection
export {
  privateChannel,
  type PrivateChannelOptions,
  type ReconnectOptions,
} from './connection/private-channel';
export type { InvalidFrameLine } from './protocol/frames';
export type { SocketHandlers, TransportSocket, WebSocketFactory } from './transport/socket';
export { createWsFactory, type WsFactoryOptions } from './transport/ws-factory';
export {
  ChannelError,
  type ChannelErrorKind,
  type ChannelMessage,
  type ConnectionStatus,
  type PublicationMessage,
  type StatusMessage,
} from './connection/types';

// orders: decoding, per-status streams, the store
export {
  orderUpdates,
  splitByStatus,
  ofStatus,
  privateEvents,
  orderState,
  reduceOrderState,
  initialOrderState,
  createOrderState,
  openOrders,
  ordersBySymbol,
  fillsOf,
  isTerminalStatus,
  ORDER_STATUSES,
  OrderUpdate,
  OrderStatus,
  addDecimals,
  subtractDecimals,
  compareDecimals,
  normalizeDecimal,
  DecimalError,
  type InvalidMessage,
  type OrderStateOptions,
  type OrderStateSnapshot,
  type OrderUpdatesOptions,
  type PrivateEvent,
  type RetentionOptions,
  type TerminalStatus,
  type TrackedFill,
  type TrackedOrder,
  type FeeTotals,
  type AssetTotals,
  type UpdateOf,
  type UpdatesByStatus,
} from './orders';

// the client
export {
  createPrivateClient,
  pipelineFromChannel,
  type ClientHealth,
  type PipelineOptions,
  type PrivateClient,
  type PrivateClientOptions,
  type ReconcileOptions,
} from './client';
export type { ReconciliationEvent } from './reconcile/reconciler';

// REST trade APIs
export {
  createTradeApi,
  TradeApiError,
  type TradeApi,
  type TradeApiOptions,
  type TradeApiRateLimits,
  type TradeApiErrorCode,
  type TradeApiErrorDetails,
  type LegacyOpenOrderEntry,
  type RestFetchLike,
  type RestResponseLike,
  type RetryOptions,
  type RateLimit,
  type V2Flavor,
  type V2RangeQuery,
  type MyTradesQuery,
  type ApiOrderQuery,
  numericOrderId,
  fullOrderId,
  symbolToPair,
  pairToSymbol,
  toApiSymbol,
  fromApiSymbol,
  KNOWN_QUOTE_ASSETS,
} from './rest';
