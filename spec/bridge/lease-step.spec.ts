import { accountsFingerprint, PRESENCE_PREFIX } from '../../lib/bridge/lease-plan';
import {
  initialLease,
  leaseTiming,
  renewSlot,
  type LeaseConfig,
  type LeaseEffect,
  type LeaseEvent,
  type LeaseState,
} from '../../lib/bridge/lease-state';
import { leaseStep } from '../../lib/bridge/lease-step';
import { runMachine } from '../../lib/util/machine';

// The lease step in virtual time: `now` is the bridge's own clock (what `scheduler.now()` gives);
// no event carries a server stamp or a wall clock, so a skewed clock cannot reach a decision.
const accounts = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];
const LEASE = 3_000;
const config: LeaseConfig = {
  self: 'me',
  fingerprint: accountsFingerprint(accounts),
  accounts,
  leaseMs: LEASE,
  tickMs: 100,
  slots: 10,
  maxClaims: 100,
  drainTimeoutMs: 5_000,
};
const step = leaseStep(config);

/** Folds `events`; with `ack`, every renewal is acknowledged at once (as a healthy NATS would). */
function run(events: readonly LeaseEvent[], from: LeaseState = initialLease(), ack = false) {
  const effects: LeaseEffect[] = [];
  let state = from;
  const queue = [...events];
  let now = 0;
  for (let e = queue.shift(); e; e = queue.shift()) {
    if ('now' in e) now = e.now;
    const [next, fx] = step(state, e);
    state = next;
    effects.push(...fx);
    if (ack)
      for (const f of fx)
        if (f.kind === 'renew')
          queue.unshift({ type: 'written', account: f.account, revision: f.revision + 1, sentAt: now });
  }
  return { state, effects };
}

const ticks = (from: number, to: number, every = 100): LeaseEvent[] =>
  Array.from({ length: Math.floor((to - from) / every) + 1 }, (_, i) => ({
    type: 'tick',
    now: from + i * every,
  }));
const kinds = (fx: readonly LeaseEffect[], kind: LeaseEffect['kind']) => fx.filter((f) => f.kind === kind);
const entry = (key: string, owner: string | undefined, revision: number, now: number): LeaseEvent => ({
  type: 'entries',
  entries: [{ key, owner, revision, watch: 1 }],
  now,
});

/** Running since 0, holding `held` (written at `at`), the rest owned by `peer` (seen at `at`). */
function holding(held: readonly string[], at = 1_000, peer = 'peer'): LeaseState {
  const started = run([
    { type: 'start', now: 0 },
    { type: 'tick', now: 1_000 },
  ]).state;
  const events: LeaseEvent[] = [entry(`${PRESENCE_PREFIX}${peer}`, config.fingerprint, 1, at)];
  accounts.forEach((a, i) => {
    if (held.includes(a)) events.push({ type: 'written', account: a, revision: 10 + i, sentAt: at });
    else events.push(entry(a, peer, 10 + i, at));
  });
  return run(events, { ...started, busy: new Set() }).state;
}

