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
