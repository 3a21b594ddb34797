import fc from 'fast-check';
import { REROOT_LIMIT, VersionedMap } from '../../lib/util/versioned-map';
import { deepFreeze } from '../orders/freeze';

/** Model checks: every version answers forever as it did when made, whatever happens to the others. */

type V = unknown;
type Model = ReadonlyMap<string, V>;
type VM = VersionedMap<V>;

const KEYS = ['a', 'b', 'c', '__proto__', 'constructor', '', 'toString', 'hasOwnProperty'] as const;
const VALUES = [0, '', null, false, 1, 'x', Number.NaN, -0, 2] as const;
const keyArb = fc.constantFrom(...KEYS);
const valueArb = fc.constantFrom(...VALUES);

const byKey = (a: [string, V], b: [string, V]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Everything `v` answers, through every reading path (one `expect` per check keeps it fast). */
function observe(v: VM, probe: Iterable<string>): unknown {
  const fe: Array<[string, V]> = [];
  let selfOk = true;
  v.forEach((value, k, m) => {
    if (m !== v) selfOk = false;
    fe.push([k, value]);
  });
  const json = v.toJSON();
  return {
    size: v.size,
    probe: [...probe].map((k) => [k, v.has(k), v.get(k)]),
    iter: [...v].sort(byKey),
    entries: [...v.entries()].sort(byKey),
    keys: [...v.keys()].sort(),
    values: [...v.values()].length,
    kv: ((ks, vs) => ks.map((k, i) => [k, vs[i]] as [string, V]))([...v.keys()], [...v.values()]).sort(byKey),
    forEach: fe.sort(byKey),
    selfOk,
    json: Object.keys(json)
      .sort()
      .map((k) => [k, json[k], Object.prototype.hasOwnProperty.call(json, k)]),
  };
}

function expected(model: Model, probe: Iterable<string>): unknown {
  const want = [...model.entries()].sort(byKey);
  return {
    size: model.size,
    probe: [...probe].map((k) => [k, model.has(k), model.get(k)]),
    iter: want,
    entries: want,
    keys: want.map(([k]) => k),
    values: model.size,
    kv: want,
    forEach: want,
    selfOk: true,
    json: want.map(([k, value]) => [k, value, true]),
  };
}

/** Checks every observable of `v` against `model`. */
function check(v: VM, model: Model): void {
  const probe = new Set<string>([...KEYS, ...model.keys()]);
  const got = observe(v, probe);
  const want = expected(model, probe);
  // (toEqual treats NaN as equal to NaN and, via Object.is, +0 and -0 as different.)
  if (!isDeepStrictEqualish(got, want)) expect(got).toEqual(want);
}

function isDeepStrictEqualish(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => isDeepStrictEqualish(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) =>
        isDeepStrictEqualish((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return false;
}

/** `expect(a).toBe(b)` that costs nothing when it holds. */
function same(a: unknown, b: unknown): void {
  if (!Object.is(a, b)) expect(a).toBe(b);
}

type Op =
  | { t: 'set'; i: number; k: string; v: V }
  | { t: 'del'; i: number; k: string }
  | { t: 'rep'; i: number; k: string; v: V }
  | { t: 'read'; i: number; k: string }
  | { t: 'check'; i: number }
  | { t: 'freeze'; i: number }
  /** Start iterating `i`, write/read `j` between steps, finish. */
  | { t: 'iter'; i: number; j: number; k: string; v: V }
  /** forEach over `i` whose callback writes to `i` and `j` and reads `j`. */
  | { t: 'each'; i: number; j: number; k: string; v: V };

const idx = (bias: number) =>
  fc.oneof({ weight: bias, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat() });
const opArb = (bias: number): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({ t: fc.constant('set' as const), i: idx(bias), k: keyArb, v: valueArb }),
    },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('del' as const), i: idx(bias), k: keyArb }) },
    {
      weight: 3,
      arbitrary: fc.record({ t: fc.constant('rep' as const), i: idx(bias), k: keyArb, v: valueArb }),
    },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('read' as const), i: fc.nat(), k: keyArb }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('check' as const), i: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('freeze' as const), i: fc.nat() }) },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('iter' as const),
        i: fc.nat(),
        j: fc.nat(),
        k: keyArb,
        v: valueArb,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        t: fc.constant('each' as const),
        i: fc.nat(),
        j: fc.nat(),
        k: keyArb,
        v: valueArb,
      }),
    },
  );