describe('leaseStep', () => {
  it.each<{
    name: string;
    from: () => LeaseState;
    events: LeaseEvent[];
    ack?: boolean;
    expect: (r: ReturnType<typeof run>) => void;
  }>([
    {
      name: 'start: announces, claims nothing before a third of the lease (the others see it first)',
      from: initialLease,
      events: [{ type: 'start', now: 0 }, ...ticks(100, 900)],
      expect: ({ state, effects }) => {
        expect(state.phase).toBe('starting');
        expect(kinds(effects, 'announce').length).toBeGreaterThan(0);
        expect(kinds(effects, 'claim')).toEqual([]);
      },
    },
    {
      name: 'alone after a third of the lease: claims every free account, each once',
      from: initialLease,
      events: [{ type: 'start', now: 0 }, ...ticks(100, 1_500)],
      expect: ({ state, effects }) => {
        expect(state.phase).toBe('running');
        expect(
          kinds(effects, 'claim')
            .map((c) => (c.kind === 'claim' ? c.account : ''))
            .sort(),
        ).toEqual(accounts);
        expect(state.busy.size).toBe(6);
      },
    },
    {
      name: 'a claim acknowledged: held, claimed, its link started',
      from: () =>
        run([
          { type: 'start', now: 0 },
          { type: 'tick', now: 1_000 },
        ]).state,
      events: [{ type: 'written', account: 'a0', revision: 7, sentAt: 1_000 }],
      expect: ({ state, effects }) => {
        expect(state.held.get('a0')).toEqual({ revision: 7, renewedAt: 1_000 });
        expect(effects).toEqual([
          { kind: 'emit', notice: { type: 'claimed', account: 'a0' } },
          { kind: 'start-link', account: 'a0' },
        ]);
      },
    },
    {
      name: 'renewals are spread: over one period each held account is renewed exactly once, in its own slot',
      from: () => holding(['a0', 'a1', 'a2'], 1_000),
      events: ticks(1_100, 2_000),
      expect: ({ effects }) => {
        const renewed = kinds(effects, 'renew').map((r) => (r.kind === 'renew' ? r.account : ''));
        expect(renewed.sort()).toEqual(['a0', 'a1', 'a2']);
      },
    },
    {
      name: 'a renewal overdue (its slot missed) is sent at the next tick',
      from: () => holding(['a0'], 1_000),
      events: [{ type: 'tick', now: 2_200 }],
      expect: ({ effects }) =>
        expect(kinds(effects, 'renew')).toEqual([{ kind: 'renew', account: 'a0', revision: 10 }]),
    },
    {
      name: 'not renewed within a lease of the last renewal sent (NATS away): lost, its link aborted at once',
      from: () => ({ ...holding(['a0'], 1_000), busy: new Set(['a0']) }),
      events: [{ type: 'tick', now: 4_000 }],
      expect: ({ state, effects }) => {
        expect(state.held.has('a0')).toBe(false);
        expect(effects.slice(0, 2)).toEqual([
          { kind: 'abort-link', account: 'a0' },
          {
            kind: 'emit',
            notice: { type: 'lost', account: 'a0', reason: expect.stringContaining('not renewed') },
          },
        ]);
      },
    },
    {
      name: 'another owner at a newer revision of a held key: lost at once',
      from: () => holding(['a0'], 1_000),
      events: [entry('a0', 'intruder', 11, 1_200)],
      expect: ({ state, effects }) => {
        expect(state.held.has('a0')).toBe(false);
        expect(effects).toContainEqual({ kind: 'abort-link', account: 'a0' });
      },
    },
    {
      name: 'one batch of the watch: stale deliveries skipped, a peer seen, a held key taken: lost',
      from: () => holding(['a0', 'a1'], 1_000),
      events: [
        {
          type: 'entries',
          now: 1_400,
          entries: [
            { key: 'a3', owner: 'peer', revision: 5, watch: 1 }, // older than seen (13)
            { key: 'a4', owner: 'peer', revision: 40, watch: 1 },
            { key: 'a1', owner: 'intruder', revision: 41, watch: 1 },
          ],
        },
      ],
      expect: ({ state, effects }) => {
        expect(state.seen.get('a3')?.revision).toBe(13);
        expect(state.seen.get('a4')).toEqual({ owner: 'peer', revision: 40, written: 1_400 });
        expect([...state.held.keys()]).toEqual(['a0']);
        expect(effects).toContainEqual({ kind: 'abort-link', account: 'a1' });
      },
    },
    {
      name: 'a new watch (the bucket re-created, revisions from 1 again): what it shows replaces what the old one showed',
      from: () => holding(['a0'], 1_000),
      events: [
        { type: 'entries', now: 5_000, entries: [{ key: 'a3', owner: 'other', revision: 2, watch: 2 }] },
      ],
      expect: ({ state }) => {
        expect(state.seen.get('a3')).toEqual({ owner: 'other', revision: 2, written: 5_000 });
        expect(state.seen.has('a4')).toBe(false);
        expect(state.held.has('a0')).toBe(true);
      },
    },
    {
      name: 'our own renewal seen through the watch: nothing changes',
      from: () => holding(['a0'], 1_000),
      events: [entry('a0', 'me', 10, 1_500)],
      expect: ({ state, effects }) => {
        expect(state.held.has('a0')).toBe(true);
        expect(effects).toEqual([]);
      },
    },
    {
      name: 'our renewal landed though its answer timed out: the watch tells, the lease counts from when it was sent',
      from: () => holding(['a0'], 1_000),
      events: [
        { type: 'tick', now: 2_200 }, // overdue: renewal sent
        {
          type: 'write-failed',
          account: 'a0',
          conflict: false,
          reason: 'no answer from NATS within 1000 ms',
        },
        entry('a0', 'me', 42, 2_500),
        { type: 'tick', now: 4_100 },
      ],
      expect: ({ state, effects }) => {
        expect(state.held.get('a0')).toMatchObject({ revision: 42, renewedAt: 2_200 });
        expect(kinds(effects, 'abort-link')).toEqual([]);
        expect(kinds(effects, 'renew')).toEqual([
          { kind: 'renew', account: 'a0', revision: 10 },
          { kind: 'renew', account: 'a0', revision: 42 },
        ]);
      },
    },
    {
      name: 'our renewal seen through the watch before its ack: the ack still renews the lease',
      from: () => holding(['a0'], 1_000),
      events: [
        entry('a0', 'me', 42, 1_300),
        { type: 'written', account: 'a0', revision: 42, sentAt: 1_250 },
        { type: 'tick', now: 4_100 },
      ],
      expect: ({ state, effects }) => {
        expect(state.held.get('a0')).toMatchObject({ revision: 42, renewedAt: 1_250 });
        expect(kinds(effects, 'abort-link')).toEqual([]);
      },
    },
    {
      name: 'a renewal refused as a revision conflict: lost; any other failure: lease-error, still held',
      from: () => holding(['a0', 'a1'], 1_000),
      events: [
        { type: 'write-failed', account: 'a0', conflict: true, reason: 'wrong last sequence' },
        { type: 'write-failed', account: 'a1', conflict: false, reason: 'timeout' },
      ],
      expect: ({ state, effects }) => {
        expect([...state.held.keys()]).toEqual(['a1']);
        expect(effects).toContainEqual({
          kind: 'emit',
          notice: { type: 'lease-error', account: 'a1', reason: 'timeout' },
        });
      },
    },
    {
      name: 'clock skew cannot matter: a peer renewing every third of the lease is never taken over, ours stay ours',
      from: () => holding(['a0', 'a1', 'a2'], 1_000),
      ack: true,
      events: [1, 2, 3, 4, 5, 6].flatMap((k) => [
        ...['a3', 'a4', 'a5'].map((a, i) => entry(a, 'peer', 100 * k + i, 1_000 + k * 1_000)),
        entry(`${PRESENCE_PREFIX}peer`, config.fingerprint, 100 * k + 50, 1_000 + k * 1_000),
        ...ticks(1_000 + k * 1_000 + 100, 1_000 + k * 1_000 + 900),
      ]),
      expect: ({ effects }) => {
        expect(kinds(effects, 'claim')).toEqual([]);
        expect(kinds(effects, 'abort-link')).toEqual([]);
      },
    },
    {
      name: 'a peer that stopped renewing (SIGKILL): its keys taken over at the revision seen, within lease + a tick',
      from: () => holding(['a0', 'a1', 'a2'], 1_000),
      events: ticks(1_100, 1_000 + LEASE + 100),
      expect: ({ effects }) => {
        expect(kinds(effects, 'claim')).toEqual([
          expect.objectContaining({ kind: 'claim', revision: expect.any(Number) }),
          expect.objectContaining({ kind: 'claim', revision: expect.any(Number) }),
          expect.objectContaining({ kind: 'claim', revision: expect.any(Number) }),
        ]);
      },
    },
    {
      name: 'above the fair share with a newcomer (3 bridges): releases down to the share, drain bounded by the lease left',
      from: () =>
        run([entry(`${PRESENCE_PREFIX}new`, config.fingerprint, 99, 1_500)], holding(accounts, 1_000)).state,
      events: [{ type: 'tick', now: 1_600 }],
      expect: ({ state, effects }) => {
        const releases = kinds(effects, 'release');
        expect(releases).toHaveLength(4);
        for (const r of releases)
          if (r.kind === 'release') expect(r.drainMs).toBe(1_000 + LEASE - 1_600 - 100);
        expect(state.held.size).toBe(2);
        expect(state.fairShare).toBe(2);
      },
    },
    {
      name: 'stop: claims nothing more, drains every held link; renewals go on while draining',
      from: () => holding(['a0', 'a1'], 1_000),
      events: [{ type: 'stop', now: 1_050 }, ...ticks(1_100, 5_000)],
      expect: ({ state, effects }) => {
        expect(state.phase).toBe('draining');
        expect(effects[0]).toEqual({ kind: 'drain', accounts: ['a0', 'a1'], ms: 5_000 });
        expect(kinds(effects, 'claim')).toEqual([]);
        expect(kinds(effects, 'renew').length).toBeGreaterThan(0);
      },
    },
    {
      name: 'drained: deletes the leases it holds, says how many updates were dropped (lost links counted too)',
      from: () => run([{ type: 'stop', now: 1_050 }], holding(['a0'], 1_000)).state,
      events: [
        { type: 'aborted', account: 'a5', dropped: 3 },
        { type: 'drained', dropped: 4 },
      ],
      expect: ({ state, effects }) => {
        expect(state.phase).toBe('stopped');
        expect(state.held.size).toBe(0); // its own deletes, seen through the watch, are no `lost`
        expect(effects).toEqual([{ kind: 'finish', leases: [['a0', 10]], dropped: 7 }]);
      },
    },
    {
      name: 'a claim acknowledged while stopping: deleted at once, never run',
      from: () => run([{ type: 'stop', now: 1_050 }], holding([], 1_000)).state,
      events: [{ type: 'written', account: 'a3', revision: 40, sentAt: 1_000 }],
      expect: ({ state, effects }) => {
        expect(state.held.size).toBe(0);
        expect(effects).toEqual([{ kind: 'delete', account: 'a3', revision: 40 }]);
      },
    },
    {
      name: 'ready: a held account subscribed and reconciled once',
      from: () => holding(['a0', 'a1'], 1_000),
      events: [
        { type: 'link', account: 'a0', report: 'subscribed' },
        { type: 'link', account: 'a0', report: 'reconciled' },
        { type: 'link', account: 'a1', report: 'subscribed' },
        { type: 'link', account: 'a9', report: 'subscribed' },
      ],
      expect: ({ state }) => {
        expect([...state.subscribed].sort()).toEqual(['a0', 'a1']);
        expect([...state.reconciled]).toEqual(['a0']);
      },
    },
  ])('$name', ({ from, events, ack, expect: check }) => check(run(events, from(), ack)));
});

