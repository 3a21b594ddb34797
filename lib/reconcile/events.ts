import type { ReconcileFindings } from './plan';

/**
 * What started a reconciliation: the first `subscribed` (`start`), a `subscribed` after a
 * disconnect (`reconnect`), or the periodic check while connected (`check`, see
 * `checkEveryMs`), which finds pushes lost without a disconnect.
 *
 * ## Example
 * ```ts
 * const isCheck = (e: ReconciliationEvent) => e.type === 'completed' && e.reason === 'check';
 * ```
 */
export type ReconciliationTrigger = 'start' | 'reconnect' | 'check';

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
      readonly reason: ReconciliationTrigger;
      readonly from: number;
      readonly to: number;
      /** A check that is a full pass (every `fullCheckEveryMs`); absent otherwise. */
      readonly full?: true;
    }
  | {
      readonly type: 'completed';
      readonly reason: ReconciliationTrigger;
      /** A check that is a full pass; absent otherwise. */
      readonly full?: true;
      /** How long the link was down (0 for the first one and for checks). */
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
      /**
       * How many of its updates changed the store (set by the client's fold; 0 when already
       * equal). A check with `changed > 0` found the store wrong: the signal to alert on.
       */
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
