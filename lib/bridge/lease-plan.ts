import { VersionedMap } from '../util/versioned-map';

/**
 * The prefix of a bridge's presence key in the lease bucket (`bridge.<id>`; account names hold no
 * `.`). Its value is the {@link accountsFingerprint} of the bridge's accounts file.
 */
export const PRESENCE_PREFIX = 'bridge.';

/**
 * One entry of the lease bucket: its value (the holder; a presence key's fingerprint), its
 * revision, and when this bridge first saw that revision, on its own clock (`scheduler.now()`,
 * ms): never the server's stamp, so no clock difference between hosts can make a lease look
 * expired or alive.
 */
export interface LeaseEntry {
  readonly owner: string;
  readonly revision: number;
  readonly written: number;
}

/** What a bridge sees when it decides: the bucket, the bridges alive, the accounts it can run. */
export interface LeaseView {
  /** This bridge's id. */
  readonly self: string;
  /** The accounts of this bridge's file, in file order. */
  readonly accounts: readonly string[];
  /** The bucket's account keys, expired ones (unchanged for a whole lease) left out. */
  readonly leases: ReadonlyMap<string, LeaseEntry>;
  /** The bridges with a live presence key, this one included. */
  readonly bridges: readonly string[];
  /**
   * `accounts` as {@link rankAccounts} orders them for `self`, when the caller keeps that (it
   * never changes): a decision then sorts nothing.
   */
  readonly ranked?: readonly string[];
}

/** One thing to do with a lease. */
export type LeaseAction =
  | { readonly kind: 'claim'; readonly account: string }
  | { readonly kind: 'renew'; readonly account: string; readonly revision: number }
  | { readonly kind: 'release'; readonly account: string; readonly revision: number };

/**
 * The most accounts one bridge should hold: `ceil(accounts / bridges)`, which is at most the
 * fair share (`accounts / bridges`) plus one.
 *
 * ## Example
 * ```ts
 * fairShare(6, 2); // 3
 * fairShare(7, 2); // 4
 * ```
 */
export function fairShare(accounts: number, bridges: number): number {
  return Math.ceil(accounts / Math.max(1, bridges));
}

/**
 * Which accounts a bridge can run, as a short stable text: bridges count each other for the fair
 * share only when they serve the same accounts (one with another file could not take the ones
 * released to it).
 *
 * ## Example
 * ```ts
 * accountsFingerprint(['acct1', 'acct0']) === accountsFingerprint(['acct0', 'acct1']); // true
 * ```
 */
export function accountsFingerprint(accounts: readonly string[]): string {
  return affinity('accounts', [...accounts].sort().join(',')).toString(16);
}

/**
 * What a bridge sees in the bucket, pure: the live leases of accounts, and the live bridges with its
 * own fingerprint (itself always included). `held`: the leases this bridge holds, counted as its
 * own and live whatever `entries` shows of them.
 *
 * ## Example
 * ```ts
 * const view = leaseView('a', fingerprint, accounts, entries, scheduler.now(), 10_000);
 * const actions = planLeases(view);
 * ```
 */
export function leaseView(
  self: string,
  fingerprint: string,
  accounts: readonly string[],
  entries: ReadonlyMap<string, LeaseEntry>,
  now: number,
  leaseMs: number,
  held?: ReadonlyMap<string, { readonly revision: number }>,
): LeaseView {
  // one pass, no copy of the bucket first (a decision runs at every tick)
  const leases = new Map<string, LeaseEntry>();
  const bridges = [self];
  eachEntry(entries, (entry, key) => {
    if (now - entry.written >= leaseMs) return; // unchanged for a whole lease: expired
    if (!key.startsWith(PRESENCE_PREFIX)) leases.set(key, entry);
    else if (entry.owner === fingerprint && key !== PRESENCE_PREFIX + self)
      bridges.push(key.slice(PRESENCE_PREFIX.length));
  });
  // what this bridge holds counts as it knows it, whatever the watch showed last
  if (held)
    eachEntry(held, (lease, account) =>
      leases.set(account, { owner: self, revision: lease.revision, written: now }),
    );
  return { self, accounts, leases, bridges };
}

/**
 * A stable score of (bridge, account) (FNV-1a): bridges prefer different accounts when they
 * claim at the same moment, and each gives up the ones it scores lowest.
 *
 * ## Example
 * ```ts
 * affinity('bridge-a', 'acct0') !== affinity('bridge-b', 'acct0'); // usually
 * ```
 */
export function affinity(bridge: string, account: string): number {
  let hash = 0x811c9dc5;
  const text = `${bridge}\u0000${account}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * One decision of a bridge, pure: renew every lease it holds (revision-checked); give up the
 * ones above its fair share when another live bridge holds fewer than the share; claim free
 * accounts (no live lease) up to the share, those it scores highest first.
 *
 * ```text
 * 6 accounts, bridges a and b:  a holds 6, b holds 0  →  a: renew 3, release 3;  b: claim 3
 * a dies (its leases expire):   b holds 3, 3 free     →  b: renew 3, claim 3
 * ```
 *
 * ## Example
 * ```ts
 * const actions = planLeases({ self: 'a', accounts, leases, bridges: ['a', 'b'] });
 * ```
 */
export function planLeases(view: LeaseView): LeaseAction[] {
  const share = fairShare(view.accounts.length, view.bridges.length);
  const counts = new Map<string, number>(view.bridges.map((b) => [b, 0]));
  for (const entry of view.leases.values()) counts.set(entry.owner, (counts.get(entry.owner) ?? 0) + 1);
  const ranked = view.ranked ?? rankAccounts(view.self, view.accounts);
  const mine = ranked.filter((a) => view.leases.get(a)?.owner === view.self);
  const alive = new Set(view.bridges);
  const othersShort = [...counts].some(([b, n]) => b !== view.self && alive.has(b) && n < share);
  const keep = othersShort ? mine.slice(0, share) : mine;
  const actions: LeaseAction[] = [];
  mine.forEach((account, i) => {
    const revision = view.leases.get(account)!.revision;
    actions.push(
      i < keep.length ? { kind: 'renew', account, revision } : { kind: 'release', account, revision },
    );
  });
  let room = share - keep.length;
  for (const account of ranked) {
    if (room <= 0) break;
    if (view.leases.has(account)) continue;
    actions.push({ kind: 'claim', account });
    room -= 1;
  }
  return actions;
}

/**
 * A bridge's accounts in its order of preference: the highest {@link affinity} first (ties in file
 * order). It keeps the first of those it holds and claims the first of the free ones.
 *
 * ## Example
 * ```ts
 * rankAccounts('bridge-a', ['acct0', 'acct1', 'acct2']); // some order of the three, always the same
 * ```
 */
export function rankAccounts(self: string, accounts: readonly string[]): string[] {
  // each score once (a 1,000-account sort would hash 20,000 times in its comparator)
  const score = new Map(accounts.map((a) => [a, affinity(self, a)]));
  return [...accounts].sort((x, y) => score.get(y)! - score.get(x)!);
}

/** Every entry of `map`, in place when it is a `VersionedMap` (nothing else of it is read meanwhile). */
function eachEntry<V>(map: ReadonlyMap<string, V>, callback: (value: V, key: string) => void): void {
  if (map instanceof VersionedMap) (map as VersionedMap<V>).each(callback);
  else map.forEach(callback);
}
