export {
  CancelledOrder,
  DecimalString,
  DoneOrder,
  FillInformation,
  FillOrder,
  NewOrder,
  Order,
  OrderSide,
  OrderUpdate,
  OrderUpdateItem,
  Participant,
  Rate,
  RejectedOrder,
  TransactionTime,
  UpdateSource,
  type InvalidMessage,
  type UpdateOf,
} from './codecs';
export { decodeOrderItem, type DecodedItem, type DecodeMeta, type PrivateEvent } from './decode';
export { ofStatus } from './of-status';
export { isExchangeOrderId, readOrderId, type OrderIdParts } from './order-id';
export { orderStateJson, trackedOrderJson, type OrderStateJson, type TrackedOrderJson } from './json';
export { orderState, type OrderStateOptions } from './order-state';
export { orderUpdates, type OrderUpdatesOptions } from './order-updates';
export { privateEvents } from './private-events';
export { fillsOf, openOrders, ordersBySymbol } from './selectors';
export { splitByStatus, type UpdatesByStatus } from './split-by-status';
export {
  createOrderState,
  initialOrderState,
  reduceOrderState,
  reduceOrderStateBatch,
  type OrderStateSnapshot,
  type RetentionOptions,
} from './state';
export { isTerminalStatus, ORDER_STATUSES, OrderStatus, STATUS_RANK, type TerminalStatus } from './status';
export {
  type AssetTotals,
  type FeeTotals,
  type OrderFields,
  type TrackedFill,
  type TrackedOrder,
} from './tracked';
export {
  orderUpdateOf,
  restOnlyFill,
  type CommissionFill,
  type FillOrderFields,
  type SynthesizeFlags,
} from './synthesize';
