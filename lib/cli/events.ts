import type { ConnectionStatus } from '../protocol/messages';
import type { ReconciliationEvent } from '../reconcile/reconciler';
import {
  orderStateJson,
  type InvalidMessage,
  type OrderStateJson,
  type OrderStateSnapshot,
  type OrderUpdate,
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

/** A snapshot as JSON: the store's own plain form (`orderStateJson`, what `JSON.stringify` writes). @internal */
export type SnapshotJson = OrderStateJson;

/** Turns a snapshot into plain JSON: the same function as the snapshot's own `toJSON`. @internal */
export const snapshotJson = (snapshot: OrderStateSnapshot): SnapshotJson => orderStateJson(snapshot);

/** An invalid item as an event. @internal */
export function invalidEvent(problem: InvalidMessage): CliEvent {
  return { type: 'invalid', raw: problem.raw, reason: problem.reason };
}

/** A reconciliation event in one line of the view. @internal */
export function reconciliationText(e: ReconciliationEvent): string {
  switch (e.type) {
    case 'started':
      return `reconciling (${e.reason}) from ${new Date(e.from).toISOString().slice(11, 19)}`;
    case 'completed':
      return (
        (e.reason === 'start'
          ? `reconciled ${e.orders} orders at start (${e.calls} REST calls)`
          : `reconciled ${e.orders} orders and ${e.fills} fills after a ${(e.gapMs / 1000).toFixed(1)} s gap (${e.calls} REST calls)`) +
        (e.unresolved.length > 0 ? `; ${e.unresolved.length} unresolved` : '')
      );
    case 'failed':
      return `reconciliation failed: ${e.reason}; retry in ${e.retryInMs} ms`;
  }
}
