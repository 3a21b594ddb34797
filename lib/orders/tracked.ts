import type { FillInformation, OrderSide, OrderUpdate, UpdateSource } from './codecs';
import { addDecimals, compareDecimals, normalizeDecimal, subtractDecimals } from '../util/decimal';
import { hashString, PersistentMap } from '../util/persistent-map';
import { STATUS_RANK, type OrderStatus } from './status';

/**
 * One distinct fill of an order (keyed by `tradeId`): its `fillInformation` (where
 * `filledQty` is the order's cumulative quantity after it and `qty` this trade's), its
 * time, and whether fee/tax/clearing are broken down (`false` for a fill known only from
 * REST, where `fee` holds the whole commission).
 *
 * ## Example
 * ```ts
 * const text = (f: TrackedFill) => `${f.tradeId}: ${f.qty} (fee ${f.fee} ${f.feeAsset})`;
 * ```
 */
export interface TrackedFill extends FillInformation {
  readonly tradeId: string;
  readonly transactionTime: number;
  readonly hasBreakdown: boolean;
  readonly source: UpdateSource;
}

/**
 * Exact sums per asset (lower case), listing only non-zero sums: `{ idr: '62' }`. An
 * object that inherits nothing (its prototype is an empty frozen object with a null
 * prototype): an asset named `constructor`, `toString` or `__proto__` is an ordinary own
 * key (read it with `totals.fee[asset]`, list it with `Object.entries`).
 */
export type AssetTotals = Readonly<Record<string, string>>;

/** The fee, tax and clearing totals of an order's distinct fills. */
export interface FeeTotals {
  readonly fee: AssetTotals;
  readonly tax: AssetTotals;
  readonly clearing: AssetTotals;
}

/**
 * What the store knows about one order: the fields of the update that won the merge
 * (status, quantities, price...), every distinct fill, exact fee/tax/clearing totals, and
 * the earliest and latest exchange time (`transactionTime`) of any update folded for it.
 *
 * ## Example
 * ```ts
 * const left = (o: TrackedOrder) => `${o.orderId} ${o.status} ${o.executedQty}/${o.origQty}`;
 * ```
 */
export interface TrackedOrder {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly price: string;
  readonly origQty: string;
  readonly executedQty: string;
  readonly unfilledQty: string;
  readonly status: OrderStatus;
  readonly description?: string;
  readonly clientOrderId?: string;
  readonly cancelReason?: string;
  /** `transactionTime` of the winning update. */
  readonly transactionTime: number;
  /** `source` of the winning update. */
  readonly source: UpdateSource;
  /** Whether the quantities are estimates (legacy REST open BUY); cleared by any exact update. */
  readonly approximate: boolean;
  /** Distinct fills by `tradeId`. */
  readonly fills: ReadonlyMap<string, TrackedFill>;
  /** Sum of `qty` over the distinct fills (exact). */
  readonly fillsQty: string;
  readonly totals: FeeTotals;
  /** Smallest `transactionTime` seen for this order (ms). */
  readonly firstSeen: number;
  /** Largest `transactionTime` seen for this order (ms). */
  readonly lastSeen: number;
}

/**
 * The constructor of every totals record. Its prototype is an empty, frozen object with a
 * null prototype, so a record inherits nothing (`constructor`, `toString` and `__proto__`
 * are ordinary own keys when an asset is so named), yet it is an ordinary fast object:
 * `Object.create(null)` makes a dictionary-mode object, five times as costly to build.
 */
function Assets(this: Record<string, string>): void {
  // Keys are added by the caller.
}
Assets.prototype = Object.freeze(Object.create(null) as object);
const newAssets = (): Record<string, string> => new (Assets as unknown as new () => Record<string, string>)();

const NO_ASSETS: AssetTotals = Object.freeze(newAssets());
const NO_TOTALS: FeeTotals = Object.freeze({ fee: NO_ASSETS, tax: NO_ASSETS, clearing: NO_ASSETS });

const ZERO = /^-?0(\.0*)?$/;

/** Whether a decimal string is zero (`"0"`, `"0.000"`, `"-0"`); a leading 1–9 never is. */
function isZero(amount: string): boolean {
  const c = amount.charCodeAt(0);
  return (c === 48 || c === 45) && (amount === '0' || ZERO.test(amount));
}