describe('renewal spread at 1,000 accounts', () => {
  it('the default lease: no tick renews more than twice its even share', () => {
    const { slots } = leaseTiming(10_000);
    const names = Array.from({ length: 500 }, (_, i) => `acct${i}`);
    const perSlot = new Array<number>(slots).fill(0);
    for (const n of names) perSlot[renewSlot('bench-a', n, slots)]! += 1;
    expect(Math.max(...perSlot)).toBeLessThanOrEqual((2 * names.length) / slots);
  });

  it.each([
    { leaseMs: 500, tickMs: 50, slots: 3 },
    { leaseMs: 10_000, tickMs: 208, slots: 16 },
    { leaseMs: 600_000, tickMs: 1_000, slots: 200 },
  ])('leaseTiming($leaseMs) = $tickMs ms × $slots', ({ leaseMs, tickMs, slots }) =>
    expect(leaseTiming(leaseMs)).toEqual({ tickMs, slots }),
  );
});

describe('under runMachine', () => {
  it('a write result dispatched while effects run is stepped after them, in order', () => {
    const performed: LeaseEffect['kind'][] = [];
    const machine = runMachine(step, initialLease(), (effect, dispatch) => {
      performed.push(effect.kind);
      if (effect.kind === 'claim')
        dispatch({ type: 'written', account: effect.account, revision: 1, sentAt: 1_000 });
    });
    machine.dispatch({ type: 'start', now: 0 });
    machine.dispatch({ type: 'tick', now: 1_000 });
    expect(machine.state().held.size).toBe(6);
    expect(performed.filter((k) => k === 'start-link')).toHaveLength(6);
  });
});
