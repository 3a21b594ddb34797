// indodax-pws: the public API. DESIGN.md's table, the types its shapes use, and what the docs
// teach; at most 50 names (spec/public-surface.spec.ts). Exact decimal arithmetic lives in the
// `indodax-pws/decimal` subpath; everything else is internal.

// environments, signing, credentials
export { environments, type Environment } from './environments';
export { signRequestBody } from './auth/sign';
export type { Credentials } from './auth/credentials';
export { InsecureTransportError } from './util/transport-security';

// token
export { requestToken, TokenRequestError, type RequestTokenOptions, type PrivateToken } from './token';

// connection
export {
  privateChannel,
  type PrivateChannelOptions,
  type ReconnectOptions,
} from './connection/private-channel';
export { ChannelError, type ChannelMessage, type ConnectionStatus } from './connection/types';

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
  OrderUpdate,
  OrderStatus,
  type InvalidMessage,
  type OrderStateOptions,
  type OrderStateSnapshot,
  type OrderUpdatesOptions,
  type PrivateEvent,
  type TrackedFill,
  type TrackedOrder,
  type FeeTotals,
  type UpdateOf,
  type UpdatesByStatus,
} from './orders';

// the client
export {
  createPrivateClient,
  type ClientHealth,
  type PrivateClient,
  type PrivateClientOptions,
  type ReconcileOptions,
} from './client';
export type { ReconciliationEvent } from './reconcile/reconciler';

// REST trade APIs
export { createTradeApi, TradeApiError, type TradeApi, type TradeApiOptions } from './rest';