function addTo(record: AssetTotals, asset: string, amount: string, sign: 1 | -1): AssetTotals {
  if (isZero(amount)) return record;
  const key = asset.toLowerCase();
  // The record inherits nothing, so a plain read sees own keys only.
  const known = record[key];
  const sum =
    known === undefined
      ? sign === 1
        ? normalizeDecimal(amount)
        : subtractDecimals('0', amount)
      : (sign === 1 ? addDecimals : subtractDecimals)(known, amount);
  const next = newAssets();
  if (record !== NO_ASSETS) for (const k in record) if (k !== key) next[k] = record[k] as string;
  if (sum !== '0') next[key] = sum;
  return next;
}

function addFill(totals: FeeTotals, f: TrackedFill, sign: 1 | -1): FeeTotals {
  return {
    fee: addTo(totals.fee, f.feeAsset, f.fee, sign),
    tax: addTo(totals.tax, f.taxAsset, f.tax, sign),
    clearing: addTo(totals.clearing, f.clearingAsset, f.clearing, sign),
  };
}

type Fills = Pick<TrackedOrder, 'fills' | 'fillsQty' | 'totals'>;

/** Counts a FILL once per tradeId; a broken-down fill replaces a REST-only one. */
function mergeFill(current: Fills, u: Extract<OrderUpdate, { status: 'FILL' }>): Fills {
  const f = u.order.fillInformation;
  const tradeId = u.order.tradeId;
  const fills = current.fills as PersistentMap<TrackedFill>;
  const hash = hashString(tradeId);
  const known = fills.getHashed(tradeId, hash);
  const hasBreakdown = u.breakdown !== false;
  // A duplicate (or a REST copy of a pushed fill) is dropped before anything is built.
  if (known && (known.hasBreakdown || !hasBreakdown)) return current;
  const fill: TrackedFill = {
    participant: f.participant,
    filledQty: f.filledQty,
    qty: f.qty,
    feeAsset: f.feeAsset,
    feeRate: f.feeRate,
    fee: f.fee,
    taxAsset: f.taxAsset,
    taxRate: f.taxRate,
    tax: f.tax,
    clearingAsset: f.clearingAsset,
    clearingRate: f.clearingRate,
    clearing: f.clearing,
    tradeId,
    transactionTime: u.order.transactionTime,
    hasBreakdown,
    source: u.source,
  };
  const base = known ? addFill(current.totals, known, -1) : current.totals;
  const qty = known ? subtractDecimals(current.fillsQty, known.qty) : current.fillsQty;
  return {
    fills: fills.setHashed(tradeId, hash, fill),
    fillsQty: addDecimals(qty, fill.qty),
    totals: addFill(base, fill, 1),
  };
}

type Fields = Omit<TrackedOrder, keyof Fills | 'firstSeen' | 'lastSeen'>;

/** The last object `fieldsOf` made: still unshared, so `finish` may complete it in place. */
let fresh: Fields | undefined;

/**
 * The fields of `u`, in the full shape of a {@link TrackedOrder} (its fills to be set by
 * `finish`), so a winning update's order is built once.
 */
