import type { OrderUpdate } from './codecs';
import { PersistentMap } from '../util/persistent-map';
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

/** An immutable FIFO of ids over a persistent map keyed by sequence number. @internal */
export interface IdQueue {
  readonly items: PersistentMap<string>;
  readonly head: number;
  readonly tail: number;
}

/** The store's bookkeeping that is not part of its meaning. @internal */
export interface StoreInternals {
  readonly orders: PersistentMap<TrackedOrder>;
  readonly terminal: IdQueue;
  readonly forgotten: PersistentMap<true>;
  readonly forgottenQueue: IdQueue;
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
   * Every tracked order by `orderId`. A persistent hash trie behind the `ReadonlyMap`
   * interface: iteration is in hash order (sort for display).
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

const EMPTY_QUEUE: IdQueue = { items: PersistentMap.empty<string>(), head: 0, tail: 0 };

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
  const orders = PersistentMap.empty<TrackedOrder>();
  return {
    orders,
    version: 0,
    openCount: 0,
    terminalCount: 0,
    time: 0,
    internals: {
      orders,
      terminal: EMPTY_QUEUE,
      forgotten: PersistentMap.empty<true>(),
      forgottenQueue: EMPTY_QUEUE,
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

const push = (q: IdQueue, id: string): IdQueue => ({
  items: q.items.set(String(q.tail), id),
  head: q.head,
  tail: q.tail + 1,
});
const pop = (q: IdQueue): IdQueue => ({
  items: q.items.delete(String(q.head)),
  head: q.head + 1,
  tail: q.tail,
});
const peek = (q: IdQueue): string | undefined => (q.head < q.tail ? q.items.get(String(q.head)) : undefined);

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
 * Cost per update is O(log32 n) in tracked orders: only the path to one order is copied.
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
  if (s.forgotten.has(id)) return state;
  const current = s.orders.get(id);
  const next = mergeOrder(current, update);
  if (next === current) return state;
  let orders = s.orders.set(id, next);
  let openCount = state.openCount;
  let terminalCount = state.terminalCount;
  let terminal = s.terminal;
  const wasTerminal = current !== undefined && isTerminalStatus(current.status);
  if (!current) openCount += 1;
  if (!wasTerminal && isTerminalStatus(next.status)) {
    openCount -= 1;
    terminalCount += 1;
    terminal = push(terminal, id);
  }
  const time = Math.max(state.time, update.order.transactionTime);
  let forgotten = s.forgotten;
  let forgottenQueue = s.forgottenQueue;
  for (let oldest = peek(terminal); oldest !== undefined; oldest = peek(terminal)) {
    const order = orders.get(oldest);
    const tooMany = terminalCount > s.maxTerminalOrders;
    const tooOld =
      s.terminalTtlMs !== undefined && order !== undefined && order.lastSeen + s.terminalTtlMs < time;
    if (!tooMany && !tooOld) break;
    terminal = pop(terminal);
    orders = orders.delete(oldest);
    terminalCount -= 1;
    if (s.maxForgotten > 0) {
      forgotten = forgotten.set(oldest, true);
      forgottenQueue = push(forgottenQueue, oldest);
      if (forgottenQueue.tail - forgottenQueue.head > s.maxForgotten) {
        forgotten = forgotten.delete(peek(forgottenQueue) ?? '');
        forgottenQueue = pop(forgottenQueue);
      }
    }
  }
  return {
    orders,
    version: state.version + 1,
    openCount,
    terminalCount,
    time,
    internals: { ...s, orders, terminal, forgotten, forgottenQueue },
  };
}
