import type { OrderUpdate } from './codecs';
import { VersionedMap } from '../util/versioned-map';
import { forget, forgottenCount, isForgotten, NO_FORGOTTEN, type ForgottenIds } from './forgotten';
import { isTerminalStatus } from './status';
import { mergeOrder, type TrackedOrder } from './tracked';

/** How long terminal orders are kept (open orders are never evicted). */
export interface RetentionOptions {
  /** At most this many CANCELLED/DONE/REJECTED orders are kept; the oldest go first (default 1000). */
  readonly maxTerminalOrders?: number;
  /**
   * Terminal orders whose `lastSeen` is more than this many ms before the store's `time`
   * (the largest `transactionTime` folded) are evicted. Exchange time, not wall time: it
   * advances only as updates arrive. Default: no age limit.
   */
  readonly terminalTtlMs?: number;
  /**
   * Evicted order ids remembered, so a late update cannot bring an evicted order back
   * (default 10 000).
   */
  readonly maxForgotten?: number;
}

/**
 * An immutable FIFO of ids: the window `[head, tail)` of an append-only log shared by the
 * versions of one lineage. A push appends in place only when this version is the log's
 * tip (`tail === log.length`), else it copies its window first; so no version ever sees
 * its window change. The log sits in a private field, so a snapshot deep-frozen by its
 * user never reaches it and never forces a copy per change. @internal
 */
export class IdQueue {
  readonly #log: string[];
  constructor(
    log: string[],
    readonly head: number,
    readonly tail: number,
  ) {
    this.#log = log;
  }
  /** The shared log this version reads `[head, tail)` of. */
  get log(): string[] {
    return this.#log;
  }
}

/** The store's bookkeeping that is not part of its meaning. @internal */
export interface StoreInternals {
  readonly terminal: IdQueue;
  readonly forgotten: ForgottenIds;
  readonly maxTerminalOrders: number;
  readonly terminalTtlMs: number | undefined;
  readonly maxForgotten: number;
}

/**
 * One state of the order store. Immutable: every update yields a new snapshot (or the
 * same one when it changed nothing); older snapshots never change.
 *
 * ## Example
 * ```ts
 * orders$.subscribe((s) => console.log(`${s.openCount} open, ${s.orders.size} tracked, v${s.version}`));
 * ```
 */
export interface OrderStateSnapshot {
  /**
   * Every tracked order by `orderId`: a `VersionedMap` (`lib/util/versioned-map.ts`) behind the `ReadonlyMap`
   * interface. Reading the newest snapshot costs what a `Map` costs; iteration order is
   * unspecified (sort for display). A snapshot kept far behind the store keeps up to
   * `max(1024, 2 × size)` undo records alive: keep one you need for long as plain data.
   */
  readonly orders: ReadonlyMap<string, TrackedOrder>;
  /** Counts the changes: +1 per update that changed the state. */
  readonly version: number;
  /** Orders that are NEW or FILL. */
  readonly openCount: number;
  /** CANCELLED, DONE and REJECTED orders still kept. */
  readonly terminalCount: number;
  /** The store's clock: the largest `transactionTime` folded so far (0 before any). */
  readonly time: number;
  /** @internal */
  readonly internals: StoreInternals;
}

/** Never appended to: the first push of every lineage copies it. */
const EMPTY_LOG: string[] = [];
const EMPTY_QUEUE = new IdQueue(EMPTY_LOG, 0, 0);

/**
 * An empty store with the given retention.
 *
 * ## Example
 * ```ts
 * const start = createOrderState({ maxTerminalOrders: 100 });
 * const next = reduceOrderState(start, update);
 * ```
 */
export function createOrderState(options: RetentionOptions = {}): OrderStateSnapshot {
  const orders = VersionedMap.empty<TrackedOrder>();
  return {
    orders,
    version: 0,
    openCount: 0,
    terminalCount: 0,
    time: 0,
    internals: {
      terminal: EMPTY_QUEUE,
      forgotten: NO_FORGOTTEN,
      maxTerminalOrders: Math.max(0, options.maxTerminalOrders ?? 1000),
      terminalTtlMs: options.terminalTtlMs,
      maxForgotten: Math.max(0, options.maxForgotten ?? 10_000),
    },
  };
}

/**
 * The empty store with default retention (1000 terminal orders, no age limit).
 *
 * ## Example
 * ```ts
 * const s = reduceOrderState(initialOrderState, update);
 * ```
 */
export const initialOrderState: OrderStateSnapshot = createOrderState();

function push(q: IdQueue, id: string): IdQueue {
  // (A frozen log, e.g. a snapshot deep-frozen by its user, is copied like any other.)
  if (q.tail === q.log.length && q.log !== EMPTY_LOG && Object.isExtensible(q.log)) {
    q.log.push(id);
    return new IdQueue(q.log, q.head, q.tail + 1);
  }
  const log = q.log.slice(q.head, q.tail);
  log.push(id);
  return new IdQueue(log, 0, log.length);
}

