import type { Step } from '../util/machine';
import { VersionedMap } from '../util/versioned-map';
import { fairShare, leaseView, planLeases, rankAccounts } from './lease-plan';
import {
  renewSlot,
  toggled,
  type HeldLease,
  type LeaseConfig,
  type LeaseEffect,
  type LeaseEvent,
  type LeaseState,
} from './lease-state';

type Result = readonly [LeaseState, readonly LeaseEffect[]];

/** Derived from the config once: the accounts in this bridge's order of preference, each one's renewal slot. */
interface Fixed {
  readonly ranked: readonly string[];
  readonly slots: ReadonlyMap<string, number>;
}

/**
 * The bridge's leases as one pure transition: what it holds, what the bucket shows, what to
 * write. No wall clock is ever read or compared with the server's stamps: a key whose revision
 * this bridge has seen unchanged for a whole lease (on its own clock, the `now` of its ticks)
 * counts as expired, and a lease it could not renew within a lease of sending the last
 * renewal counts as lost. So a clock 30 s off changes nothing.
 *
 * ```text
 * start ─► starting ─(a third of the lease: the others saw it)─► running ─stop─► draining ─drained─► stopped
 * tick (running):  lost by time · renew the accounts of this tick's slot · announce once a period
 *                  · release above the fair share · claim free or expired keys (bounded)
 * entry:           another owner or a delete of a held key ─► lost (abort the link at once)
 * ```
 *
 * ## Example
 * ```ts
 * const machine = runMachine(leaseStep(config), initialLease(), perform);
 * machine.dispatch({ type: 'start', now: scheduler.now() });
 * ```
 *
 * @param config - who this bridge is, its accounts, the lease and its timing
 * @returns the transition
 */
export function leaseStep(config: LeaseConfig): Step<LeaseState, LeaseEvent, LeaseEffect> {
  // what never changes for this bridge, worked out once instead of at every tick
  const fixed: Fixed = {
    ranked: rankAccounts(config.self, config.accounts),
    slots: new Map(config.accounts.map((a) => [a, renewSlot(config.self, a, config.slots)])),
  };
  return (state, event) => {
    switch (event.type) {
      case 'start':
        if (state.phase !== 'idle') return [state, []];
        return [
          { ...state, phase: 'starting', claimFrom: event.now + config.leaseMs / 3 },
          [{ kind: 'announce' }, { kind: 'timer', ms: config.tickMs }],
        ];
      case 'tick':
        return onTick(config, fixed, state, event.now);
      case 'entries':
        return onEntries(config, state, event);
      case 'written':
        return onWritten(config, state, event);
      case 'write-failed': {
        const s = { ...state, busy: toggled(state.busy, event.account, false) };
        if (!state.held.has(event.account)) return [s, []];
        if (event.conflict)
          return lose(s, event.account, `the lease was written by another bridge: ${event.reason}`);
        return [
          s,
          [{ kind: 'emit', notice: { type: 'lease-error', account: event.account, reason: event.reason } }],
        ];
      }
      case 'aborted':
        return [{ ...state, dropped: state.dropped + event.dropped }, []];
      case 'released':
        return [
          {
            ...state,
            busy: toggled(state.busy, event.account, false),
            dropped: state.dropped + event.dropped,
          },
          [{ kind: 'emit', notice: { type: 'released', account: event.account } }],
        ];
      case 'link': {
        if (!state.held.has(event.account)) return [state, []];
        if (event.report === 'reconciled')
          return [{ ...state, reconciled: toggled(state.reconciled, event.account, true) }, []];
        const on = event.report === 'subscribed';
        return [{ ...state, subscribed: toggled(state.subscribed, event.account, on) }, []];
      }
      case 'stop':
        if (state.phase === 'draining' || state.phase === 'stopped') return [state, []];
        return [
          { ...state, phase: 'draining' },
          [{ kind: 'drain', accounts: [...state.held.keys()], ms: config.drainTimeoutMs }],
        ];
      case 'drained':
        if (state.phase !== 'draining') return [state, []];
        return [
          { ...state, phase: 'stopped', held: VersionedMap.empty() },
          [
            {
              kind: 'finish',
              leases: [...state.held].map(([account, lease]) => [account, lease.revision] as const),
              dropped: state.dropped + event.dropped,
            },
          ],
        ];
    }
  };
}

/** Gives up a held account at once: its link is aborted, `lost` is said. */
function lose(state: LeaseState, account: string, reason: string): Result {
  return [
    {
      ...state,
      held: state.held.delete(account),
      subscribed: toggled(state.subscribed, account, false),
      reconciled: toggled(state.reconciled, account, false),
    },
    [
      { kind: 'abort-link', account },
      { kind: 'emit', notice: { type: 'lost', account, reason } },
    ],
  ];
}

