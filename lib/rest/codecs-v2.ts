import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { IdString, Millis } from './codecs-common';
import { LenientDecimalString as DecimalString } from '../util/decimal-string';

/** `{"code":1002,"error":"..."}`: a "tapi" flavor refusal. */
export const V2TapiFailure = t.type({ code: t.number, error: t.string }, 'V2TapiFailure');
/** A "tapi" flavor refusal. */
export type V2TapiFailure = t.TypeOf<typeof V2TapiFailure>;

/** `{"code":-1021,"msg":"..."}`: an "api" flavor refusal. */
export const V2ApiFailure = t.type({ code: t.number, msg: t.string }, 'V2ApiFailure');
/** An "api" flavor refusal. */
export type V2ApiFailure = t.TypeOf<typeof V2ApiFailure>;

/** Copies `oriQty` (the histories' spelling) to `origQty` before decoding. */
function acceptingOriQty<C extends t.Mixed>(codec: C, name: string): t.Type<t.TypeOf<C>, unknown, unknown> {
  return new t.Type<t.TypeOf<C>, unknown, unknown>(
    name,
    (u): u is t.TypeOf<C> => codec.is(u),
    (u, c) => {
      const input =
        typeof u === 'object' && u !== null && !('origQty' in u) && 'oriQty' in u
          ? { ...u, origQty: u.oriQty }
          : u;
      // An unnamed step keeps error paths as they would be for `codec` itself (`origQty`, not `0/origQty`).
      return codec.validate(input, t.appendContext(c, '', codec, input));
    },
    (a) => a,
  );
}

const ClientOrderId = t.union([t.string, t.null]);

/**
 * A row of `GET /api/v2/order/histories` (closed orders only). `orderId` is the full id
 * (`aaveidr-limit-3568`, as on the WebSocket); the wire's `oriQty` (sic) is decoded as
 * `origQty` (either spelling is accepted); `cancelReason` comes with self-trade prevention.
 *
 * ## Example
 * ```ts
 * OrderHistory.decode({ orderId: 'btcidr-limit-1', symbol: 'btcidr', side: 'BUY', type: 'LIMIT',
 *   status: 'FILLED', price: '100', oriQty: '1', executedQty: '1', submitTime: 1, finishTime: 2 });
 * ```
 */
export const OrderHistory = acceptingOriQty(
  t.intersection([
    t.type({
      orderId: IdString,
      symbol: t.string,
      side: t.string,
      type: t.string,
      status: t.keyof({ FILLED: null, CANCELLED: null, REJECTED: null }),
      price: DecimalString,
      origQty: DecimalString,
      executedQty: DecimalString,
      submitTime: Millis,
    }),
    t.partial({
      clientOrderId: ClientOrderId,
      finishTime: t.union([Millis, t.null]),
      cancelReason: t.string,
    }),
  ]),
  'OrderHistory',
);
/** A row of v2 `order/histories`. */
export type OrderHistory = t.TypeOf<typeof OrderHistory>;

/**
 * A row of `GET /api/v2/myTrades`: one fill. `tradeId` keeps every digit (it exceeds 2^53);
 * `commission` is fee + tax in `commissionAsset`, with no separate breakdown.
 *
 * ## Example
 * ```ts
 * MyTrade.decode({ tradeId: '72057594037936570', orderId: 'btcidr-limit-1', symbol: 'btcidr',
 *   price: '100', qty: '1', quoteQty: '100', commission: '0.3', commissionAsset: 'idr',
 *   isBuyer: true, isMaker: false, time: 1 });
 * ```
 */
export const MyTrade = t.intersection(
  [
    t.type({
      tradeId: IdString,
      orderId: IdString,
      symbol: t.string,
      price: DecimalString,
      qty: DecimalString,
      quoteQty: DecimalString,
      commission: DecimalString,
      commissionAsset: t.string,
      isBuyer: t.boolean,
      isMaker: t.boolean,
      time: Millis,
    }),
    t.partial({ clientOrderId: ClientOrderId }),
  ],
  'MyTrade',
);
/** A row of v2 `myTrades`. */
export type MyTrade = t.TypeOf<typeof MyTrade>;

/**
 * An open order of the "api" flavor (`GET /api/v2/openOrders`, `GET /api/v2/order`):
 * `orderId` is the numeric id as a string, `fullOrderId` the WebSocket id, `symbol` upper case.
 *
 * ## Example
 * ```ts
 * ApiOrder.decode({ symbol: 'BTCIDR', orderId: 6423, side: 'BUY', price: '100', origQty: '1',
 *   executedQty: '0', status: 'NEW', type: 'LIMIT', time: 1, fullOrderId: 'btcidr-limit-6423' });
 * ```
 */
export const ApiOrder = acceptingOriQty(
  t.intersection([
    t.type({
      symbol: t.string,
      orderId: IdString,
      side: t.string,
      price: DecimalString,
      origQty: DecimalString,
      executedQty: DecimalString,
      status: t.keyof({ NEW: null, PARTIALLY_FILLED: null, FILLED: null, CANCELLED: null, REJECTED: null }),
      type: t.string,
      time: Millis,
    }),
    t.partial({ clientOrderId: ClientOrderId, stopPrice: DecimalString, fullOrderId: t.string }),
  ]),
  'ApiOrder',
);
/** An order of the "api" flavor. */
export type ApiOrder = t.TypeOf<typeof ApiOrder>;

/**
 * A list that arrives either as `{"data":[...]}` (the "tapi" flavor) or as a plain array
 * (the "api" flavor's openOrders); `data: null` is an empty list.
 * @internal
 */
export function dataList<C extends t.Mixed>(item: C, name: string): t.Type<t.TypeOf<C>[], unknown, unknown> {
  const list = t.array(item);
  const envelope = t.type({ data: list });
  return new t.Type<t.TypeOf<C>[], unknown, unknown>(
    name,
    (u): u is t.TypeOf<C>[] => list.is(u),
    (u, c) => {
      if (Array.isArray(u)) return list.validate(u, c);
      if (typeof u === 'object' && u !== null && (u as { data?: unknown }).data === null)
        return t.success([]);
      return E.map((w: { data: t.TypeOf<C>[] }) => w.data)(envelope.validate(u, c));
    },
    (a) => a,
  );
}
