import * as t from 'io-ts';
import { DecimalString } from '../util/decimal-string';
import { Amount, Identifier, Rate, TransactionTime } from './scalars';
import { OrderStatus } from './status';
import { taggedUnion } from './tagged-union';

export { DecimalString };
export { Amount, Identifier, Rate, TransactionTime };

/** `BUY` or `SELL`. */
export const OrderSide = t.keyof({ BUY: null, SELL: null });
/** `BUY` or `SELL`. */
export type OrderSide = t.TypeOf<typeof OrderSide>;

/** `TAKER` or `MAKER`. */
export const Participant = t.keyof({ TAKER: null, MAKER: null });
/** `TAKER` or `MAKER`. */
export type Participant = t.TypeOf<typeof Participant>;

/**
 * The `fillInformation` of a FILL. `filledQty` is the order's CUMULATIVE matched quantity
 * (2026 doc); `qty` is this one trade's. Fee, tax and clearing are exact decimal strings in
 * the quote asset (`idr`, `usdt`); tax and clearing may be `"0"` on small MAKER fills.
 *
 * ## Example
 * ```ts
 * const qty = (f: FillInformation) => f.qty; // count fills by qty, never by filledQty
 * ```
 */
export const FillInformation = t.readonly(
  t.type({
    participant: Participant,
    filledQty: Amount,
    qty: Amount,
    feeAsset: Identifier,
    feeRate: Rate,
    fee: Amount,
    taxAsset: Identifier,
    taxRate: Rate,
    tax: Amount,
    clearingAsset: Identifier,
    clearingRate: Rate,
    clearing: Amount,
  }),
  'FillInformation',
);
/** The `fillInformation` of a FILL. */
export type FillInformation = t.TypeOf<typeof FillInformation>;

const base = {
  orderId: Identifier,
  symbol: Identifier,
  side: OrderSide,
  origQty: Amount,
  unfilledQty: Amount,
  executedQty: Amount,
  price: Amount,
  transactionTime: TransactionTime,
};
// The doc shows both on every event; a REST-synthesized order may lack them, and nothing else depends on them.
const optionalBase = { description: Identifier, clientOrderId: Identifier };

function orderOf<S extends OrderStatus, R extends t.Props, O extends t.Props>(
  status: S,
  required: R,
  optional: O,
) {
  return t.readonly(
    t.intersection([
      t.type({ ...base, status: t.literal(status), ...required }),
      t.partial({ ...optionalBase, ...optional }),
    ]),
    `${status}Order`,
  );
}

/** The `order` of a NEW event. */
export const NewOrder = orderOf('NEW', {}, {});
/** The `order` of a NEW event. */
export type NewOrder = t.TypeOf<typeof NewOrder>;
/** The `order` of a FILL event: `tradeId` (a string: it exceeds 2^53) and `fillInformation`. */
export const FillOrder = orderOf('FILL', { tradeId: Identifier, fillInformation: FillInformation }, {});
/** The `order` of a FILL event. */
export type FillOrder = t.TypeOf<typeof FillOrder>;
/** The `order` of a CANCELLED event, with `cancelReason` when the server gives one. */
export const CancelledOrder = orderOf('CANCELLED', {}, { cancelReason: Identifier });
/** The `order` of a CANCELLED event. */
export type CancelledOrder = t.TypeOf<typeof CancelledOrder>;
/** The `order` of a DONE event (its time may be the last fill's). */
export const DoneOrder = orderOf('DONE', {}, {});
/** The `order` of a DONE event. */
export type DoneOrder = t.TypeOf<typeof DoneOrder>;
/** The `order` of a REJECTED event (e.g. a FOK that could not fill). */
export const RejectedOrder = orderOf('REJECTED', {}, {});
/** The `order` of a REJECTED event. */
export type RejectedOrder = t.TypeOf<typeof RejectedOrder>;

