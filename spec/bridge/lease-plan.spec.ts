import fc from 'fast-check';
import {
  accountsFingerprint,
  affinity,
  fairShare,
  leaseView,
  planLeases,
  rankAccounts,
  type LeaseAction,
  type LeaseEntry,
} from '../../lib/bridge/lease-plan';

const accounts = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5'];

function leases(owners: Record<string, string>): Map<string, LeaseEntry> {
  return new Map(Object.entries(owners).map(([k, owner], i) => [k, { owner, revision: i + 1, written: 0 }]));
}

function kinds(actions: readonly LeaseAction[]): Record<string, number> {
  return actions.reduce<Record<string, number>>((m, a) => ({ ...m, [a.kind]: (m[a.kind] ?? 0) + 1 }), {});
}

describe('fairShare', () => {
  it.each([
    [6, 2, 3],
    [7, 2, 4],
    [1, 3, 1],
    [0, 2, 0],
    [5, 0, 5],
  ])('%i accounts over %i bridges: at most %i each', (n, b, share) => expect(fairShare(n, b)).toBe(share));
});

describe('planLeases', () => {
  it.each<[string, Record<string, string>, string[], Record<string, number>]>([
    ['alone, nothing held: claims all', {}, ['x'], { claim: 6 }],
    ['two bridges, nothing held: claims its share', {}, ['x', 'y'], { claim: 3 }],
    [
      'holds all, a newcomer: renews 3, releases 3',
      Object.fromEntries(accounts.map((a) => [a, 'x'])),
      ['x', 'y'],
      { renew: 3, release: 3 },
    ],
    [
      'holds its share: renews only',
      { a0: 'x', a1: 'x', a2: 'x', a3: 'y', a4: 'y', a5: 'y' },
      ['x', 'y'],
      { renew: 3 },
    ],
    [
      'the other died (its leases expired): claims the rest',
      { a0: 'x', a1: 'x', a2: 'x' },
      ['x'],
      { renew: 3, claim: 3 },
    ],
    [
      'above share while a third bridge holds none: gives back down to the share',
      { a0: 'x', a1: 'x', a2: 'x', a3: 'x', a4: 'y', a5: 'y' },
      ['x', 'y', 'z'],
      { renew: 2, release: 2 },
    ],
    [
      'holds 4 of 7 with 2 bridges, other holds 3: renews',
      { a0: 'x', a1: 'x', a2: 'x', a3: 'x', a4: 'y', a5: 'y', a6: 'y' },
      ['x', 'y'],
      { renew: 4 },
    ],
  ])('%s', (_, owners, bridges, expected) => {
    const list = Object.keys(owners).includes('a6') ? [...accounts, 'a6'] : accounts;
    expect(kinds(planLeases({ self: 'x', accounts: list, leases: leases(owners), bridges }))).toEqual(
      expected,
    );
  });

  it('renews with the revision it read, and never touches another bridge’s lease', () => {
    const actions = planLeases({
      self: 'x',
      accounts,
      leases: leases({ a0: 'x', a1: 'y' }),
      bridges: ['x', 'y'],
    });
    expect(actions).toContainEqual({ kind: 'renew', account: 'a0', revision: 1 });
    expect(actions.some((a) => a.account === 'a1')).toBe(false);
  });

  it('two bridges claiming at once prefer different accounts', () => {
    const x = planLeases({
      self: 'bridge-a',
      accounts,
      leases: new Map(),
      bridges: ['bridge-a', 'bridge-b'],
    });
    const y = planLeases({
      self: 'bridge-b',
      accounts,
      leases: new Map(),
      bridges: ['bridge-a', 'bridge-b'],
    });
    const overlap = x.filter((a) => y.some((b) => b.account === a.account)).length;
    expect(overlap).toBeLessThan(3);
    expect(affinity('bridge-a', 'a0')).toBe(affinity('bridge-a', 'a0'));
  });

  it('property: bridges taking turns settle with every account owned and none above its fair share + 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.nat(), { minLength: 60, maxLength: 60 }),
        (n, b, turns) => {
          const names = Array.from({ length: n }, (_, i) => `acct${i}`);
          const bridges = Array.from({ length: b }, (_, i) => `b${i}`);
          // one bridge's turn: plan on what it sees, then perform (a claim wins only if still free)
          const turn = (state: Map<string, LeaseEntry>, self: string) => {
            const next = new Map(state);
            for (const a of planLeases({ self, accounts: names, leases: state, bridges })) {
              if (a.kind === 'release') next.delete(a.account);
              else if (a.kind === 'claim' && !next.has(a.account))
                next.set(a.account, { owner: self, revision: 1, written: 0 });
            }
            return next;
          };
          let state = new Map<string, LeaseEntry>();
          for (const t of turns) state = turn(state, bridges[t % b]!);
          for (let round = 0; round < 3 * b; round++) for (const self of bridges) state = turn(state, self);
          expect(state.size).toBe(n);
          const counts = new Map<string, number>();
          for (const e of state.values()) counts.set(e.owner, (counts.get(e.owner) ?? 0) + 1);
          for (const c of counts.values()) expect(c).toBeLessThanOrEqual(n / b + 1);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('rankAccounts', () => {
  it('orders by affinity, highest first, ties in file order; the same every time', () => {
    const names = Array.from({ length: 50 }, (_, i) => `acct${i}`);
    const ranked = rankAccounts('bridge-a', names);
    expect([...ranked].sort()).toEqual([...names].sort());
    ranked
      .slice(1)
      .forEach((a, i) =>
        expect(affinity('bridge-a', ranked[i]!)).toBeGreaterThanOrEqual(affinity('bridge-a', a)),
      );
    expect(rankAccounts('bridge-a', names)).toEqual(ranked);
  });

  it('a decision given the ranking is the decision without it (property)', () => {
    const owner = fc.constantFrom<string | undefined>('x', 'y', 'z', undefined);
    fc.assert(
      fc.property(
        fc.array(owner, { minLength: 0, maxLength: 12 }),
        fc.subarray(['y', 'z']),
        (owners, others) => {
          const names = owners.map((_, i) => `a${i}`);
          const held = Object.fromEntries(
            owners.flatMap((o, i) => (o === undefined ? [] : [[`a${i}`, o] as const])),
          );
          const view = { self: 'x', accounts: names, leases: leases(held), bridges: ['x', ...others] };
          expect(planLeases({ ...view, ranked: rankAccounts('x', names) })).toEqual(planLeases(view));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('leaseView', () => {
  const fp = accountsFingerprint(accounts);
  const at = (owner: string, written = 9_000): LeaseEntry => ({ owner, revision: 1, written });
  it('splits leases from presence keys; counts only live bridges serving the same accounts', () => {
    const entries = new Map<string, LeaseEntry>([
      ['a0', at('x')],
      ['a1', at('y', 0)], // expired
      ['bridge.x', at(fp)],
      ['bridge.y', at(fp, 0)], // expired
      ['bridge.z', at(accountsFingerprint(['other']))], // another file: cannot take ours
      ['bridge.w', at(fp)],
    ]);
    const view = leaseView('x', fp, accounts, entries, 10_000, 2_000);
    expect([...view.leases.keys()]).toEqual(['a0']);
    expect(view.bridges).toEqual(['x', 'w']);
  });

  it('an entry exactly a lease old is expired', () => {
    const entries = new Map<string, LeaseEntry>([
      ['a0', at('y', 8_001)],
      ['a1', at('y', 8_000)],
    ]);
    expect([...leaseView('x', fp, accounts, entries, 10_000, 2_000).leases.keys()]).toEqual(['a0']);
  });

  it('what the bridge holds counts as its own and live, whatever the watch showed last', () => {
    const entries = new Map<string, LeaseEntry>([
      ['a0', at('y', 0)], // expired in the watch's view: our renewal not seen yet
      ['a1', at('y')],
    ]);
    const view = leaseView('x', fp, accounts, entries, 10_000, 2_000, new Map([['a0', { revision: 7 }]]));
    expect(view.leases.get('a0')).toEqual({ owner: 'x', revision: 7, written: 10_000 });
    expect(view.leases.get('a1')?.owner).toBe('y');
  });

  it('a bridge with another file is not counted: nothing is released to it', () => {
    const entries = new Map<string, LeaseEntry>([
      ...accounts.map((a): [string, LeaseEntry] => [a, at('x')]),
      ['bridge.z', at(accountsFingerprint([]))],
    ]);
    expect(kinds(planLeases(leaseView('x', fp, accounts, entries, 10_000, 2_000)))).toEqual({ renew: 6 });
  });

  it('fingerprints ignore order', () => {
    expect(accountsFingerprint(['b', 'a'])).toBe(accountsFingerprint(['a', 'b']));
    expect(accountsFingerprint(['a'])).not.toBe(accountsFingerprint(['a', 'b']));
  });
});