/** Runs ops over a pool of versions started from `seeds`; every version must keep its contents. */
function runOps(ops: readonly Op[], seeds: Array<[VM, Model]>): Array<[VM, Model]> {
  const pool: Array<[VM, Model]> = [...seeds];
  const at = (i: number) => pool[i < 0 ? pool.length - 1 : i % pool.length] as [VM, Model];
  const write = (v: VM, m: Model, kind: 'set' | 'del' | 'rep', k: string, value: V): [VM, Model] => {
    const next = new Map(m);
    let after: VM;
    if (kind === 'del') {
      after = v.delete(k);
      next.delete(k);
      if (!m.has(k)) same(after, v);
    } else {
      after = kind === 'set' ? v.set(k, value) : v.replace(k, v.get(k), value);
      if (m.has(k) && Object.is(m.get(k), value)) same(after, v);
      next.set(k, value);
    }
    pool.push([after, next]);
    return [after, next];
  };
  for (const o of ops) {
    switch (o.t) {
      case 'set':
      case 'del':
      case 'rep': {
        const [v, m] = at(o.i);
        write(v, m, o.t, o.k, o.t === 'del' ? undefined : o.v);
        break;
      }
      case 'read': {
        const [v, m] = at(o.i);
        same(v.get(o.k), m.get(o.k));
        same(v.has(o.k), m.has(o.k));
        break;
      }
      case 'check':
        check(...at(o.i));
        break;
      case 'freeze':
        deepFreeze(at(o.i)[0]);
        break;
      case 'iter': {
        const [v, m] = at(o.i);
        const [w, wm] = at(o.j);
        const gens = [v.entries(), v.keys(), v.values(), v[Symbol.iterator]()];
        // Make generators before anything moves, start them at different times.
        const firsts = [gens[0]!.next()];
        const [w2] = write(w, wm, 'set', o.k, o.v);
        firsts.push(gens[1]!.next());
        same(w.get(o.k), wm.get(o.k));
        firsts.push(gens[2]!.next());
        write(w2, new Map(wm).set(o.k, o.v), 'del', o.k, undefined);
        firsts.push(gens[3]!.next());
        const rest = gens.map((g, n) => {
          const out: unknown[] = firsts[n]!.done ? [] : [firsts[n]!.value];
          for (let r = g.next(); !r.done; r = g.next()) {
            out.push(r.value);
            // Write from this version and read another mid-loop (the Map is left elsewhere).
            write(v, m, 'set', o.k, o.v);
            same(w.has(o.k), wm.has(o.k));
            check(w, wm);
          }
          return out;
        });
        const want = [...m.entries()].sort(byKey);
        expect((rest[0] as Array<[string, V]>).sort(byKey)).toEqual(want);
        expect((rest[1] as string[]).sort()).toEqual(want.map(([k]) => k));
        same(rest[2]!.length, m.size);
        expect((rest[3] as Array<[string, V]>).sort(byKey)).toEqual(want);
        break;
      }
      case 'each': {
        const [v, m] = at(o.i);
        const [w, wm] = at(o.j);
        const seen: Array<[string, V]> = [];
        v.forEach((value, k, map) => {
          seen.push([k, value]);
          same(map, v);
          // Reentrant writes to this very version and to another, reads and nested forEach.
          const [x, xm] = write(v, m, 'set', o.k, o.v);
          write(x, xm, 'del', k, undefined);
          same(w.get(k), wm.get(k));
          write(w, wm, 'rep', k, o.v);
          let n = 0;
          w.forEach(() => {
            n++;
            same(v.get(k), m.get(k));
          });
          same(n, wm.size);
          same(v.get(k), value);
        });
        expect(seen.sort(byKey)).toEqual([...m.entries()].sort(byKey));
        break;
      }
    }
  }
  return pool;
}

function checkAllScrambled(pool: Array<[VM, Model]>, order: number[]): void {
  for (const n of order) check(...(pool[n % pool.length] as [VM, Model]));
  for (let n = pool.length - 1; n >= 0; n -= 3) check(...(pool[n] as [VM, Model]));
  for (let n = 0; n < pool.length; n++) check(...(pool[n] as [VM, Model]));
}

