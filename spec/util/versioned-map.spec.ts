import fc from 'fast-check';
import { REROOT_LIMIT, VersionedMap } from '../../lib/util/versioned-map';
import { deepFreeze } from '../orders/freeze';

type Model = ReadonlyMap<string, number>;
type Step =
  | { kind: 'set'; from: number; key: string; value: number }
  | { kind: 'delete'; from: number; key: string }
  | { kind: 'read'; from: number; key: string };

const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'constructor', '__proto__', '');
/** `from` picks a version: mostly the newest (a long chain), sometimes any older one (a branch). */
const stepOf = (newest: number): fc.Arbitrary<Step> => {
  const from = fc.oneof({ weight: newest, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat() });
  return fc.oneof(
    fc.record({ kind: fc.constant('set' as const), from, key, value: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ kind: fc.constant('delete' as const), from, key }),
    fc.record({ kind: fc.constant('read' as const), from, key }),
  );
};
const step = stepOf(4);

const sorted = (m: Iterable<[string, number]>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function expectSame(version: VersionedMap<number>, model: Model): void {
  expect(version.size).toBe(model.size);
  expect(sorted(version.entries())).toEqual(sorted(model.entries()));
  for (const [k, v] of model) {
    expect(version.get(k)).toBe(v);
    expect(version.has(k)).toBe(true);
  }
}

/** Runs `steps` over versions made from `start`; every version must keep its contents. */
function run(steps: readonly Step[], freeze: boolean): void {
  const versions: Array<[VersionedMap<number>, Model]> = [[VersionedMap.empty<number>(), new Map()]];
  const pick = (i: number) =>
    versions[i < 0 ? versions.length - 1 : i % versions.length] as [VersionedMap<number>, Model];
  for (const s of steps) {
    const [version, model] = pick(s.from);
    if (s.kind === 'read') {
      expect(version.get(s.key)).toBe(model.get(s.key));
      expect(version.has(s.key)).toBe(model.has(s.key));
      continue;
    }
    const next = new Map(model);
    // `replace` is `set` with the value just read (as the store calls it).
    const after =
      s.kind === 'delete'
        ? version.delete(s.key)
        : s.value % 2 === 0
          ? version.set(s.key, s.value)
          : version.replace(s.key, version.get(s.key), s.value);
    const unchanged = s.kind === 'set' ? model.get(s.key) === s.value : !model.has(s.key);
    if (s.kind === 'set') next.set(s.key, s.value);
    else next.delete(s.key);
    if (unchanged) expect(after).toBe(version);
    versions.push([freeze ? deepFreeze(after) : after, next]);
  }
  // Read back in a scrambled order: every read may move the shared `Map`.
  for (let i = versions.length - 1; i >= 0; i -= 2) expectSame(...pick(i));
  for (let i = 0; i < versions.length; i += 2) expectSame(...pick(i));
}

describe('VersionedMap', () => {
  it('every version keeps its contents under any sets, deletes, branches and reads', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300, size: 'max' }), (steps) => run(steps, false)),
      { numRuns: 100 },
    );
  });

  it(`keeps them too when chains grow past ${REROOT_LIMIT} (detached reads and forked writes)`, () => {
    fc.assert(
      fc.property(fc.array(stepOf(40), { minLength: 400, maxLength: 1200 }), (steps) => run(steps, false)),
      { numRuns: 12 },
    );
  });

  it('works the same on deep-frozen versions', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120, size: 'max' }), (steps) => run(steps, true)),
      { numRuns: 100 },
    );
  });

  it(`detaches a version more than ${REROOT_LIMIT} changes away, leaving the others intact`, () => {
    const first = VersionedMap.of([['k0', 0]]);
    let v = first;
    const all = [first];
    for (let i = 1; i <= 5 * REROOT_LIMIT; i++) all.push((v = v.set(`k${i % 7}`, i)));
    // The oldest is far from the newest: reading it must not disturb the newest, and back.
    expect(first.get('k0')).toBe(0);
    expect(first.size).toBe(1);
    expect(v.get('k0')).toBe(5 * REROOT_LIMIT - ((5 * REROOT_LIMIT) % 7));
    for (let i = 0; i < all.length; i += 17) {
      const expected = new Map<string, number>([['k0', 0]]);
      for (let j = 1; j <= i; j++) expected.set(`k${j % 7}`, j);
      expectSame(all[i] as VersionedMap<number>, expected);
    }
    // Writing from the far old version forks it; the newest goes on unchanged.
    const branch = first.set('x', 1);
    expect(branch.get('x')).toBe(1);
    expect(v.has('x')).toBe(false);
    expect(v.set('y', 2).get('y')).toBe(2);
  });

  it('reroots a reader lagging up to `size` changes behind a large map, and detaches beyond', () => {
    // 300 entries: versions up to 300 records away are rerooted (and the newest back after
    // them), farther ones detached; both ways every version keeps its contents.
    let v = VersionedMap.of<number>(Array.from({ length: 300 }, (_, i) => [`k${i}`, 0] as const));
    const versions: Array<[VersionedMap<number>, Map<string, number>]> = [];
    const model = new Map([...v.entries()]);
    for (let i = 1; i <= 900; i++) {
      v = i % 5 === 0 ? v.delete(`k${i % 300}`) : v.set(`k${i % 300}`, i);
      if (i % 5 === 0) model.delete(`k${i % 300}`);
      else model.set(`k${i % 300}`, i);
      versions.push([v, new Map(model)]);
      // The lagging reader: 100 behind, then 250, then 400 (beyond the limit).
      for (const lag of [100, 250, 400]) {
        const seen = versions[versions.length - 1 - lag];
        if (seen && i % 97 === 0) expectSame(seen[0], seen[1]);
      }
    }
    for (let i = 0; i < versions.length; i += 41)
      expectSame(...(versions[i] as [VersionedMap<number>, Map<string, number>]));
  });

  it('starts a new lineage after many changes, so an unread old version stays right', () => {
    const old = VersionedMap.of([['a', 1]]);
    let v = old;
    for (let i = 0; i < 5000; i++) v = v.set(`k${i % 50}`, i);
    expect(v.size).toBe(51);
    expect(v.get('k49')).toBe(4999);
    expectSame(old, new Map([['a', 1]]));
  });

  it('keeps stores seeded with one shared empty version apart', () => {
    const seed = VersionedMap.empty<number>();
    let a = seed;
    let b = seed;
    for (let i = 0; i < 200; i++) {
      a = a.set(`a${i}`, i);
      b = b.set(`b${i}`, i).delete(`b${i - 1}`);
    }
    expect(a.size).toBe(200);
    expect(b.size).toBe(1);
    expect(b.get('b199')).toBe(199);
    expect(a.has('b199')).toBe(false);
    expect(seed.size).toBe(0);
    expect([...seed.keys()]).toEqual([]);
  });

  it('keeps them apart also when the seed is read between their writes (no Map moved back and forth)', () => {
    const seed = VersionedMap.empty<number>();
    let a = seed.set('a', 1);
    expect(seed.get('a')).toBeUndefined(); // a read of the empty seed moves nothing
    expect([...seed]).toEqual([]);
    let b = seed.set('b', 2);
    expect(VersionedMap.sameLineage(a, b)).toBe(false);
    for (let i = 0; i < 10; i++) {
      a = a.set(`a${i}`, i);
      expect(seed.has(`a${i}`)).toBe(false);
      b = b.set(`b${i}`, i);
    }
    expect(VersionedMap.sameLineage(a, b)).toBe(false);
    expect([a.size, b.size, seed.size]).toEqual([11, 11, 0]);
    // versions of one lineage do share it
    expect(VersionedMap.sameLineage(a, a.set('x', 1))).toBe(true);
  });

  it('`each` walks a version in place, whichever version holds the Map', () => {
    const prev = VersionedMap.of([
      ['a', 1],
      ['b', 2],
    ]);
    const next = prev.set('b', 20).set('c', 3);
    const seen = (v: VersionedMap<number>) => {
      const out: Array<[string, number]> = [];
      v.each((value, key) => out.push([key, value]));
      return sorted(out);
    };
    expect(seen(prev)).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(seen(next)).toEqual([
      ['a', 1],
      ['b', 20],
      ['c', 3],
    ]);
    expect(seen(VersionedMap.empty())).toEqual([]);
  });

  it('iterates a copy: reading other versions inside the loop is safe', () => {
    const prev = VersionedMap.of([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    const next = prev.set('b', 20).delete('c').set('d', 4);
    const changed: string[] = [];
    for (const [k, v] of prev) if (next.get(k) !== v) changed.push(k);
    next.forEach((v, k) => {
      if (prev.get(k) !== v) changed.push(k);
    });
    expect(changed.sort()).toEqual(['b', 'b', 'c', 'd']);
    expect([...prev.values()].sort()).toEqual([1, 2, 3]);
    expect([...next.keys()].sort()).toEqual(['a', 'b', 'd']);
  });

  it('has the ReadonlyMap surface, JSON and a tag', () => {
    const m = VersionedMap.of([['x', 1]]);
    expect(JSON.stringify(m)).toBe('{"x":1}');
    expect(Object.prototype.toString.call(m)).toBe('[object VersionedMap]');
    expect(m.delete('nope')).toBe(m);
    expect(m.set('x', 1)).toBe(m);
    expect(Reflect.ownKeys(m)).toEqual([]);
  });
});
