/**
 * Builders of raw `order_update` items exactly as the exchange pushes them (the value of
 * one element of `pub.data`), for tests, the demo and benchmarks. Every field has a sensible
 * default; `transactionTime` defaults to now (the fake exchange's clock), every other
 * default is fixed, so the same arguments with a `transactionTime` give the same item.
 *
 * @module
 */
import type { FillInformation, OrderSide, OrderUpdateItem, Participant } from '../orders/codecs';
import {
  addDecimals,
  multiplyDecimals,
  numberToDecimal,
  subtractDecimals,
  truncateDecimal,
} from '../util/decimal';
import { isExchangeOrderId } from '../orders/order-id';
import { hashString } from '../util/persistent-map';

/**
 * `orderId` itself when it has the exchange's form `<pair>-<type>-<number>`
 * (`aaveidr-limit-3397`); else a `TypeError` that says so. Reconciliation reads the pair and
 * the number out of an id, so the kit never makes an order the exchange could not have.
 */
function checkedOrderId(orderId: string): string {
  if (isExchangeOrderId(orderId)) return orderId;
  throw new TypeError(
    `builders: orderId ${JSON.stringify(orderId)} is not an exchange order id: ` +
      'expected <pair>-<type>-<number>, e.g. "aaveidr-limit-3397" (docs/orders.md, "Order ids")',
  );
}

/** The fields every builder accepts (defaults: a BTC/IDR limit BUY of 0.01 at 1 000 000 000). */
export interface OrderSpec {
  /**
   * Default `btcidr-limit-1`. Must have the exchange's form `<pair>-<type>-<number>`
   * (`aaveidr-limit-3397`): anything else is a `TypeError`.
   */
  readonly orderId?: string;
  /** Default: the part of `orderId` before the first `-`, else `btcidr`. */
  readonly symbol?: string;
  readonly side?: OrderSide;
  readonly price?: string;
  readonly origQty?: string;
  /** Default: `orderId`. */
  readonly clientOrderId?: string;
  /** Default: from the symbol, `BTC/IDR`. */
  readonly description?: string;
  /**
   * Default: now to the whole second, on the real clock the fake exchange runs on (so a
   * reconciliation of the fake looks back over seconds, not months). Pass one (e.g.
   * {@link DEFAULT_TIME}) for items that must be equal call after call.
   */
  readonly transactionTime?: number;
}

/** Extra fields of {@link fill}. */
export interface FillSpec extends OrderSpec {
  /** This trade's quantity (default: the whole `origQty`). */
  readonly qty?: string;
  /** The order's cumulative matched quantity after this trade (default: `qty`). */
  readonly filledQty?: string;
  /** Default: derived from `orderId` and `filledQty` (a string above 2^53). */
  readonly tradeId?: string;
  readonly participant?: Participant;
  readonly feeRate?: number;
  readonly taxRate?: number;
  readonly clearingRate?: number;
  /** Amounts default to `qty × price × rate`, truncated (0 places for IDR, 8 otherwise). */
  readonly fee?: string;
  readonly tax?: string;
  readonly clearing?: string;
  /** Default: the symbol's quote asset (`idr` or `usdt`). */
  readonly quoteAsset?: string;
}

/** A fixed time for deterministic items: 2026-01-01T00:00:00Z (the builders' default is now). */
export const DEFAULT_TIME = 1_767_225_600_000;
const TRADE_ID_BASE = 72_057_594_037_927_936n; // 2^56, like the exchange's ids

/**
 * The builders' default time: now, on the real clock the fake exchange runs on, to the
 * whole second (so two items built in the same test mostly agree; pass a time to be sure).
 */
function nowToTheSecond(): number {
  return Math.floor(Date.now() / 1000) * 1000;
}

type Status = OrderUpdateItem['order']['status'];
type Base = Omit<Extract<OrderUpdateItem['order'], { status: 'NEW' }>, 'status'>;

function quoteOf(symbol: string): string {
  return symbol.endsWith('usdt') ? 'usdt' : 'idr';
}

