import { VersionedMap } from '../util/versioned-map';
import { affinity, type LeaseEntry } from './lease-plan';

/**
 * What the lease step is told: the scheduler's ticks (`now` is always `scheduler.now()`, a
 * clock of this process only), the bucket's entries as its watcher sees them, the results of
 * its own writes, what the links report, and the stop.
 */
export type LeaseEvent =
  | { readonly type: 'start'; readonly now: number }
  | { readonly type: 'tick'; readonly now: number }
  /** Keys of the bucket changed (`owner` undefined: deleted or purged), as the watch delivered them. */
  | { readonly type: 'entries'; readonly entries: readonly BucketEntry[]; readonly now: number }
  /** A claim or a renewal was acknowledged; `sentAt` is when it was sent. */
  | { readonly type: 'written'; readonly account: string; readonly revision: number; readonly sentAt: number }
  /** A claim or a renewal failed; `conflict`: the bucket holds another revision (someone else wrote). */
  | {
      readonly type: 'write-failed';
      readonly account: string;
      readonly conflict: boolean;
      readonly reason: string;
    }
  /** A release is done (its link drained, its key deleted or left to expire); `dropped` updates never acknowledged. */
  | { readonly type: 'released'; readonly account: string; readonly dropped: number }
  /** A lost account's link stopped at once: `dropped` updates never published. */
  | { readonly type: 'aborted'; readonly account: string; readonly dropped: number }
  /** A held account's link: socket subscribed (or not any more), or one reconciliation ended. */
  | {
      readonly type: 'link';
      readonly account: string;
      readonly report: 'subscribed' | 'unsubscribed' | 'reconciled';
    }
  | { readonly type: 'stop'; readonly now: number }
  /** Every link let go after the drain: `dropped` updates were never acknowledged. */
  | { readonly type: 'drained'; readonly dropped: number };

/** One change of a key of the lease bucket, as its watcher sees it. */
export interface BucketEntry {
  readonly key: string;
  /** The value (a bridge id; a presence key's fingerprint); undefined: deleted or purged. */
  readonly owner: string | undefined;
  readonly revision: number;
  /**
   * Which watch delivered it (a new watch, after NATS or the bucket came back, delivers the bucket
   * as it is now: revisions of a re-created bucket start again from 1).
   */
  readonly watch: number;
}

/** What the lease step says happened (the bridge emits these as events). */
export type LeaseNotice =
  | { readonly type: 'claimed' | 'released'; readonly account: string }
  | { readonly type: 'lost'; readonly account: string; readonly reason: string }
  | { readonly type: 'lease-error'; readonly account: string; readonly reason: string };

/** What the shell does for the lease step. */
export type LeaseEffect =
  /** Create the key (absent), or take it over at `revision` (expired: unchanged for a lease). */
  | { readonly kind: 'claim'; readonly account: string; readonly revision?: number }
  | { readonly kind: 'renew'; readonly account: string; readonly revision: number }
  /** Let the link drain for at most `drainMs`, then delete the key at `revision`; then `released`. */
  | {
      readonly kind: 'release';
      readonly account: string;
      readonly revision: number;
      readonly drainMs: number;
    }
  /** Delete the key at `revision` at once (a claim that landed while stopping). */
  | { readonly kind: 'delete'; readonly account: string; readonly revision: number }
  /** Put this bridge's presence key. */
  | { readonly kind: 'announce' }
  | { readonly kind: 'start-link'; readonly account: string }
  /** Stop the link at once: nothing more is published for the account. */
  | { readonly kind: 'abort-link'; readonly account: string }
  /** Let every link drain for at most `ms`, then dispatch `drained`. */
  | { readonly kind: 'drain'; readonly accounts: readonly string[]; readonly ms: number }
  /** Delete these leases and the presence key, close NATS, say `stopped`. */
  | {
      readonly kind: 'finish';
      readonly leases: readonly (readonly [string, number])[];
      readonly dropped: number;
    }
  | { readonly kind: 'emit'; readonly notice: LeaseNotice }
  | { readonly kind: 'timer'; readonly ms: number };