function fieldsOf(u: OrderUpdate): Fields {
  const o = u.order;
  const fields: Fields & Mutable<Fills> & { firstSeen: number; lastSeen: number } = {
    orderId: o.orderId,
    symbol: o.symbol,
    side: o.side,
    price: o.price,
    origQty: o.origQty,
    executedQty: o.executedQty,
    unfilledQty: o.unfilledQty,
    status: o.status,
    description: o.description,
    clientOrderId: o.clientOrderId,
    cancelReason: o.status === 'CANCELLED' ? o.cancelReason : undefined,
    transactionTime: o.transactionTime,
    source: u.source,
    approximate: u.approximate === true,
    fills: NO_FILLS.fills,
    fillsQty: NO_FILLS.fillsQty,
    totals: NO_FILLS.totals,
    firstSeen: 0,
    lastSeen: 0,
  };
  fresh = fields;
  return fields;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The tracked order of `o` and `f`: `o` itself completed when `fieldsOf` just made it, else a copy. */
function finish(o: Fields, f: Fills, firstSeen: number, lastSeen: number): TrackedOrder {
  if (o !== fresh) return build(o, f, firstSeen, lastSeen);
  fresh = undefined;
  const t = o as Mutable<TrackedOrder>;
  t.fills = f.fills;
  t.fillsQty = f.fillsQty;
  t.totals = f.totals;
  t.firstSeen = firstSeen;
  t.lastSeen = lastSeen;
  return t;
}

/** Which fields the order keeps after `u`: the merge rules of the store. */
function mergeFields(current: TrackedOrder, u: OrderUpdate): Fields {
  const exact = u.approximate !== true;
  const byRank = STATUS_RANK[u.status] - STATUS_RANK[current.status];
  if (byRank > 0) return fieldsOf(u);
  if (byRank < 0) {
    // A late exact update still corrects estimated quantities, but not the status.
    if (!(exact && current.approximate)) return current;
    const o = u.order;
    return {
      ...pickFields(current),
      origQty: o.origQty,
      executedQty: o.executedQty,
      unfilledQty: o.unfilledQty,
      approximate: false,
    };
  }
  if (current.approximate !== !exact) return exact ? fieldsOf(u) : current;
  const byQty = compareDecimals(u.order.executedQty, current.executedQty);
  if (byQty < 0) return current;
  if (byQty === 0 && u.source === 'rest' && current.source === 'ws') return current;
  return fieldsOf(u);
}

function sameFields(a: Fields, b: Fields): boolean {
  return (
    a.status === b.status &&
    a.executedQty === b.executedQty &&
    a.unfilledQty === b.unfilledQty &&
    a.origQty === b.origQty &&
    a.transactionTime === b.transactionTime &&
    a.source === b.source &&
    a.approximate === b.approximate &&
    a.price === b.price &&
    a.orderId === b.orderId &&
    a.symbol === b.symbol &&
    a.side === b.side &&
    a.description === b.description &&
    a.clientOrderId === b.clientOrderId &&
    a.cancelReason === b.cancelReason
  );
}

const NO_FILLS: Fills = { fills: PersistentMap.empty<TrackedFill>(), fillsQty: '0', totals: NO_TOTALS };

/**
 * Folds one update into one order; returns `current` itself when nothing changed. The
 * new order is built once, in one fixed shape.
 * @internal
 */
export function mergeOrder(current: TrackedOrder | undefined, u: OrderUpdate): TrackedOrder {
  const time = u.order.transactionTime;
  if (!current) {
    const fills = u.status === 'FILL' ? mergeFill(NO_FILLS, u) : NO_FILLS;
    return finish(fieldsOf(u), fills, time, time);
  }
  const fills = u.status === 'FILL' ? mergeFill(current, u) : current;
  const fields = mergeFields(current, u);
  const firstSeen = current.firstSeen < time ? current.firstSeen : time;
  const lastSeen = current.lastSeen > time ? current.lastSeen : time;
  if (fields === current) {
    if (fills === current && firstSeen === current.firstSeen && lastSeen === current.lastSeen) return current;
    return build(current, fills, firstSeen, lastSeen);
  }
  // The constants of an order that a winning update may lack (a REST one) are kept.
  const merged =
    (fields.description !== undefined || current.description === undefined) &&
    (fields.clientOrderId !== undefined || current.clientOrderId === undefined)
      ? fields
      : {
          ...pickFields(fields),
          description: fields.description ?? current.description,
          clientOrderId: fields.clientOrderId ?? current.clientOrderId,
        };
  if (
    fills === current &&
    firstSeen === current.firstSeen &&
    lastSeen === current.lastSeen &&
    sameFields(merged, current)
  ) {
    return current;
  }
  return finish(merged, fills, firstSeen, lastSeen);
}

function pickFields(o: Fields): Fields {
  return {
    orderId: o.orderId,
    symbol: o.symbol,
    side: o.side,
    price: o.price,
    origQty: o.origQty,
    executedQty: o.executedQty,
    unfilledQty: o.unfilledQty,
    status: o.status,
    description: o.description,
    clientOrderId: o.clientOrderId,
    cancelReason: o.cancelReason,
    transactionTime: o.transactionTime,
    source: o.source,
    approximate: o.approximate,
  };
}

/** One object shape for every tracked order (absent optional fields are `undefined`). */
function build(o: Fields, f: Fills, firstSeen: number, lastSeen: number): TrackedOrder {
  return {
    orderId: o.orderId,
    symbol: o.symbol,
    side: o.side,
    price: o.price,
    origQty: o.origQty,
    executedQty: o.executedQty,
    unfilledQty: o.unfilledQty,
    status: o.status,
    description: o.description,
    clientOrderId: o.clientOrderId,
    cancelReason: o.cancelReason,
    transactionTime: o.transactionTime,
    source: o.source,
    approximate: o.approximate,
    fills: f.fills,
    fillsQty: f.fillsQty,
    totals: f.totals,
    firstSeen,
    lastSeen,
  };
}