/**
 * The `order` object of an `order_update`, discriminated by `status`. An unknown status
 * fails at `order/status`; a known one is checked against that status's fields only, so
 * messages stay short (`Missing value at order/tradeId`).
 *
 * ## Example
 * ```ts
 * Order.decode(item.order);
 * ```
 */
export const Order = taggedUnion('Order', 'status', OrderStatus, {
  NEW: NewOrder,
  FILL: FillOrder,
  CANCELLED: CancelledOrder,
  DONE: DoneOrder,
  REJECTED: RejectedOrder,
});
/** The `order` object of an `order_update`. */
export type Order = t.TypeOf<typeof Order>;

/**
 * One raw item of `pub.data` with `eventType: "order_update"`, as it is on the wire.
 *
 * ## Example
 * ```ts
 * OrderUpdateItem.decode({ eventType: 'order_update', order: { ... } });
 * ```
 */
export const OrderUpdateItem = t.type(
  { eventType: t.literal('order_update'), order: Order },
  'OrderUpdateItem',
);
/** One raw `order_update` item of `pub.data`. */
export type OrderUpdateItem = t.TypeOf<typeof OrderUpdateItem>;

/** Where an update came from: a push (`ws`) or REST reconciliation (`rest`). */
export const UpdateSource = t.keyof({ ws: null, rest: null });
/** Where an update came from. */
export type UpdateSource = t.TypeOf<typeof UpdateSource>;

const meta = t.partial({
  /** `false` on a REST-only FILL: fee = commission, no tax/clearing breakdown. */
  breakdown: t.literal(false),
  /** `true` when the quantities are estimates (legacy REST open BUY, quoted in IDR). */
  approximate: t.literal(true),
  /** Local receive time (ms), when `orderUpdates({ now })` stamps it. */
  receivedAt: t.number,
});

function updateOf<S extends OrderStatus, C extends t.Mixed>(status: S, order: C) {
  return t.readonly(
    t.intersection([t.type({ status: t.literal(status), order, source: UpdateSource }), meta]),
    `${status}Update`,
  );
}

/**
 * A decoded order update: `status` (copied from `order.status`, so `switch (u.status)`
 * narrows `u.order`), the `order` as the server sent it, and where it came from.
 * Optional flags for REST reconciliation: `breakdown: false` (a FILL known only from REST:
 * `fee` holds the commission, tax and clearing are `"0"`) and `approximate: true`
 * (estimated quantities). The same codec decodes updates from recordings.
 *
 * ## Example
 * ```ts
 * const describe = (u: OrderUpdate) =>
 *   u.status === 'FILL' ? `${u.order.orderId} +${u.order.fillInformation.qty}` : `${u.order.orderId} ${u.status}`;
 * ```
 */
export const OrderUpdate = taggedUnion('OrderUpdate', 'status', OrderStatus, {
  NEW: updateOf('NEW', NewOrder),
  FILL: updateOf('FILL', FillOrder),
  CANCELLED: updateOf('CANCELLED', CancelledOrder),
  DONE: updateOf('DONE', DoneOrder),
  REJECTED: updateOf('REJECTED', RejectedOrder),
});
/** A decoded order update, discriminated by `status`. */
export type OrderUpdate = t.TypeOf<typeof OrderUpdate>;

/** The update of one status: `UpdateOf<'FILL'>` has `order.fillInformation`. */
export type UpdateOf<S extends OrderStatus> = Extract<OrderUpdate, { readonly status: S }>;

/**
 * What `orderUpdates` reports for an item it could not decode: the raw value, its JSON
 * text, and a readable reason with the path (`Missing value at order/orderId`).
 *
 * ## Example
 * ```ts
 * const log = (p: InvalidMessage) => console.warn(p.reason, p.rawText);
 * ```
 */
export interface InvalidMessage {
  /** The item (or the whole `data` when it was not an array), untouched. */
  readonly raw: unknown;
  /** What was wrong, with paths. */
  readonly reason: string;
  /** `raw` as JSON text (absent when it cannot be stringified). */
  readonly rawText?: string;
  /** The item's index in `pub.data`, when it was one item. */
  readonly index?: number;
}