describe('VersionedMap (review)', () => {
  it('model check: falsy values, odd keys, replace, freeze, generators and forEach interleaved with writes', () => {
    fc.assert(
      fc.property(
        fc.array(opArb(3), { maxLength: 120, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 40, size: 'max' }),
        (ops, order) => {
          const pool = runOps(ops, [[VersionedMap.empty<V>(), new Map()]]);
          checkAllScrambled(pool, order);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('model check from several seeds (shared empty and shared non-empty, some frozen)', () => {
    fc.assert(
      fc.property(
        fc.array(opArb(1), { maxLength: 150, size: 'max' }),
        fc.array(fc.nat(), { maxLength: 40, size: 'max' }),
        fc.boolean(),
        (ops, order, freezeSeeds) => {
          const empty = VersionedMap.empty<V>();
          const full = VersionedMap.of<V>([
            ['a', 0],
            ['__proto__', null],
            ['', false],
          ]);
          if (freezeSeeds) {
            deepFreeze(empty);
            deepFreeze(full);
          }
          const fullModel = new Map<string, V>([
            ['a', 0],
            ['__proto__', null],
            ['', false],
          ]);
          const seeds: Array<[VM, Model]> = [
            [empty, new Map()],
            [full, fullModel],
            [empty, new Map()],
            [full, fullModel],
          ];
          const pool = runOps(ops, seeds);
          checkAllScrambled(pool, order);
        },
      ),
      { numRuns: 150 },
    );
  });

  it(`model check over long chains (past ${REROOT_LIMIT} and past the 1024-change segment)`, () => {
    const bigKey = fc.oneof(
      keyArb,
      fc.integer({ min: 0, max: 40 }).map((n) => `k${n}`),
    );
    const longOp: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 30,
        arbitrary: fc.record({ t: fc.constant('set' as const), i: idx(60), k: bigKey, v: valueArb }),
      },
      { weight: 10, arbitrary: fc.record({ t: fc.constant('del' as const), i: idx(60), k: bigKey }) },
      {
        weight: 10,
        arbitrary: fc.record({ t: fc.constant('rep' as const), i: idx(60), k: bigKey, v: valueArb }),
      },
      { weight: 4, arbitrary: fc.record({ t: fc.constant('read' as const), i: fc.nat(), k: bigKey }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('check' as const), i: fc.nat() }) },
      {
        weight: 1,
        arbitrary: fc.record({
          t: fc.constant('each' as const),
          i: fc.nat(),
          j: fc.nat(),
          k: bigKey,
          v: valueArb,
        }),
      },
    );
    fc.assert(
      fc.property(
        fc.array(longOp, { minLength: 1100, maxLength: 1500 }),
        fc.array(fc.nat(), { maxLength: 30, size: 'max' }),
        (ops, order) => {
          const pool = runOps(ops, [[VersionedMap.empty<V>(), new Map()]]);
          for (const n of order) check(...(pool[n % pool.length] as [VM, Model]));
          for (let n = 0; n < pool.length; n += 7) check(...(pool[n] as [VM, Model]));
          for (let n = pool.length - 1; n >= 0; n -= 5) check(...(pool[n] as [VM, Model]));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('fork of an empty non-root version that others point through', () => {
    const e = VersionedMap.empty<number>();
    const a = e.set('x', 1); // e -> a
    expect(e.get('x')).toBeUndefined(); // reroot: a -> e, e holds the Map
    const b = e.set('y', 2); // a -> e -> b
    const c = e.set('z', 3); // e is empty and not the root: fork; a still points through e
    const d = a.set('w', 4);
    const f = e.delete('nope');
    same(f, e);
    check(a as VM, new Map([['x', 1]]));
    check(b as VM, new Map([['y', 2]]));
    check(c as VM, new Map([['z', 3]]));
    check(
      d as VM,
      new Map([
        ['x', 1],
        ['w', 4],
      ]),
    );
    check(e as VM, new Map());
    check(a as VM, new Map([['x', 1]]));
    check(c as VM, new Map([['z', 3]]));
  });

  it('reroot through a version detached earlier, then reads in every order', () => {
    const all: Array<[VersionedMap<number>, Map<string, number>]> = [];
    let v = VersionedMap.of<number>([['base', -1]]);
    let m = new Map<string, number>([['base', -1]]);
    all.push([v, m]);
    for (let i = 0; i < 300; i++) {
      m = new Map(m);
      if (i % 5 === 4) {
        v = v.delete(`k${(i - 1) % 13}`);
        m.delete(`k${(i - 1) % 13}`);
      } else {
        v = v.set(`k${i % 13}`, i);
        m.set(`k${i % 13}`, i);
      }
      all.push([v, m]);
    }
    const look = (n: number) => check(...(all[n] as [VM, Model]));
    look(150); // detached (150 records from the root)
    look(120); // 30 from the detached one: rerooted through it
    look(40); // far from both: detached
    look(200);
    look(139);
    look(151);
    look(300);
    look(0);
    // Writes from a mid version whose way runs through detached ones.
    const w = (all[130] as [VersionedMap<number>, Map<string, number>])[0].set('new', 1);
    same(w.get('new'), 1);
    for (let n = 0; n < all.length; n += 1) look(n);
    for (let n = all.length - 1; n >= 0; n -= 1) look(n);
  });

  it('segment copies with a large map (size > 512: 2 x size changes) keep every version right', () => {
    const start: Array<[string, number]> = [];
    for (let i = 0; i < 700; i++) start.push([`s${i}`, i]);
    let v = VersionedMap.of(start);
    let m = new Map(start);
    const kept: Array<[VM, Model]> = [[v as VM, m]];
    for (let i = 0; i < 3200; i++) {
      const k = `s${(i * 7) % 900}`;
      if (i % 3 === 0) {
        v = v.delete(k);
        m = new Map(m);
        m.delete(k);
      } else {
        v = v.replace(k, v.get(k), i);
        m = new Map(m).set(k, i);
      }
      if (i % 97 === 0 || (i > 1390 && i < 1420) || (i > 2790 && i < 2810)) kept.push([v as VM, m]);
      // A branch from a kept version now and then.
      if (i % 400 === 0) {
        const [kv, km] = kept[(i / 400) % kept.length] as [VM, Model];
        const b = kv.set('branch', i);
        kept.push([b, new Map(km).set('branch', i)]);
      }
    }
    const bySize = (x: VM, mm: Model) => {
      same(x.size, mm.size);
      for (const [k, val] of mm) same(x.get(k), val);
      same([...x.keys()].length, mm.size);
    };
    for (let n = kept.length - 1; n >= 0; n -= 2) bySize(...(kept[n] as [VM, Model]));
    for (let n = 0; n < kept.length; n++) bySize(...(kept[n] as [VM, Model]));
  });

  it('many stores from one shared empty and one shared non-empty seed, seeds read in between', () => {
    const empty = VersionedMap.empty<number>();
    const full = VersionedMap.of<number>([
      ['a', 0],
      ['constructor', 1],
    ]);
    const stores: Array<[VersionedMap<number>, Map<string, number>]> = [];
    for (let s = 0; s < 6; s++)
      stores.push(
        s % 2 === 0
          ? [empty, new Map()]
          : [
              full,
              new Map([
                ['a', 0],
                ['constructor', 1],
              ]),
            ],
      );
    const history: Array<[VM, Model]> = [];
    for (let round = 0; round < 150; round++) {
      for (let s = 0; s < stores.length; s++) {
        const [v, m] = stores[s] as [VersionedMap<number>, Map<string, number>];
        const k = `s${s}-${round % 9}`;
        const cur = v.get(k);
        const nv = round % 4 === 3 ? v.delete(`s${s}-${(round + 3) % 9}`) : v.replace(k, cur, round);
        const nm = new Map(m);
        if (round % 4 === 3) nm.delete(`s${s}-${(round + 3) % 9}`);
        else nm.set(k, round);
        stores[s] = [nv, nm];
        history.push([nv as VM, nm]);
      }
      // Someone reads the shared seeds (moves Maps to them when near).
      if (round % 7 === 0) {
        expect(empty.get('a')).toBeUndefined();
        expect([...full.keys()].sort()).toEqual(['a', 'constructor']);
      }
      // A new store joins from a seed now and then.
      if (round % 25 === 0)
        stores.push([
          round % 50 === 0 ? empty : full,
          round % 50 === 0
            ? new Map()
            : new Map([
                ['a', 0],
                ['constructor', 1],
              ]),
        ]);
    }
    check(empty as VM, new Map());
    check(
      full as VM,
      new Map<string, V>([
        ['a', 0],
        ['constructor', 1],
      ]),
    );
    for (const [v, m] of stores) check(v as VM, m);
    for (let n = history.length - 1; n >= 0; n -= 11) check(...(history[n] as [VM, Model]));
    for (let n = 0; n < history.length; n += 13) check(...(history[n] as [VM, Model]));
  });

  it('a generator created before writes and reroots yields the contents of its own version', () => {
    let v = VersionedMap.of<number>([['a', 1]]);
    let m = new Map<string, number>([['a', 1]]);
    const gens: Array<[Iterator<[string, number]>, Map<string, number>]> = [];
    const versions: VersionedMap<number>[] = [];
    for (let i = 0; i < 200; i++) {
      gens.push([v.entries(), m]);
      versions.push(v);
      v = v.set(`k${i % 10}`, i).delete(i % 3 === 0 ? 'a' : 'zzz');
      m = new Map(m).set(`k${i % 10}`, i);
      if (i % 3 === 0) m.delete('a');
    }
    // Start each generator only now, half of them after reading far-away versions.
    for (let i = gens.length - 1; i >= 0; i -= 1) {
      const [g, want] = gens[i] as [Iterator<[string, number]>, Map<string, number>];
      if (i % 2 === 0) versions[(i * 37) % versions.length]!.get('a');
      const out: Array<[string, number]> = [];
      for (let r = g.next(); !r.done; r = g.next()) {
        out.push(r.value);
        versions[(i * 13) % versions.length]!.has('k1');
        versions[(i * 13) % versions.length]!.set('k1', -1);
      }
      expect(out.sort(byKey as never)).toEqual([...want].sort(byKey as never));
    }
  });

  it('iterating while other versions are read and written inside the loop yields only its own entries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(keyArb, valueArb), { maxLength: 12, size: 'max' }),
        fc.array(fc.tuple(fc.nat(), keyArb, valueArb), { maxLength: 30, size: 'max' }),
        (init, steps) => {
          const base = VersionedMap.of<V>(init);
          const model = new Map<string, V>(init);
          const pool: Array<[VM, Model]> = [[base, model]];
          let v: VM = base;
          let vm: Model = model;
          for (const [k, x] of init) {
            v = v.delete(k).set(`${k}!`, x);
            const next = new Map(vm);
            next.delete(k);
            next.set(`${k}!`, x);
            vm = next;
            pool.push([v, vm]);
          }
          const runLoop = (target: VM, want: Model, how: 'for' | 'keys' | 'values' | 'forEach') => {
            const seen: unknown[] = [];
            let n = 0;
            const body = (item: unknown) => {
              seen.push(item);
              const [i, k, x] = steps[n++ % Math.max(1, steps.length)] ?? [0, 'a', 1];
              const [w, wm] = pool[i % pool.length] as [VM, Model];
              const after = w.set(k, x); // moves the Map to a child of w
              pool.push([after, new Map(wm).set(k, x)]);
              same(after.get(k), x); // and leaves it there
            };
            if (how === 'for') for (const e of target) body(e);
            else if (how === 'keys') for (const e of target.keys()) body(e);
            else if (how === 'values') for (const e of target.values()) body(e);
            else target.forEach((value, key) => body([key, value]));
            return seen;
          };
          for (const [target, want] of [...pool]) {
            const entries = [...want.entries()].sort(byKey);
            expect((runLoop(target, want, 'for') as Array<[string, V]>).sort(byKey)).toEqual(entries);
            expect((runLoop(target, want, 'forEach') as Array<[string, V]>).sort(byKey)).toEqual(entries);
            expect((runLoop(target, want, 'keys') as string[]).sort()).toEqual(entries.map(([k]) => k));
            expect(runLoop(target, want, 'values').length).toBe(want.size);
          }
          for (const [x, xm] of pool) check(x, xm);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('replace between get and replace of other versions being read (as the store does) stays right', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat(), keyArb, valueArb), { maxLength: 200, size: 'max' }),
        (steps) => {
          const pool: Array<[VM, Model]> = [[VersionedMap.empty<V>(), new Map()]];
          for (const [i, j, k, value] of steps) {
            const [v, m] = pool[i % pool.length] as [VM, Model];
            const previous = v.get(k);
            // Another version is read in between: the shared Map moves away from `v`.
            const [w, wm] = pool[j % pool.length] as [VM, Model];
            same(w.get(k), wm.get(k));
            const after = v.replace(k, previous, value);
            pool.push([after, new Map(m).set(k, value)]);
          }
          for (let n = pool.length - 1; n >= 0; n--) check(...(pool[n] as [VM, Model]));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('toJSON keeps "__proto__" as an own key and round-trips through JSON', () => {
    const m = VersionedMap.of<V>([
      ['__proto__', 0],
      ['constructor', ''],
      ['', null],
      ['f', false],
    ]);
    const j = m.toJSON();
    same(Object.getPrototypeOf(j), Object.prototype);
    expect(Object.keys(j).sort()).toEqual(['', '__proto__', 'constructor', 'f']);
    expect(JSON.parse(JSON.stringify(m))).toEqual(j);
    expect(Object.keys(JSON.parse(JSON.stringify(m))).sort()).toEqual(['', '__proto__', 'constructor', 'f']);
  });
});