/**
 * A lease this bridge holds: the revision it wrote, when it sent that write (its own clock), and
 * when it first sent a renewal of that revision still unanswered (a renewal whose answer timed out
 * may still land: the watch then shows it, and it was sent no earlier than `pendingSince`).
 */
export interface HeldLease {
  readonly revision: number;
  readonly renewedAt: number;
  readonly pendingSince?: number;
}

/** Where the lease machine stands. */
export interface LeaseState {
  /** `starting` (announced, not claiming yet), `running`, `draining` (stopping), `stopped`. */
  readonly phase: 'idle' | 'starting' | 'running' | 'draining' | 'stopped';
  /** When claiming may begin (the others have seen this bridge's presence by then). */
  readonly claimFrom: number;
  readonly ticks: number;
  /**
   * The bucket as seen: `written` is when this bridge first saw that revision (its own clock).
   * Persistent maps (`seen` and `held`): every renewal changes one entry of each, and a copy of a
   * 1,000-entry map per renewal was most of an idle bridge's garbage.
   */
  readonly seen: VersionedMap<LeaseEntry>;
  /** The watch `seen` comes from. */
  readonly watch: number;
  readonly held: VersionedMap<HeldLease>;
  /** Accounts with a write or a release in flight: nothing else is started for them. */
  readonly busy: ReadonlySet<string>;
  readonly subscribed: ReadonlySet<string>;
  readonly reconciled: ReadonlySet<string>;
  /** The fair share of the last decision. */
  readonly fairShare: number;
  /** Updates dropped so far by links let go (lost, released past their drain). */
  readonly dropped: number;
}

/** What the lease step is built with. */
export interface LeaseConfig {
  readonly self: string;
  /** {@link accountsFingerprint} of `accounts`. */
  readonly fingerprint: string;
  readonly accounts: readonly string[];
  /** The lease (the bucket's TTL), ms. */
  readonly leaseMs: number;
  /** Time between ticks, ms. */
  readonly tickMs: number;
  /** Ticks per renewal period (a lease / 3): each held account is renewed in its own one. */
  readonly slots: number;
  /** At most this many claims started in one tick. */
  readonly maxClaims: number;
  readonly drainTimeoutMs: number;
}

/**
 * The lease machine's timing from the lease: a renewal every third of it, spread over `slots`
 * ticks of 50…1 000 ms (16 per renewal period when the lease allows), so a bridge holding 500
 * accounts renews about 30 per tick, never all of them at once.
 *
 * ## Example
 * ```ts
 * leaseTiming(10_000); // { tickMs: 208, slots: 16 }
 * ```
 */
export function leaseTiming(leaseMs: number): { readonly tickMs: number; readonly slots: number } {
  const renewMs = leaseMs / 3;
  const tickMs = Math.round(Math.min(1_000, Math.max(50, renewMs / 16)));
  return { tickMs, slots: Math.max(1, Math.floor(renewMs / tickMs)) };
}

/**
 * The lease machine before `start`.
 *
 * ## Example
 * ```ts
 * const m = runMachine(leaseStep(config), initialLease(), perform);
 * ```
 */
export function initialLease(): LeaseState {
  return {
    phase: 'idle',
    claimFrom: 0,
    ticks: 0,
    seen: VersionedMap.empty(),
    held: VersionedMap.empty(),
    busy: new Set(),
    subscribed: new Set(),
    reconciled: new Set(),
    fairShare: 0,
    dropped: 0,
    watch: 0,
  };
}

/**
 * The tick in which `account` is renewed, of `slots` per renewal period: a stable hash, so
 * renewals are spread evenly and each account keeps its phase.
 *
 * ## Example
 * ```ts
 * renewSlot('b1', 'acct0', 16); // 0…15
 * ```
 */
export function renewSlot(self: string, account: string, slots: number): number {
  return affinity(`renew:${self}`, account) % slots;
}

/** `set` with or without `key` (a copy, or `set` itself when nothing changes). @internal */
export function toggled<K>(set: ReadonlySet<K>, key: K, on: boolean): ReadonlySet<K> {
  if (set.has(key) === on) return set;
  const out = new Set(set);
  if (on) out.add(key);
  else out.delete(key);
  return out;
}
