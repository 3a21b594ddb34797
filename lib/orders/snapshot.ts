import type { ForgottenIds } from './forgotten';
import type { IdQueue } from './id-queue';
import { orderStateJson, type OrderStateJson } from './json';
import type { TrackedOrder } from './tracked';

/** The store's bookkeeping that is not part of its meaning. @internal */
export interface StoreInternals {
  readonly terminal: IdQueue;
  readonly forgotten: ForgottenIds;
  readonly maxTerminalOrders: number;
  readonly terminalTtlMs: number | undefined;
  readonly maxForgotten: number;
}

/**
 * One state of the order store: a value made only by `createOrderState()` and the store's
 * operators (`reduceOrderState`, `orderState`, the client), never by hand. Immutable: every
 * update yields a new snapshot (or the same one when it changed nothing); older snapshots
 * never change. `JSON.stringify(snapshot)` gives plain data, the shape the CLI prints
 * (`{ orders: [...], open, total }`, each order's fills as an array in the order received),
 * never the store's bookkeeping.
 *
 * ## Example
 * ```ts
 * orders$.subscribe((s) => console.log(`${s.openCount} open, ${s.orders.size} tracked, v${s.version}`));
 * ```
 */
export class OrderStateSnapshot {
  /**
   * Every tracked order by `orderId`: a `VersionedMap` (`lib/util/versioned-map.ts`) behind the `ReadonlyMap`
   * interface. Reading the newest snapshot costs what a `Map` costs; iteration order is
   * unspecified (sort for display). A snapshot kept far behind the store keeps up to
   * `max(1024, 2 × size)` undo records alive: keep one you need for long as plain data.
   */
  declare readonly orders: ReadonlyMap<string, TrackedOrder>;
  /** Counts the changes: +1 per update that changed the state. */
  declare readonly version: number;
  /** Orders that are NEW or FILL. */
  declare readonly openCount: number;
  /** CANCELLED, DONE and REJECTED orders still kept. */
  declare readonly terminalCount: number;
  /** The store's clock: the largest `transactionTime` folded so far (0 before any). */
  declare readonly time: number;
  readonly #internals: StoreInternals;

  // The public fields are `declare`d and set here, in this order: plain stores, one hidden
  // class, none of the per-field definitions that class fields would cost on every update.
  /** @internal Use `createOrderState()`. */
  constructor(
    orders: ReadonlyMap<string, TrackedOrder>,
    version: number,
    openCount: number,
    terminalCount: number,
    time: number,
    internals: StoreInternals,
  ) {
    this.orders = orders;
    this.version = version;
    this.openCount = openCount;
    this.terminalCount = terminalCount;
    this.time = time;
    this.#internals = internals;
  }

  /** The store's bookkeeping. @internal */
  get internals(): StoreInternals {
    return this.#internals;
  }

  /** Plain data: every tracked order (open ones first), the open and total counts. */
  toJSON(): OrderStateJson {
    return orderStateJson(this);
  }
}

/**
 * `value` itself when it is a snapshot the store made; else a `TypeError` naming `where`
 * and `createOrderState`. @internal
 */
export function orderStateOf(value: unknown, where: string): OrderStateSnapshot {
  if (value instanceof OrderStateSnapshot) return value;
  throw new TypeError(
    `${where}: not an order-state snapshot (${value === null ? 'null' : typeof value}); ` +
      'make one with createOrderState() or take one from the store (reduceOrderState, orderState, the client)',
  );
}