function baseOf(spec: OrderSpec, executedQty: string, unfilledQty?: string): Base {
  const orderId = checkedOrderId(spec.orderId ?? 'btcidr-limit-1');
  const symbol = spec.symbol ?? (orderId.includes('-') ? (orderId.split('-')[0] ?? 'btcidr') : 'btcidr');
  const quote = quoteOf(symbol);
  const origQty = spec.origQty ?? '0.01';
  return {
    orderId,
    symbol,
    side: spec.side ?? 'BUY',
    origQty,
    unfilledQty: unfilledQty ?? subtractDecimals(origQty, executedQty),
    executedQty,
    price: spec.price ?? '1000000000',
    description: spec.description ?? `${symbol.slice(0, -quote.length).toUpperCase()}/${quote.toUpperCase()}`,
    transactionTime: spec.transactionTime ?? nowToTheSecond(),
    clientOrderId: spec.clientOrderId ?? orderId,
  };
}

function item(order: OrderUpdateItem['order']): OrderUpdateItem {
  return { eventType: 'order_update', order };
}

function withStatus<S extends Status>(b: Base, status: S) {
  // Field order as in the doc's samples.
  return {
    orderId: b.orderId,
    symbol: b.symbol,
    side: b.side,
    origQty: b.origQty,
    unfilledQty: b.unfilledQty,
    executedQty: b.executedQty,
    price: b.price,
    description: b.description,
    status,
    transactionTime: b.transactionTime,
    clientOrderId: b.clientOrderId,
  };
}

/**
 * A NEW event: nothing executed yet.
 *
 * ## Example
 * ```ts
 * publication([newOrder({ orderId: 'btcidr-limit-7', origQty: '0.5' })]);
 * ```
 */
export function newOrder(spec: OrderSpec = {}): OrderUpdateItem {
  return item(withStatus(baseOf(spec, '0'), 'NEW'));
}

/**
 * A FILL event for one trade: `qty` is this trade's quantity, `filledQty` (and the
 * order's `executedQty`) the cumulative one; fees follow the rates unless given.
 *
 * ## Example
 * ```ts
 * fill({ orderId: 'btcidr-limit-7', origQty: '0.5', qty: '0.2', filledQty: '0.2', tradeId: '72057594037968281' });
 * ```
 */
export function fill(spec: FillSpec = {}): OrderUpdateItem {
  const origQty = spec.origQty ?? '0.01';
  const qty = spec.qty ?? spec.filledQty ?? origQty;
  const filledQty = spec.filledQty ?? qty;
  const base = baseOf({ ...spec, origQty }, filledQty);
  const quote = spec.quoteAsset ?? quoteOf(base.symbol);
  const maker = spec.participant === 'MAKER';
  const feeRate = spec.feeRate ?? (maker ? 0.001 : 0.002);
  const taxRate = spec.taxRate ?? (maker ? 0.0021 : 0.0012);
  const clearingRate = spec.clearingRate ?? (maker ? 1.11e-4 : 2.22e-4);
  const value = multiplyDecimals(qty, base.price);
  const places = quote === 'idr' ? 0 : 8;
  const amount = (rate: number) => truncateDecimal(multiplyDecimals(value, numberToDecimal(rate)), places);
  const fillInformation: FillInformation = {
    participant: spec.participant ?? 'TAKER',
    filledQty,
    qty,
    feeAsset: quote,
    feeRate,
    fee: spec.fee ?? amount(feeRate),
    taxAsset: quote,
    taxRate,
    tax: spec.tax ?? amount(taxRate),
    clearingAsset: quote,
    clearingRate,
    clearing: spec.clearing ?? amount(clearingRate),
  };
  const tradeId = spec.tradeId ?? String(TRADE_ID_BASE + BigInt(hashString(`${base.orderId}|${filledQty}`)));
  const { clientOrderId, ...head } = withStatus(base, 'FILL');
  const { orderId, ...rest } = head;
  return item({ orderId, tradeId, ...rest, fillInformation, clientOrderId });
}

/**
 * A CANCELLED event (`executedQty` what had filled before, default `'0'`).
 *
 * ## Example
 * ```ts
 * cancelled({ orderId: 'btcidr-limit-7', cancelReason: 'SELF_TRADE_PREVENTION' });
 * ```
 */
export function cancelled(
  spec: OrderSpec & { executedQty?: string; cancelReason?: string } = {},
): OrderUpdateItem {
  const base = withStatus(baseOf(spec, spec.executedQty ?? '0'), 'CANCELLED');
  return item(spec.cancelReason === undefined ? base : { ...base, cancelReason: spec.cancelReason });
}