/**
 * Folds one publication's updates (or any batch) in one step: the same result as
 * `updates.reduce(reduceOrderState, state)`, emitting nothing in between (no half-applied
 * snapshot leaves it). Returns `state` itself when nothing changed.
 *
 * ## Example
 * ```ts
 * const next = reduceOrderStateBatch(state, publicationUpdates); // one snapshot per publication
 * ```
 *
 * @param state The store before.
 * @param updates Decoded updates, in order.
 * @returns The store after all of them.
 */
export function reduceOrderStateBatch(
  state: OrderStateSnapshot,
  updates: readonly OrderUpdate[],
): OrderStateSnapshot {
  let next = state;
  for (const update of updates) next = reduceOrderState(next, update);
  return next;
}

/**
 * Folds one order update into the store. Pure: returns a new snapshot, or `state` itself
 * when the update changed nothing (a duplicate, a stale lower status), so
 * `scan` + `distinctUntilChanged()` emits only real changes.
 *
 * Merge rules: status rank NEW < FILL < CANCELLED = DONE = REJECTED, and a lower rank
 * never replaces a higher one; at equal rank the larger cumulative `executedQty` wins
 * (ties: the later one, except that a REST update does not displace a push); an exact
 * update beats an approximate one of equal rank and corrects the quantities of a higher
 * approximate one. Fills are counted once per `tradeId`, also when they arrive late or
 * after the order ended; a pushed fill replaces a REST-only one of the same `tradeId`
 * (totals adjusted exactly), a REST fill after the push changes nothing.
 *
 * Cost per update is O(1) in tracked orders: the newest snapshot holds the one `Map` of its
 * lineage, and each older one keeps a single undo record (see `VersionedMap`).
 * Terminal orders beyond `maxTerminalOrders`, or older than `terminalTtlMs`, are evicted
 * oldest first; open orders never are. Never throws on a decoded update.
 *
 * ## Example
 * ```ts
 * const state = updates.reduce(reduceOrderState, initialOrderState);
 * state.orders.get('aaveidr-limit-3397')?.status;
 * ```
 *
 * @param state The store before.
 * @param update A decoded update (from `orderUpdates` or REST reconciliation).
 * @returns The store after.
 */
export function reduceOrderState(state: OrderStateSnapshot, update: OrderUpdate): OrderStateSnapshot {
  const s = state.internals;
  const id = update.order.orderId;
  // Always a VersionedMap: snapshots are made only here and in createOrderState.
  const before = state.orders as VersionedMap<TrackedOrder>;
  const current = before.get(id);
  // A tracked id is never a forgotten one (evicted ids leave `orders` as they enter `forgotten`).
  if (current === undefined && forgottenCount(s.forgotten) > 0 && isForgotten(s.forgotten, id)) return state;
  const next = mergeOrder(current, update);
  if (next === current) return state;
  let orders = before.replace(id, current, next);
  let openCount = state.openCount;
  let terminalCount = state.terminalCount;
  let internals = s;
  let terminal = s.terminal;
  const wasTerminal = current !== undefined && isTerminalStatus(current.status);
  if (!current) openCount += 1;
  if (!wasTerminal && isTerminalStatus(next.status)) {
    openCount -= 1;
    terminalCount += 1;
    terminal = push(terminal, id);
  }
  const time = state.time > update.order.transactionTime ? state.time : update.order.transactionTime;
  let forgotten = s.forgotten;
  // Evictions move the queue's head on a local copy: one IdQueue per step, not one per pop.
  let { log, head } = terminal;
  const tail = terminal.tail;
  while (head < tail) {
    const oldest = log[head] as string;
    const tooMany = terminalCount > s.maxTerminalOrders;
    const tooOld =
      s.terminalTtlMs !== undefined && (orders.get(oldest)?.lastSeen ?? Infinity) + s.terminalTtlMs < time;
    if (!tooMany && !tooOld) break;
    head += 1;
    orders = orders.delete(oldest);
    terminalCount -= 1;
    forgotten = forget(forgotten, oldest, s.maxForgotten);
  }
  if (head !== terminal.head) {
    // Compact now and then (a fresh log; older versions keep theirs): amortised O(1).
    if (head >= 1024 && head * 2 >= tail) {
      log = log.slice(head, tail);
      terminal = new IdQueue(log, 0, log.length);
    } else terminal = new IdQueue(log, head, tail);
  }
  // The bookkeeping object is shared with the state before when none of it changed.
  if (terminal !== s.terminal || forgotten !== s.forgotten) {
    internals = {
      terminal,
      forgotten,
      maxTerminalOrders: s.maxTerminalOrders,
      terminalTtlMs: s.terminalTtlMs,
      maxForgotten: s.maxForgotten,
    };
  }
  return { orders, version: state.version + 1, openCount, terminalCount, time, internals };
}
