import type { ConnectionStatus } from '../protocol/messages';
import type { BridgeHealth, BridgeMeter } from './meter';

/** Which held accounts are subscribed now, and which were reconciled since this bridge claimed them. */
export interface HealthState {
  readonly subscribed: ReadonlySet<string>;
  readonly reconciled: ReadonlySet<string>;
}

/** What moves {@link HealthState}: a bridge's lease and status events, and reconciliations. */
export type HealthFact =
  | { readonly type: 'claimed' | 'released' | 'lost'; readonly account: string }
  | { readonly type: 'status'; readonly account: string; readonly status: ConnectionStatus }
  | { readonly type: 'reconciled'; readonly account: string; readonly result: 'ok' | 'changed' | 'failed' };

/** Nothing subscribed, nothing reconciled. */
export const initialHealthState: HealthState = { subscribed: new Set(), reconciled: new Set() };

const LIVE: ReadonlySet<ConnectionStatus['state']> = new Set(['subscribed', 'refreshed']);

function withOut(set: ReadonlySet<string>, name: string): ReadonlySet<string> {
  if (!set.has(name)) return set;
  const next = new Set(set);
  next.delete(name);
  return next;
}

function withIn(set: ReadonlySet<string>, name: string): ReadonlySet<string> {
  return set.has(name) ? set : new Set(set).add(name);
}

/**
 * Folds one fact into where the held accounts stand, pure: a claim, release or loss starts the
 * account afresh; `subscribed`/`refreshed` mark it subscribed and any other status unmarks it; a
 * reconciliation that ended well (`ok`, `changed`) marks it reconciled for as long as it is held.
 * Returns the same state when nothing changed.
 *
 * ## Example
 * ```ts
 * let s = reduceHealth(initialHealthState, { type: 'claimed', account: 'acct0' });
 * s = reduceHealth(s, { type: 'reconciled', account: 'acct0', result: 'ok' });
 * s.reconciled.has('acct0'); // true
 * ```
 */
export function reduceHealth(state: HealthState, fact: HealthFact): HealthState {
  const { account } = fact;
  let subscribed = state.subscribed;
  let reconciled = state.reconciled;
  if (fact.type === 'status') {
    subscribed = LIVE.has(fact.status.state) ? withIn(subscribed, account) : withOut(subscribed, account);
  } else if (fact.type === 'reconciled') {
    if (fact.result !== 'failed') reconciled = withIn(reconciled, account);
  } else {
    subscribed = withOut(subscribed, account);
    reconciled = withOut(reconciled, account);
  }
  return subscribed === state.subscribed && reconciled === state.reconciled
    ? state
    : { subscribed, reconciled };
}

/**
 * A bridge's {@link BridgeHealth} from what it holds and the folded state.
 *
 * ## Example
 * ```ts
 * const h = healthOf(state, { natsConnected: true, held: ['acct0'], fairShare: 1 });
 * ```
 */
export function healthOf(
  state: HealthState,
  now: { readonly natsConnected: boolean; readonly held: readonly string[]; readonly fairShare: number },
): BridgeHealth {
  return {
    natsConnected: now.natsConnected,
    held: now.held,
    fairShare: now.fairShare,
    readyAccounts: now.held.filter((a) => state.subscribed.has(a) && state.reconciled.has(a)),
  };
}

/**
 * Whether a bridge is ready: NATS is up, it holds at least its share, and every held account is
 * subscribed and was reconciled.
 *
 * ## Example
 * ```ts
 * if (!isReady(bridge.health())) response.statusCode = 503;
 * ```
 */
export function isReady(health: BridgeHealth): boolean {
  return (
    health.natsConnected &&
    health.held.length >= health.fairShare &&
    health.held.every((a) => health.readyAccounts.includes(a))
  );
}

/**
 * Feeds a bridge's facts into a health fold and into an optional meter: lease changes and
 * reconciliations reach both, everything else passes to the meter.
 *
 * ## Example
 * ```ts
 * const tracker = healthTracker(options.meter);
 * holdAccount(account, { ...rest, meter: tracker.meter });
 * tracker.fact({ type: 'claimed', account: 'acct0' });
 * ```
 * @internal
 */
export function healthTracker(meter?: BridgeMeter): {
  readonly meter: BridgeMeter;
  readonly fact: (fact: HealthFact) => void;
  readonly state: () => HealthState;
} {
  let state = initialHealthState;
  const fact = (f: HealthFact): void => {
    state = reduceHealth(state, f);
    if (f.type === 'claimed' || f.type === 'released' || f.type === 'lost')
      meter?.leaseChanged(f.type, f.account);
  };
  return {
    fact,
    state: () => state,
    meter: {
      published: (account, seconds) => meter?.published(account, seconds),
      publishRetried: (account) => meter?.publishRetried(account),
      reconnected: (account) => meter?.reconnected(account),
      leaseChanged: (kind, account) => meter?.leaseChanged(kind, account),
      reconciled: (account, result) => {
        state = reduceHealth(state, { type: 'reconciled', account, result });
        meter?.reconciled(account, result);
      },
    },
  };
}
