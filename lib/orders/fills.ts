import type { FillInformation, OrderUpdate, UpdateSource } from './codecs';
import { addDecimals, normalizeDecimal, subtractDecimals } from '../util/decimal';
import { hashString, PersistentMap } from '../util/persistent-map';

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

/** The ids of an order's fills, newest first: an immutable list its versions share. */
interface IdNode {
  readonly id: string;
  readonly older: IdNode | undefined;
}

/**
 * An order's distinct fills by `tradeId`, iterated (and serialised, as an array) in the
 * order they were first received. Immutable: `with` returns a new map, which adds one node
 * to the list of ids the versions of an order share (nothing is ever copied or appended in
 * place); the list sits in a private field, so a snapshot deep-frozen by its user never
 * reaches it.
 * @internal
 */
export class FillMap implements ReadonlyMap<string, TrackedFill> {
  static readonly EMPTY = new FillMap(PersistentMap.empty<TrackedFill>(), undefined, 0);
  readonly #byId: PersistentMap<TrackedFill>;
  readonly #newest: IdNode | undefined;
  /** How many distinct fills (the length of the list). */
  declare readonly size: number;
  // `size` is `declare`d and set here: a plain store, not a field definition per new map.
  private constructor(byId: PersistentMap<TrackedFill>, newest: IdNode | undefined, size: number) {
    this.#byId = byId;
    this.#newest = newest;
    this.size = size;
  }
  get(tradeId: string): TrackedFill | undefined {
    return this.#byId.get(tradeId);
  }
  has(tradeId: string): boolean {
    return this.#byId.has(tradeId);
  }
  /** The fill of `tradeId`, whose {@link hashString} is `hash`. */
  getHashed(tradeId: string, hash: number): TrackedFill | undefined {
    return this.#byId.getHashed(tradeId, hash);
  }
  /** This map with `fill` set (`known`: its `tradeId` is here already, and keeps its place). */
  with(fill: TrackedFill, hash: number, known: boolean): FillMap {
    const byId = this.#byId.setHashed(fill.tradeId, hash, fill);
    if (known) return new FillMap(byId, this.#newest, this.size);
    return new FillMap(byId, { id: fill.tradeId, older: this.#newest }, this.size + 1);
  }
  /** The ids, oldest first. */
  #ids(): string[] {
    const ids = new Array<string>(this.size);
    let node = this.#newest;
    for (let i = this.size - 1; i >= 0 && node !== undefined; i--, node = node.older) ids[i] = node.id;
    return ids;
  }
  *keys(): MapIterator<string> {
    for (const id of this.#ids()) yield id;
    return undefined;
  }
  *values(): MapIterator<TrackedFill> {
    for (const id of this.#ids()) yield this.#byId.get(id) as TrackedFill;
    return undefined;
  }
  *entries(): MapIterator<[string, TrackedFill]> {
    for (const fill of this.values()) yield [fill.tradeId, fill];
    return undefined;
  }
  [Symbol.iterator](): MapIterator<[string, TrackedFill]> {
    return this.entries();
  }
  forEach(callback: (value: TrackedFill, key: string, map: ReadonlyMap<string, TrackedFill>) => void): void {
    for (const fill of this.values()) callback(fill, fill.tradeId, this);
  }
  get [Symbol.toStringTag](): string {
    return 'FillMap';
  }
  /** The fills as an array, in the order received. */
  toJSON(): TrackedFill[] {
    return [...this.values()];
  }
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

/** What an order's fills make of it: the fills, their summed `qty`, their fee totals. @internal */
export interface Fills {
  readonly fills: FillMap;
  readonly fillsQty: string;
  readonly totals: FeeTotals;
}

/** No fill yet. @internal */
export const NO_FILLS: Fills = { fills: FillMap.EMPTY, fillsQty: '0', totals: NO_TOTALS };

/** Counts a FILL once per tradeId; a broken-down fill replaces a REST-only one. @internal */
export function mergeFill(current: Fills, u: Extract<OrderUpdate, { status: 'FILL' }>): Fills {
  const f = u.order.fillInformation;
  const tradeId = u.order.tradeId;
  const hash = hashString(tradeId);
  const known = current.fills.getHashed(tradeId, hash);
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
    fills: current.fills.with(fill, hash, known !== undefined),
    fillsQty: addDecimals(qty, fill.qty),
    totals: addFill(base, fill, 1),
  };
}
