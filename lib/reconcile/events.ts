import type { ReconcileFindings } from './plan';

/**
 * Progress of reconciliation, for the user to watch (`client.reconciliation$`).
 *
 * ## Example
 * ```ts
 * client.reconciliation$.pipe(filter((e) => e.type === 'failed' && e.terminal === true)).subscribe(alert);
 * ```
 */
export type ReconciliationEvent =
  | {
      readonly type: 'started';
      readonly reason: 'start' | 'reconnect';
      readonly from: number;
      readonly to: number;
    }
  | {
      readonly type: 'completed';
      readonly reason: 'start' | 'reconnect';
      /** How long the link was down (0 for the first one). */
      readonly gapMs: number;
      /** Orders the answers mention (open now, or ended in the window). */
      readonly orders: number;
      /** Distinct fills read. */
      readonly fills: number;
      readonly unresolved: readonly string[];
      /** REST reads it took, failed attempts included (a read may be several pages). */
      readonly calls: number;
      /** From the `subscribed` that asked for it to the findings: the time to converge (ms). */
      readonly durationMs: number;
      /** How many of its updates changed the store (set by the client's fold; 0 when already equal). */
      readonly changed?: number;
    }
  | {
      readonly type: 'failed';
      readonly reason: string;
      readonly attempt: number;
      /** The wait before the next attempt; 0 with `terminal`. */
      readonly retryInMs: number;
      /** Nothing will retry: the key lacks a permission (the reason says which); the WebSocket goes on. */
      readonly terminal?: true;
    };

/**
 * What {@link reconciliation} emits: progress, and findings to fold into the store.
 *
 * ## Example
 * ```ts
 * const isFindings = (o: ReconciliationOutput) => o.kind === 'findings';
 * ```
 */
export type ReconciliationOutput =
  | { readonly kind: 'event'; readonly event: ReconciliationEvent }
  | { readonly kind: 'findings'; readonly findings: ReconcileFindings };
