import type { OrderUpdate } from './codecs';
import { VersionedMap } from '../util/versioned-map';
import { forget, forgottenCount, isForgotten, NO_FORGOTTEN } from './forgotten';
import { EMPTY_QUEUE, IdQueue, push } from './id-queue';
import { OrderStateSnapshot, orderStateOf, type StoreInternals } from './snapshot';
import { isTerminalStatus } from './status';
import { mergeOrder, type TrackedOrder } from './tracked';

export { OrderStateSnapshot };

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
 * An empty store with the given retention.
 *
 * ## Example
 * ```ts
 * const start = createOrderState({ maxTerminalOrders: 100 });
 * const next = reduceOrderState(start, update);
 * ```
 */
export function createOrderState(options: RetentionOptions = {}): OrderStateSnapshot {
  return new OrderStateSnapshot(VersionedMap.empty<TrackedOrder>(), 0, 0, 0, 0, {
    terminal: EMPTY_QUEUE,
    forgotten: NO_FORGOTTEN,
    maxTerminalOrders: Math.max(0, options.maxTerminalOrders ?? 1000),
    terminalTtlMs: options.terminalTtlMs,
    maxForgotten: Math.max(0, options.maxForgotten ?? 10_000),
  });
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
  // Checked once here: every later state is one `foldUpdate` made.
  let next = orderStateOf(state, 'reduceOrderStateBatch');
  for (let i = 0; i < updates.length; i++) next = foldUpdate(next, updates[i] as OrderUpdate);
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
 * oldest first; open orders never are. Never throws on a decoded update; a `state` not
 * made by `createOrderState()` or the store is a `TypeError`.
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
  return foldUpdate(orderStateOf(state, 'reduceOrderState'), update);
}

/**
 * {@link reduceOrderState} on a `state` known to be a snapshot (checked once by the caller:
 * the batch, the operator), so no update pays the check.
 * @internal
 */
export function foldUpdate(state: OrderStateSnapshot, update: OrderUpdate): OrderStateSnapshot {
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
  let internals: StoreInternals = s;
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
  return new OrderStateSnapshot(orders, state.version + 1, openCount, terminalCount, time, internals);
}