function onEntries(
  config: LeaseConfig,
  state: LeaseState,
  event: Extract<LeaseEvent, { type: 'entries' }>,
): Result {
  let seen = state.seen;
  let s = state;
  const effects: LeaseEffect[] = [];
  for (const { key, owner, revision, watch } of event.entries) {
    if (watch > s.watch) {
      // a new watch: what the old one showed may be gone (a re-created bucket)
      seen = VersionedMap.empty();
      s = { ...s, watch };
    }
    const prev = seen.get(key);
    if (prev && prev.revision >= revision) continue; // an old delivery
    seen = owner === undefined ? seen.delete(key) : seen.set(key, { owner, revision, written: event.now });
    const held = s.held.get(key);
    if (!held || revision <= held.revision) continue;
    if (owner === config.self) {
      // our own write, told by the watch before (or instead of) its answer: it was sent no
      // earlier than the first renewal still pending
      const renewedAt = Math.max(held.renewedAt, held.pendingSince ?? held.renewedAt);
      s = { ...s, held: s.held.set(key, { revision, renewedAt }) };
      continue;
    }
    const [after, lost] = lose(
      s,
      key,
      owner === undefined ? 'the lease was deleted' : `the lease is held by ${owner}`,
    );
    s = after;
    effects.push(...lost);
  }
  return [seen === s.seen ? s : { ...s, seen }, effects];
}

function onWritten(
  config: LeaseConfig,
  state: LeaseState,
  event: Extract<LeaseEvent, { type: 'written' }>,
): Result {
  const { account, revision, sentAt } = event;
  const s = { ...state, busy: toggled(state.busy, account, false) }; // the watch tells `seen`
  const held = state.held.get(account);
  if (held) {
    // the watch may have told the revision first: the ack still says when the lease was renewed
    const renewed = {
      revision: Math.max(held.revision, revision),
      renewedAt: Math.max(held.renewedAt, sentAt),
    };
    return [{ ...s, held: state.held.set(account, renewed) }, []];
  }
  if (state.phase !== 'running' && state.phase !== 'starting')
    return [s, [{ kind: 'delete', account, revision }]];
  return [
    {
      ...s,
      held: state.held.set(account, { revision, renewedAt: sentAt }),
      subscribed: toggled(state.subscribed, account, false),
      reconciled: toggled(state.reconciled, account, false),
    },
    [
      { kind: 'emit', notice: { type: 'claimed', account } },
      { kind: 'start-link', account },
    ],
  ];
}

function onTick(config: LeaseConfig, fixed: Fixed, state: LeaseState, now: number): Result {
  if (state.phase === 'idle' || state.phase === 'stopped') return [state, []];
  const effects: LeaseEffect[] = [];
  let s: LeaseState = state;
  const slot = s.ticks % config.slots;
  if (slot === 0) effects.push({ kind: 'announce' }); // presence once a renewal period
  const busy = new Set(s.busy);
  // Read in place (a tick visits every held lease); what changes is applied after the loop.
  const expired: string[] = [];
  const renewing: [string, HeldLease][] = [];
  state.held.each((lease, account) => {
    // 1. a lease not renewed within a lease of sending its last renewal may be someone else's now
    if (now - lease.renewedAt >= config.leaseMs) return void expired.push(account);
    // 2. renewals spread: each account in its own slot
    if (busy.has(account)) return;
    const overdue = now - lease.renewedAt >= config.leaseMs / 3 + config.tickMs;
    const own = fixed.slots.get(account) ?? renewSlot(config.self, account, config.slots);
    if (!overdue && own !== slot) return;
    busy.add(account);
    effects.push({ kind: 'renew', account, revision: lease.revision });
    if (lease.pendingSince === undefined) renewing.push([account, lease]);
  });
  for (const account of expired) {
    const [after, lost] = lose(s, account, 'not renewed within the lease (NATS unreachable?)');
    s = after;
    effects.push(...lost);
  }
  let held = s.held;
  for (const [account, lease] of renewing) held = held.set(account, { ...lease, pendingSince: now });
  if (held !== s.held) s = { ...s, held };
  let phase = s.phase;
  if (phase === 'starting' && now >= s.claimFrom) phase = 'running';
  let share = s.fairShare;
  if (phase === 'running') {
    const planned = plan(config, fixed, s, now, busy);
    share = planned.share;
    for (const [account, lease] of planned.release) {
      held = held.delete(account);
      const left = lease.renewedAt + config.leaseMs - now - config.tickMs;
      effects.push({
        kind: 'release',
        account,
        revision: lease.revision,
        drainMs: Math.max(0, Math.min(config.drainTimeoutMs, left)),
      });
    }
    effects.push(...planned.claims);
  }
  effects.push({ kind: 'timer', ms: config.tickMs });
  return [{ ...s, phase, held, busy, ticks: s.ticks + 1, fairShare: share }, effects];
}

/** The fair-share decision on what this bridge sees now (expired keys left out); marks what it starts as busy. */
function plan(config: LeaseConfig, fixed: Fixed, state: LeaseState, now: number, busy: Set<string>) {
  const view = {
    ...leaseView(
      config.self,
      config.fingerprint,
      config.accounts,
      state.seen,
      now,
      config.leaseMs,
      state.held,
    ),
    ranked: fixed.ranked,
  };
  const release: [string, { revision: number; renewedAt: number }][] = [];
  const claims: LeaseEffect[] = [];
  for (const action of planLeases(view)) {
    const { account } = action;
    if (busy.has(account)) continue;
    if (action.kind === 'release') {
      const lease = state.held.get(account);
      if (!lease) continue;
      busy.add(account);
      release.push([account, lease]);
    } else if (claims.length < config.maxClaims && !state.held.has(account)) {
      // a free key, an expired one (taken over at the revision seen), or our own from before a restart
      const revision = action.kind === 'renew' ? action.revision : state.seen.get(account)?.revision;
      busy.add(account);
      claims.push(revision === undefined ? { kind: 'claim', account } : { kind: 'claim', account, revision });
    }
  }
  return { release, claims, share: fairShare(config.accounts.length, view.bridges.length) };
}