/**
 * A DONE event: everything executed.
 *
 * ## Example
 * ```ts
 * done({ orderId: 'btcidr-limit-7', origQty: '0.5' });
 * ```
 */
export function done(spec: OrderSpec = {}): OrderUpdateItem {
  const origQty = spec.origQty ?? '0.01';
  return item(withStatus(baseOf({ ...spec, origQty }, origQty, '0'), 'DONE'));
}

/**
 * A REJECTED event (e.g. a FOK that could not fill at once).
 *
 * ## Example
 * ```ts
 * rejected({ orderId: 'btcidr-limit-8' });
 * ```
 */
export function rejected(spec: OrderSpec & { executedQty?: string } = {}): OrderUpdateItem {
  return item(withStatus(baseOf(spec, spec.executedQty ?? '0'), 'REJECTED'));
}

/** How {@link orderLifecycle} ends. */
export type LifecycleEnd = 'DONE' | 'CANCELLED' | 'REJECTED' | 'OPEN';

/** Options of {@link orderLifecycle}. */
export interface LifecycleSpec extends Omit<FillSpec, 'qty' | 'filledQty' | 'tradeId'> {
  /** The quantity of each trade, in order (default `['0.004', '0.006']`). */
  readonly fills?: readonly string[];
  /** Default: `DONE` when the fills add up to `origQty`, else `OPEN` (no final event). */
  readonly end?: LifecycleEnd;
  /** Time between events in ms (default 1000). */
  readonly stepMs?: number;
  /** Trade ids are `tradeIdBase + 1, + 2, ...` (default from `orderId`). */
  readonly tradeIdBase?: bigint;
  readonly cancelReason?: string;
}

/**
 * The events of one order filled in parts, in order: NEW, one FILL per trade (cumulative
 * `filledQty`), then DONE (with the last fill's time, as the 2026 doc shows), CANCELLED
 * or REJECTED, or nothing more when `end` is `OPEN`.
 *
 * ## Example
 * ```ts
 * const items = orderLifecycle({ orderId: 'btcidr-limit-9', origQty: '0.01', fills: ['0.004', '0.006'] });
 * // NEW, FILL 0.004 (filledQty 0.004), FILL 0.006 (filledQty 0.01), DONE
 * ```
 */
export function orderLifecycle(spec: LifecycleSpec = {}): OrderUpdateItem[] {
  const qtys = spec.fills ?? ['0.004', '0.006'];
  const total = qtys.reduce((sum, q) => addDecimals(sum, q), '0');
  const origQty = spec.origQty ?? total;
  const start = spec.transactionTime ?? nowToTheSecond();
  const step = spec.stepMs ?? 1000;
  const orderId = checkedOrderId(spec.orderId ?? 'btcidr-limit-1');
  const idBase = spec.tradeIdBase ?? TRADE_ID_BASE + BigInt(hashString(orderId)) * 1000n;
  const common = { ...spec, orderId, origQty };
  const items = [newOrder({ ...common, transactionTime: start })];
  let filled = '0';
  qtys.forEach((qty, i) => {
    filled = addDecimals(filled, qty);
    const at = start + (i + 1) * step;
    items.push(
      fill({
        ...common,
        qty,
        filledQty: filled,
        tradeId: String(idBase + BigInt(i + 1)),
        transactionTime: at,
      }),
    );
  });
  const last = start + qtys.length * step;
  const end = spec.end ?? (filled === addDecimals(origQty, '0') ? 'DONE' : 'OPEN');
  if (end === 'DONE') items.push(done({ ...common, transactionTime: last }));
  if (end === 'CANCELLED') {
    items.push(
      cancelled({
        ...common,
        executedQty: filled,
        transactionTime: last + step,
        ...(spec.cancelReason === undefined ? {} : { cancelReason: spec.cancelReason }),
      }),
    );
  }
  if (end === 'REJECTED')
    items.push(rejected({ ...common, executedQty: filled, transactionTime: last + step }));
  return items;
}

/**
 * A push's `data` array of the given items (what `publication(...)` carries).
 *
 * ## Example
 * ```ts
 * pushData(newOrder(), fill());
 * ```
 */
export function pushData(...items: readonly unknown[]): unknown[] {
  return [...items];
}
