import {
  healthOf,
  healthTracker,
  initialHealthState,
  isReady,
  reduceHealth,
  type HealthFact,
  type HealthState,
} from '../../lib/bridge/bridge-health';
import type { BridgeHealth, BridgeMeter } from '../../lib/bridge/meter';

const state = (subscribed: string[], reconciled: string[]): HealthState => ({
  subscribed: new Set(subscribed),
  reconciled: new Set(reconciled),
});
const plain = (s: HealthState) => ({
  subscribed: [...s.subscribed].sort(),
  reconciled: [...s.reconciled].sort(),
});
const status = (
  account: string,
  s: 'subscribed' | 'refreshed' | 'disconnected' | 'connecting' | 'connected',
) =>
  ({
    type: 'status',
    account,
    status:
      s === 'subscribed'
        ? { state: s, channel: 'pws:#1' }
        : s === 'disconnected'
          ? { state: s, reason: 'x' }
          : s === 'connecting'
            ? { state: s, attempt: 1 }
            : s === 'connected'
              ? { state: s, client: 'c' }
              : { state: s },
  }) as HealthFact;

describe('reduceHealth', () => {
  it.each([
    {
      name: 'subscribed marks',
      from: state([], []),
      fact: status('a', 'subscribed'),
      want: state(['a'], []),
    },
    { name: 'refreshed marks', from: state([], []), fact: status('a', 'refreshed'), want: state(['a'], []) },
    {
      name: 'disconnected unmarks',
      from: state(['a', 'b'], ['a']),
      fact: status('a', 'disconnected'),
      want: state(['b'], ['a']),
    },
    {
      name: 'connecting unmarks',
      from: state(['a'], []),
      fact: status('a', 'connecting'),
      want: state([], []),
    },
    {
      name: 'connected is not subscribed yet',
      from: state(['a'], []),
      fact: status('a', 'connected'),
      want: state([], []),
    },
    {
      name: 'reconciled ok marks',
      from: state([], []),
      fact: { type: 'reconciled', account: 'a', result: 'ok' },
      want: state([], ['a']),
    },
    {
      name: 'reconciled changed marks',
      from: state([], []),
      fact: { type: 'reconciled', account: 'a', result: 'changed' },
      want: state([], ['a']),
    },
    {
      name: 'a failed reconciliation keeps an earlier one',
      from: state([], ['a']),
      fact: { type: 'reconciled', account: 'a', result: 'failed' },
      want: state([], ['a']),
    },
    {
      name: 'a claim starts afresh',
      from: state(['a'], ['a']),
      fact: { type: 'claimed', account: 'a' },
      want: state([], []),
    },
    {
      name: 'a release forgets',
      from: state(['a', 'b'], ['a', 'b']),
      fact: { type: 'released', account: 'a' },
      want: state(['b'], ['b']),
    },
    {
      name: 'a loss forgets',
      from: state(['a'], ['a']),
      fact: { type: 'lost', account: 'a' },
      want: state([], []),
    },
  ] satisfies { name: string; from: HealthState; fact: HealthFact; want: HealthState }[])(
    '$name',
    ({ from, fact, want }) => {
      expect(plain(reduceHealth(from, fact))).toEqual(plain(want));
    },
  );

  it.each([
    { name: 'subscribed again', from: state(['a'], []), fact: status('a', 'subscribed') },
    {
      name: 'a failed first reconciliation',
      from: state([], []),
      fact: { type: 'reconciled', account: 'a', result: 'failed' } as HealthFact,
    },
    {
      name: 'a release of an unknown account',
      from: state(['b'], []),
      fact: { type: 'released', account: 'a' } as HealthFact,
    },
  ])('no change returns the same state: $name', ({ from, fact }) => {
    expect(reduceHealth(from, fact)).toBe(from);
  });
});

describe('isReady / healthOf', () => {
  const h = (over: Partial<BridgeHealth>): BridgeHealth => ({
    natsConnected: true,
    held: ['a', 'b'],
    fairShare: 2,
    readyAccounts: ['a', 'b'],
    ...over,
  });
  it.each([
    { name: 'share held, all subscribed and reconciled', health: h({}), ready: true },
    { name: 'NATS down', health: h({ natsConnected: false }), ready: false },
    { name: 'below its share', health: h({ fairShare: 3 }), ready: false },
    { name: 'one account not ready', health: h({ readyAccounts: ['a'] }), ready: false },
    {
      name: 'nothing to hold (more bridges than accounts)',
      health: h({ held: [], fairShare: 0, readyAccounts: [] }),
      ready: true,
    },
  ])('$name → $ready', ({ health, ready }) => {
    expect(isReady(health)).toBe(ready);
  });

  it('healthOf lists the held accounts that are subscribed and reconciled', () => {
    const s = state(['a', 'b', 'gone'], ['a', 'c', 'gone']);
    expect(healthOf(s, { natsConnected: true, held: ['a', 'b', 'c'], fairShare: 3 })).toEqual({
      natsConnected: true,
      held: ['a', 'b', 'c'],
      fairShare: 3,
      readyAccounts: ['a'],
    });
  });
});

describe('healthTracker', () => {
  it('feeds the fold and the meter', () => {
    const calls: string[] = [];
    const meter: BridgeMeter = {
      published: (a, s) => calls.push(`published ${a} ${s}`),
      publishRetried: (a) => calls.push(`retried ${a}`),
      reconciled: (a, r) => calls.push(`reconciled ${a} ${r}`),
      reconnected: (a) => calls.push(`reconnected ${a}`),
      leaseChanged: (k, a) => calls.push(`lease ${k} ${a}`),
    };
    const t = healthTracker(meter);
    t.fact({ type: 'claimed', account: 'a' });
    t.fact(status('a', 'subscribed'));
    t.meter.reconciled('a', 'changed');
    t.meter.published('a', 0.002);
    t.meter.publishRetried('a');
    t.meter.reconnected('a');
    expect(plain(t.state())).toEqual({ subscribed: ['a'], reconciled: ['a'] });
    t.fact({ type: 'lost', account: 'a' });
    expect(plain(t.state())).toEqual(plain(initialHealthState));
    expect(calls).toEqual([
      'lease claimed a',
      'reconciled a changed',
      'published a 0.002',
      'retried a',
      'reconnected a',
      'lease lost a',
    ]);
  });

  it('works without a meter', () => {
    const t = healthTracker();
    t.fact({ type: 'claimed', account: 'a' });
    t.meter.reconciled('a', 'ok');
    expect(plain(t.state())).toEqual({ subscribed: [], reconciled: ['a'] });
  });
});
