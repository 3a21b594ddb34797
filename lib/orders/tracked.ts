import type { OrderSide, OrderUpdate, UpdateSource } from './codecs';
import { compareDecimals } from '../util/decimal';
import { mergeFill, NO_FILLS, type FeeTotals, type Fills, type TrackedFill } from './fills';
import { STATUS_RANK, type OrderStatus } from './status';

export type { AssetTotals, FeeTotals, TrackedFill } from './fills';

/**
 * What the store knows about one order: the fields of the update that won the merge
 * (status, quantities, price...), every distinct fill (in the order received), exact
 * fee/tax/clearing totals, and the earliest and latest exchange time (`transactionTime`)
 * of any update folded for it. `JSON.stringify` gives plain data (its fills as an array).
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
  /** Distinct fills by `tradeId`, iterated in the order received. */
  readonly fills: ReadonlyMap<string, TrackedFill>;
  /** Sum of `qty` over the distinct fills (exact). */
  readonly fillsQty: string;
  readonly totals: FeeTotals;
  /** Smallest `transactionTime` seen for this order (ms). */
  readonly firstSeen: number;
  /** Largest `transactionTime` seen for this order (ms). */
  readonly lastSeen: number;
}

/** The fields of a tracked order that its fills and the times seen make, not the winning update. */
type Bookkeeping = 'fills' | 'fillsQty' | 'totals' | 'firstSeen' | 'lastSeen';

/** The fields of a tracked order that the update winning the merge sets. */
export type OrderFields = Omit<TrackedOrder, Bookkeeping>;

/**
 * The field list of a tracked order, written once: each field the winning update sets.
 * Its type is derived from {@link TrackedOrder}, so a field added there (and not to the
 * bookkeeping) must be added here. Comparing and copying an order are derived from it
 * ({@link ORDER_FIELD_KEYS}), and so are the views of an order (`pickFields`); the one
 * place an order is built from an update (`fromUpdate`) is held to it by the compiler.
 */
const ORDER_FIELDS: { readonly [K in keyof OrderFields]-?: true } = {
  orderId: true,
  symbol: true,
  side: true,
  price: true,
  origQty: true,
  executedQty: true,
  unfilledQty: true,
  status: true,
  description: true,
  clientOrderId: true,
  cancelReason: true,
  transactionTime: true,
  source: true,
  approximate: true,
};

/** The keys of the field list, in the order every tracked order has them. @internal */
export const ORDER_FIELD_KEYS: readonly (keyof OrderFields)[] = Object.freeze(
  Object.keys(ORDER_FIELDS) as (keyof OrderFields)[],
);

/**
 * `o`'s fields named in `keys`, as a new object: a view's row of an order.
 *
 * ## Example
 * ```ts
 * pickFields(order, ['orderId', 'status']); // { orderId: 'btcidr-limit-1', status: 'NEW' }
 * ```
 * @internal
 */
export function pickFields<K extends keyof OrderFields>(
  o: OrderFields,
  keys: readonly K[],
): Pick<OrderFields, K> {
  const out = {} as Record<K, unknown>;
  for (const k of keys) out[k] = o[k];
  return out as Pick<OrderFields, K>;
}

function sameFields(a: OrderFields, b: OrderFields): boolean {
  for (const k of ORDER_FIELD_KEYS) if (a[k] !== b[k]) return false;
  return true;
}

/** The order `u` makes, keeping what `current` knew that `u` lacks (a REST one has no description). */
function fromUpdate(
  u: OrderUpdate,
  current: TrackedOrder | undefined,
  f: Fills,
  firstSeen: number,
  lastSeen: number,
): TrackedOrder {
  const o = u.order;
  // Every field, in the list's order (a literal: one fixed shape, built in one step); the
  // compiler checks that none is missing, optional ones included.
  const order = {
    orderId: o.orderId,
    symbol: o.symbol,
    side: o.side,
    price: o.price,
    origQty: o.origQty,
    executedQty: o.executedQty,
    unfilledQty: o.unfilledQty,
    status: o.status,
    // The constants an order keeps when a winning update lacks them (a REST one has none).
    description: o.description ?? current?.description,
    clientOrderId: o.clientOrderId ?? current?.clientOrderId,
    // Only a CANCELLED event has one (an extra field elsewhere is not the order's).
    cancelReason: o.status === 'CANCELLED' ? o.cancelReason : undefined,
    transactionTime: o.transactionTime,
    source: u.source,
    approximate: u.approximate === true,
    fills: f.fills,
    fillsQty: f.fillsQty,
    totals: f.totals,
    firstSeen,
    lastSeen,
  } satisfies { readonly [K in keyof TrackedOrder]-?: unknown };
  return order;
}

/** Whose fields the order keeps after `u`: the merge rules of the store. */
function winner(current: TrackedOrder, u: OrderUpdate): 'current' | 'update' | 'quantities' {
  const exact = u.approximate !== true;
  const byRank = STATUS_RANK[u.status] - STATUS_RANK[current.status];
  if (byRank > 0) return 'update';
  // A late exact update still corrects estimated quantities, but not the status.
  if (byRank < 0) return exact && current.approximate ? 'quantities' : 'current';
  if (current.approximate !== !exact) return exact ? 'update' : 'current';
  const byQty = compareDecimals(u.order.executedQty, current.executedQty);
  if (byQty < 0) return 'current';
  if (byQty === 0 && u.source === 'rest' && current.source === 'ws') return 'current';
  return 'update';
}

/**
 * Folds one update into one order; returns `current` itself when nothing changed. The
 * new order is built once, in one fixed shape.
 * @internal
 */
export function mergeOrder(current: TrackedOrder | undefined, u: OrderUpdate): TrackedOrder {
  const time = u.order.transactionTime;
  if (!current)
    return fromUpdate(u, undefined, u.status === 'FILL' ? mergeFill(NO_FILLS, u) : NO_FILLS, time, time);
  // Every tracked order is made here, so its fills are a FillMap.
  const before = current as unknown as Fills;
  const f = u.status === 'FILL' ? mergeFill(before, u) : before;
  const firstSeen = current.firstSeen < time ? current.firstSeen : time;
  const lastSeen = current.lastSeen > time ? current.lastSeen : time;
  const same = f === before && firstSeen === current.firstSeen && lastSeen === current.lastSeen;
  const won = winner(current, u);
  if (won === 'current') {
    if (same) return current;
    return { ...current, fills: f.fills, fillsQty: f.fillsQty, totals: f.totals, firstSeen, lastSeen };
  }
  const next: TrackedOrder =
    won === 'update'
      ? fromUpdate(u, current, f, firstSeen, lastSeen)
      : {
          ...current,
          origQty: u.order.origQty,
          executedQty: u.order.executedQty,
          unfilledQty: u.order.unfilledQty,
          approximate: false,
          fills: f.fills,
          fillsQty: f.fillsQty,
          totals: f.totals,
          firstSeen,
          lastSeen,
        };
  return same && sameFields(next, current) ? current : next;
}
