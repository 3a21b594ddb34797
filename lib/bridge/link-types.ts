import type { OrderStateSnapshot, OrderUpdate } from '../orders';
import type { ConnectionStatus } from '../protocol/messages';
import type { PublishFailureKind } from './publish-errors';

/** What a link reports. */
export type LinkEvent =
  | { readonly type: 'paused'; readonly account: string; readonly buffered: number }
  | { readonly type: 'resumed'; readonly account: string; readonly buffered: number }
  | {
      readonly type: 'publish-retry';
      readonly account: string;
      readonly attempt: number;
      readonly reason: string;
    }
  | {
      readonly type: 'skipped';
      readonly account: string;
      readonly reason: string;
      /** The order id, JSON-escaped and cut to 128 characters. */
      readonly orderId: string;
      readonly status: string;
    }
  | { readonly type: 'source-failed'; readonly account: string; readonly reason: string }
  | {
      readonly type: 'account-failed';
      readonly account: string;
      readonly reason: string;
      readonly recheckInMs: number;
    }
  | { readonly type: 'identity-mismatch'; readonly account: string; readonly reason: string }
  | {
      readonly type: 'reconciliation';
      readonly account: string;
      readonly result: 'ok' | 'changed' | 'failed';
      readonly changed?: number;
      readonly trigger?: 'start' | 'reconnect' | 'check';
      readonly reason?: string;
    }
  | { readonly type: 'republished'; readonly account: string; readonly updates: number }
  | { readonly type: 'status'; readonly account: string; readonly status: ConnectionStatus };

/** What the bus says of an account's exchange user (see `BridgeBus.identity`). */
export type IdentityAnswer = 'ok' | 'mismatch' | 'error';

/** Where a link's reading of the account stands. */
export type Reading =
  | 'on' // subscribed to the account's streams
  | 'paused' // let go: the buffer is full
  | 'waiting' // let go after a failure: a fresh source comes after a wait
  | 'refused'; // the account's user is bound to other credentials: nothing more

/** A link's whole state. @internal */
export interface LinkState {
  readonly account: string;
  readonly maxBuffer: number;
  readonly recheckFailedMs: number;
  readonly sourceRetryMs: number;
  /** Whether an identity check is configured at all. */
  readonly checksIdentity: boolean;
  /** Updates not acknowledged yet, oldest first; the head is in flight when `inFlight`. */
  readonly queue: readonly OrderUpdate[];
  readonly inFlight: boolean;
  /** Failed attempts of the head. */
  readonly attempt: number;
  /** A retry of the head is scheduled. */
  readonly retrying: boolean;
  readonly reading: Reading;
  readonly identity: 'unchecked' | 'checking' | 'ok' | 'mismatch';
  /** The latest connection status while the identity is not confirmed yet (published once it is). */
  readonly heldStatus?: string;
  /** The channel the account's socket subscribed (names the exchange user). */
  readonly channel?: string;
  /** The reason of the permanent failure being waited out (an `account-failed` was said once). */
  readonly failure?: string;
  readonly connectedOnce: boolean;
  readonly stopping: boolean;
  /** What JetStream acknowledged, folded: published again when the bus comes back empty. */
  readonly store: OrderStateSnapshot;
}

/** What happens to a link. @internal */
export type LinkInput =
  | { readonly type: 'start' }
  | { readonly type: 'status'; readonly status: ConnectionStatus }
  | { readonly type: 'update'; readonly update: OrderUpdate }
  | { readonly type: 'acked' }
  | { readonly type: 'publish-failed'; readonly kind: PublishFailureKind; readonly reason: string }
  | { readonly type: 'retry-due' }
  | { readonly type: 'source-failed'; readonly permanent: boolean; readonly reason: string }
  | { readonly type: 'resubscribe-due' }
  /** While failed: say so again on the status subject (a `tail` started later sees it). */
  | { readonly type: 'failed-status-due' }
  | { readonly type: 'identity'; readonly answer: IdentityAnswer; readonly reason?: string }
  | { readonly type: 'identity-due' }
  | { readonly type: 'reconciled'; readonly event: LinkEvent & { type: 'reconciliation' } }
  | {
      readonly type: 'bus-reset';
      /** The stream came back empty: publish the store again. */
      readonly stream: boolean;
      /** The identity bucket came back empty: bind the account again. */
      readonly identities: boolean;
    }
  | { readonly type: 'stop' };

/** What a link does. @internal */
export type LinkEffect =
  | { readonly type: 'publish'; readonly update: OrderUpdate }
  | { readonly type: 'publish-status'; readonly payload: string }
  | { readonly type: 'emit'; readonly event: LinkEvent }
  | { readonly type: 'subscribe'; readonly fresh: boolean }
  | { readonly type: 'unsubscribe' }
  | { readonly type: 'later'; readonly ms: number; readonly input: LinkInput }
  | { readonly type: 'retry-later'; readonly attempt: number }
  | { readonly type: 'check-identity'; readonly channel: string }
  | { readonly type: 'count'; readonly fact: 'retried' | 'reconnected' }
  | { readonly type: 'count-reconciled'; readonly result: 'ok' | 'changed' | 'failed' }
  | { readonly type: 'drained' };
