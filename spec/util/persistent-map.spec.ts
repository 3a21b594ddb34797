import fc from 'fast-check';
import { PersistentMap } from '../../lib/util/persistent-map';

type Op = { kind: 'set'; key: string; value: number } | { kind: 'delete'; key: string };
const key = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('a', 'b', 'aaveidr-limit-3397'));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('delete' as const), key }),
);

describe('PersistentMap', () => {
  it('behaves like a Map under any sequence of sets and deletes, leaving older versions untouched', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        let p = PersistentMap.empty<number>();
        const m = new Map<string, number>();
        const history: Array<[PersistentMap<number>, Array<[string, number]>]> = [];
        for (const o of ops) {
          const before = p;
          if (o.kind === 'set') {
            const same = m.get(o.key) === o.value;
            p = p.set(o.key, o.value);
            m.set(o.key, o.value);
            if (same) expect(p).toBe(before);
          } else {
            const had = m.has(o.key);
            p = p.delete(o.key);
            m.delete(o.key);
            if (!had) expect(p).toBe(before);
          }
          history.push([p, [...m.entries()].sort()]);
        }
        for (const [version, entries] of history) {
          expect([...version.entries()].sort()).toEqual(entries);
          expect(version.size).toBe(entries.length);
          for (const [k, v] of entries) {
            expect(version.get(k)).toBe(v);
            expect(version.has(k)).toBe(true);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('iterates equal contents in the same order whatever the order of inserts (canonical)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ maxLength: 6 }), { maxLength: 100 }),
        fc.integer(),
        (keys, seed) => {
          const a = PersistentMap.of(keys.map((k) => [k, 1] as const));
          const shuffled = [...keys].sort(
            (x, y) => ((x.length * 31 + seed) % 7) - ((y.length * 31 + seed) % 7),
          );
          let b = PersistentMap.of([...shuffled, 'extra'].map((k) => [k, 1] as const));
          if (!keys.includes('extra')) b = b.delete('extra');
          expect([...b.keys()]).toEqual([...a.keys()]);
          expect(b).toEqual(a);
        },
      ),
    );
  });

  it('handles hash collisions and large sizes', () => {
    // "Aa" and "BB" are not FNV collisions; force depth with many keys instead.
    let p = PersistentMap.empty<number>();
    for (let i = 0; i < 20_000; i++) p = p.set(`k${i}`, i);
    expect(p.size).toBe(20_000);
    expect(p.get('k12345')).toBe(12345);
    for (let i = 0; i < 20_000; i += 2) p = p.delete(`k${i}`);
    expect(p.size).toBe(10_000);
    expect(p.has('k12344')).toBe(false);
    let n = 0;
    p.forEach((v, k, map) => {
      expect(map.get(k)).toBe(v);
      n += 1;
    });
    expect(n).toBe(10_000);
    expect(JSON.stringify(PersistentMap.of([['x', 1]]))).toBe('{"x":1}');
    expect(Object.prototype.toString.call(p)).toBe('[object PersistentMap]');
  });
});
