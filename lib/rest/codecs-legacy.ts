import * as t from 'io-ts';
import { withCoinAmounts } from './codecs-coin-amounts';
import { IdString, exchangeRecord } from './codecs-common';
import { LenientDecimalString as DecimalString } from '../util/decimal-string';

/** `{"success":0,"error":"...","error_code":"..."}`: a legacy TAPI refusal (HTTP 200 or 429). */
export const LegacyFailure = t.intersection(
  [
    t.type({ success: t.union([t.literal(0), t.literal('0')]), error: t.string }),
    t.partial({ error_code: t.string, message: t.string }),
  ],
  'LegacyFailure',
);
/** A legacy TAPI refusal. */
export type LegacyFailure = t.TypeOf<typeof LegacyFailure>;

/** `{"success":1,"return":...}`: the payload is decoded by the method's own codec. @internal */
export const LegacySuccess = t.type(
  { success: t.union([t.literal(1), t.literal('1')]), return: t.unknown },
  'LegacySuccess',
);

const ClientOrderId = t.union([t.string, t.null]);

/** `null`, or what `codec` decodes (its errors only). */
function orNull<C extends t.Mixed>(codec: C): t.Type<null | t.TypeOf<C>, unknown, unknown> {
  return new t.Type<null | t.TypeOf<C>, unknown, unknown>(
    `${codec.name} | null`,
    (u): u is null | t.TypeOf<C> => u === null || codec.is(u),
    (u, c) => (u === null ? t.success(null) : codec.validate(u, c)),
    (a) => a,
  );
}

/**
 * `null`, an array (decoded by `list`) or an object (decoded by `record`), chosen by the
 * value's shape so that an error names one path, not every union member.
 */
function byShape<L extends t.Mixed, R extends t.Mixed>(
  list: L,
  record: R,
  name: string,
): t.Type<null | t.TypeOf<L> | t.TypeOf<R>, unknown, unknown> {
  type A = null | t.TypeOf<L> | t.TypeOf<R>;
  return new t.Type<A, unknown, unknown>(
    name,
    (u): u is A => u === null || list.is(u) || record.is(u),
    (u, c) =>
      u === null
        ? t.success(null)
        : Array.isArray(u)
          ? list.validate(u, c)
          : typeof u === 'object'
            ? record.validate(u, c)
            : t.failure(u, c),
    (a) => a,
  );
}
const Side = t.keyof({ buy: null, sell: null });

/**
 * One entry of legacy `openOrders`: `order_id`, `client_order_id`, `submit_time` (seconds),
 * `price`, `type`, `order_type`, and its coin-dependent amounts collected under
 * `amounts.order` / `amounts.remain` (a sell: `order_btc`/`remain_btc`; a buy, in IDR with a
 * fee reserve: `order_idr`/`remain_idr`). It has no status.
 *
 * ## Example
 * ```ts
 * LegacyOpenOrder.decode({ order_id: '1', submit_time: '1578304294', price: '100', type: 'sell',
 *   order_btc: '0.1', remain_btc: '0.1' });
 * ```
 */
export const LegacyOpenOrder = withCoinAmounts(
  t.intersection([
    t.type({ order_id: IdString, submit_time: DecimalString, price: DecimalString, type: Side }),
    t.partial({ client_order_id: ClientOrderId, order_type: t.string }),
  ]),
  ['order', 'remain'],
  'LegacyOpenOrder',
);
/** One entry of legacy `openOrders`. */
export type LegacyOpenOrder = t.TypeOf<typeof LegacyOpenOrder>;

/**
 * The `return` of legacy `openOrders`: an array (with `pair`), an object keyed by pair
 * (without `pair`; its entries lack a pair field), or `null` when nothing is open.
 */
export const LegacyOpenOrdersReturn = t.type(
  {
    orders: byShape(
      t.array(LegacyOpenOrder),
      exchangeRecord(orNull(t.array(LegacyOpenOrder)), 'LegacyOpenOrdersByPair'),
      'LegacyOpenOrders',
    ),
  },
  'LegacyOpenOrdersReturn',
);
/** The `return` of legacy `openOrders`. */
export type LegacyOpenOrdersReturn = t.TypeOf<typeof LegacyOpenOrdersReturn>;

/**
 * The order of legacy `getOrder` / `getOrderByClientOrderId`: `status` is `open`, `filled`
 * or `cancelled` (others kept verbatim), times in seconds as strings, and the coin-dependent
 * `order_*`, `remain_*`, `receive_*`, `sold_*`, `refund_*` under `amounts`.
 *
 * ## Example
 * ```ts
 * LegacyOrder.decode({ order_id: 9, price: '100', type: 'buy', status: 'open', submit_time: '1',
 *   order_rp: 10534, remain_rp: 10534, fee: 0 });
 * ```
 */
export const LegacyOrder = withCoinAmounts(
  t.intersection([
    t.type({ order_id: IdString, price: DecimalString, type: Side, status: t.string }),
    t.partial({
      client_order_id: ClientOrderId,
      submit_time: DecimalString,
      finish_time: DecimalString,
      fee: DecimalString,
      order_type: t.string,
    }),
  ]),
  ['order', 'remain', 'receive', 'sold', 'refund'],
  'LegacyOrder',
);
/** The order of legacy `getOrder`. */
export type LegacyOrder = t.TypeOf<typeof LegacyOrder>;

/** The `return` of `getOrder` / `getOrderByClientOrderId`. @internal */
export const LegacyOrderReturn = t.type({ order: LegacyOrder }, 'LegacyOrderReturn');

/**
 * The `return` of legacy `getInfo`: balances by coin as exact strings (other fields kept).
 *
 * ## Example
 * ```ts
 * LegacyInfo.decode({ balance: { idr: 1000, btc: '0.1' } }); // idr → '1000'
 * ```
 */
export const LegacyInfo = t.intersection(
  [
    t.type({ balance: exchangeRecord(DecimalString, 'Balances') }),
    t.partial({
      balance_hold: exchangeRecord(DecimalString, 'Balances'),
      server_time: t.number,
      user_id: IdString,
      name: t.string,
    }),
  ],
  'LegacyInfo',
);
/** The `return` of legacy `getInfo`. */
export type LegacyInfo = t.TypeOf<typeof LegacyInfo>;
