import type { ConnectionStatus } from '../protocol/messages';
import type { ReconciliationEvent } from '../reconcile/reconciler';
import {
  isTerminalStatus,
  type InvalidMessage,
  type OrderStateSnapshot,
  type OrderUpdate,
  type TrackedOrder,
} from '../orders';

/**
 * One line of the command's output (and of `--json`): what happened, in order.
 * @internal
 */
export type CliEvent =
  | { readonly type: 'status'; readonly status: ConnectionStatus }
  | { readonly type: 'order_update'; readonly update: OrderUpdate }
  | { readonly type: 'invalid'; readonly raw: unknown; readonly reason: string }
  | { readonly type: 'snapshot'; readonly snapshot: SnapshotJson }
  | { readonly type: 'reconciliation'; readonly event: ReconciliationEvent }
  | { readonly type: 'note'; readonly message: string };

/** A snapshot as JSON: every tracked order, open ones first. @internal */
export interface SnapshotJson {
  readonly orders: readonly TrackedOrderJson[];
  readonly open: number;
  readonly total: number;
}

/** A tracked order as JSON (its fills as an array). @internal */
export type TrackedOrderJson = Omit<TrackedOrder, 'fills'> & { readonly fills: readonly unknown[] };

/** Turns a snapshot into plain JSON. @internal */
export function snapshotJson(snapshot: OrderStateSnapshot): SnapshotJson {
  const orders: TrackedOrderJson[] = [];
  let open = 0;
  for (const order of snapshot.orders.values()) {
    const { fills, ...rest } = order;
    orders.push({ ...rest, fills: [...fills.values()] });
    if (!isTerminalStatus(order.status)) open += 1;
  }
  orders.sort((a, b) => Number(isTerminalStatus(a.status)) - Number(isTerminalStatus(b.status)));
  return { orders, open, total: orders.length };
}

/** An invalid item as an event. @internal */
export function invalidEvent(problem: InvalidMessage): CliEvent {
  return { type: 'invalid', raw: problem.raw, reason: problem.reason };
}
