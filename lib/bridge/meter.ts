/**
 * What a bridge tells a meter (Prometheus counters, or a test's tally) as it works: cheap
 * synchronous calls, one per fact, never an order id. Every method is optional to call for the
 * bridge's caller; a bridge calls each one when the fact happens.
 *
 * ## Example
 * ```ts
 * const meter: BridgeMeter = {
 *   published: (account, seconds) => console.log(account, seconds),
 *   publishRetried: () => undefined,
 *   reconciled: () => undefined,
 *   reconnected: () => undefined,
 *   leaseChanged: () => undefined,
 * };
 * ```
 */
export interface BridgeMeter {
  /** One update of `account` acknowledged by JetStream, `seconds` after it was handed over. */
  published(account: string, seconds: number): void;
  /** One publish attempt of `account` failed and will be tried again. */
  publishRetried(account: string): void;
  /** A reconciliation of a held account ended: nothing to fix, something fixed, or failed. */
  reconciled(account: string, result: 'ok' | 'changed' | 'failed'): void;
  /** A held account's exchange socket connected again after it had been connected. */
  reconnected(account: string): void;
  /** This bridge claimed, released or lost the lease of `account`. */
  leaseChanged(kind: 'claimed' | 'released' | 'lost', account: string): void;
}

/**
 * Where a bridge stands, for `/healthz` and `/readyz`.
 *
 * ## Example
 * ```ts
 * const h: BridgeHealth = bridge.health();
 * const ready = h.held.length >= h.fairShare && h.held.every((a) => h.readyAccounts.includes(a));
 * ```
 */
export interface BridgeHealth {
  /** Whether its NATS connection is up now. */
  readonly natsConnected: boolean;
  /** The accounts it holds now. */
  readonly held: readonly string[];
  /** How many accounts it should hold: its fair share among the live bridges it sees. */
  readonly fairShare: number;
  /** Held accounts whose socket is subscribed and that were reconciled at least once. */
  readonly readyAccounts: readonly string[];
}
