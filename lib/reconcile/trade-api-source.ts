import { map, type Observable } from 'rxjs';
import type { TradeApi, LegacyOpenOrderEntry } from '../rest/trade-api';
import type { ApiOrder, OrderHistory, MyTrade } from '../rest/codecs-v2';
import { fromApiSymbol, fullOrderId, pairToSymbol } from '../rest/ids';
import type { RestFillFact, RestOrderFact } from './facts';
import type { ReconcileSource } from './source';

/** Options of {@link tradeApiSource}. */
export interface TradeApiSourceOptions {
  /**
   * Take open orders from the "api" flavor's `openOrders` (exact quantities; needs a
   * dedicated TAPIv2 key) instead of the legacy one (default `false`).
   */
  readonly exactOpenOrders?: boolean;
  /** The fee reserve the legacy TAPI adds to a BUY's IDR amounts (default 0.0022). */
  readonly buyFeeReserve?: number;
}

/** Exact `a − b` on non-negative decimal strings (b ≤ a). @internal */
export function subtractDecimal(a: string, b: string): string {
  const places = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const scaled = (s: string): bigint => {
    const [whole = '0', fraction = ''] = s.split('.');
    return BigInt(whole + fraction.padEnd(places, '0'));
  };
  const diff = scaled(a) - scaled(b);
  const sign = diff < 0n ? '-' : '';
  const digits = (diff < 0n ? -diff : diff).toString().padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return sign + text;
}

/** A legacy open order → a fact. A BUY's quantities are IDR amounts: only estimated. @internal */
export function legacyOpenFact(entry: LegacyOpenOrderEntry, reserve = 0.0022): RestOrderFact {
  const symbol = pairToSymbol(entry.pair);
  const [base = '', quote = 'idr'] = entry.pair.toLowerCase().split('_');
  const side = entry.type === 'buy' ? 'BUY' : 'SELL';
  const ordered = entry.amounts.order[base];
  const remain = entry.amounts.remain[base];
  const common = {
    orderId: fullOrderId(symbol, entry.order_id, entry.order_type ?? 'limit'),
    symbol,
    side,
    price: entry.price,
    state: 'OPEN',
    submitTime: Math.round(Number(entry.submit_time) * 1000),
    ...(entry.client_order_id ? { clientOrderId: entry.client_order_id } : {}),
  } as const;
  if (ordered !== undefined && remain !== undefined) {
    return { ...common, origQty: ordered, executedQty: subtractDecimal(ordered, remain), approximate: false };
  }
  // A BUY quoted in the quote asset, fee reserve included: estimate the coin quantity.
  const quoted = entry.amounts.order[quote] ?? entry.amounts.order['rp'];
  const left = entry.amounts.remain[quote] ?? entry.amounts.remain['rp'];
  const price = Number(entry.price);
  const coins = (amount: string | undefined): string | undefined =>
    amount !== undefined && price > 0 ? (Number(amount) / price / (1 + reserve)).toFixed(8) : undefined;
  const estimate = coins(quoted);
  const executed =
    quoted !== undefined && left !== undefined ? coins(subtractDecimal(quoted, left)) : undefined;
  return {
    ...common,
    ...(estimate === undefined ? {} : { origQty: estimate }),
    ...(executed === undefined ? {} : { estimatedExecutedQty: executed }),
    approximate: true,
  };
}

/** An "api" flavor open order → an exact fact. @internal */
export function apiOpenFact(order: ApiOrder): RestOrderFact {
  const symbol = fromApiSymbol(order.symbol);
  return {
    orderId: order.fullOrderId ?? fullOrderId(symbol, order.orderId, order.type),
    symbol,
    side: order.side.toUpperCase() === 'BUY' ? 'BUY' : 'SELL',
    price: order.price,
    state: 'OPEN',
    origQty: order.origQty,
    executedQty: order.executedQty,
    approximate: false,
    submitTime: order.time,
    ...(order.clientOrderId ? { clientOrderId: order.clientOrderId } : {}),
  };
}

/** A v2 histories row → a fact. @internal */
export function historyFact(row: OrderHistory): RestOrderFact {
  return {
    orderId: row.orderId,
    symbol: row.symbol.toLowerCase(),
    side: row.side.toUpperCase() === 'BUY' ? 'BUY' : 'SELL',
    price: row.price,
    state: row.status,
    origQty: row.origQty,
    executedQty: row.executedQty,
    approximate: false,
    submitTime: row.submitTime,
    ...(row.finishTime == null ? {} : { finishTime: row.finishTime }),
    ...(row.clientOrderId ? { clientOrderId: row.clientOrderId } : {}),
    ...(row.cancelReason ? { cancelReason: row.cancelReason } : {}),
  };
}

/** A v2 myTrades row → a fact. @internal */
export function tradeFact(row: MyTrade): RestFillFact {
  return {
    tradeId: row.tradeId,
    orderId: row.orderId,
    symbol: row.symbol.toLowerCase(),
    qty: row.qty,
    price: row.price,
    commission: row.commission,
    commissionAsset: row.commissionAsset,
    isMaker: row.isMaker,
    time: row.time,
  };
}

/**
 * Answers reconciliation's questions with {@link createTradeApi}: open orders from the
 * legacy TAPI (or the "api" flavor's own `openOrders`, exact, with `exactOpenOrders`),
 * closed orders from v2 `order/histories`, fills from v2 `myTrades` (per symbol and
 * window, 1,000 rows a page).
 *
 * ## Example
 * ```ts
 * const source = tradeApiSource(createTradeApi(credentials));
 * ```
 */
export function tradeApiSource(api: TradeApi, options: TradeApiSourceOptions = {}): ReconcileSource {
  return {
    openOrders: (): Observable<readonly RestOrderFact[]> =>
      options.exactOpenOrders
        ? api.v2OpenOrders().pipe(map((orders) => orders.map(apiOpenFact)))
        : api.openOrders().pipe(map((orders) => orders.map((o) => legacyOpenFact(o, options.buyFeeReserve)))),
    closedOrders: (symbol, startTime, endTime) =>
      api
        .orderHistories({ symbol, startTime, endTime, limit: 1000 })
        .pipe(map((rows) => rows.map(historyFact))),
    trades: (symbol, startTime, orderId) =>
      api
        .myTrades({ symbol, startTime, limit: 1000, ...(orderId === undefined ? {} : { orderId }) })
        .pipe(map((rows) => rows.map(tradeFact))),
  };
}
