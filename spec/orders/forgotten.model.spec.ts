import fc from 'fast-check';
import {
  forget,
  forgottenCount,
  forgottenIds,
  isForgotten,
  NO_FORGOTTEN,
  type ForgottenIds,
} from '../../lib/orders/forgotten';
import { deepFreeze } from './freeze';

/** Model checks: every version of the forgotten-id set answers forever as it did when made. */

const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', '__proto__', 'constructor', ''] as const;

/** The model: oldest first, an id already present moves to the newest place, at most `max`. */
const modelForget = (model: readonly string[], id: string, max: number): string[] =>
  max <= 0 ? [...model] : [...model.filter((x) => x !== id), id].slice(-max);

function checkVersion(f: ForgottenIds, model: readonly string[], extra: Iterable<string> = []): void {
  const got = {
    ids: forgottenIds(f),
    count: forgottenCount(f),
    has: [...IDS, ...extra].map((x) => isForgotten(f, x)),
  };
  const want = { ids: model, count: model.length, has: [...IDS, ...extra].map((x) => model.includes(x)) };
  if (JSON.stringify(got) !== JSON.stringify(want)) expect(got).toEqual(want);
}

type Step = { from: number; id: string; freeze: boolean; check: number };

describe('forgotten ids (review)', () => {
  it('model check: long runs (size max), branches, re-added ids, deep freezes of any version, one max per run', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.array(
          fc.record({
            from: fc.oneof({ weight: 3, arbitrary: fc.constant(-1) }, { weight: 1, arbitrary: fc.nat() }),
            id: fc.constantFrom(...IDS),
            freeze: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
            check: fc.nat(),
          }),
          { maxLength: 200, size: 'max' },
        ),
        (max, steps: Step[]) => {
          const versions: Array<[ForgottenIds, string[]]> = [[NO_FORGOTTEN, []]];
          const at = (i: number) => versions[i < 0 ? versions.length - 1 : i % versions.length]!;
          for (const s of steps) {
            const [base, model] = at(s.from);
            const next = forget(base, s.id, max);
            versions.push([next, modelForget(model, s.id, max)]);
            if (s.freeze) deepFreeze(at(s.check)[0]);
            // Read an older version now and then (builds its cached window).
            checkVersion(...at(s.check));
          }
          for (let n = versions.length - 1; n >= 0; n--) checkVersion(...versions[n]!);
          for (const [v, m] of versions) checkVersion(...([v, m] as const));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('model check: a different max on every call (stores seeded from one shared snapshot)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...IDS), fc.integer({ min: 0, max: 5 }), fc.nat()), {
          maxLength: 120,
          size: 'max',
        }),
        (steps) => {
          const versions: Array<[ForgottenIds, string[]]> = [[NO_FORGOTTEN, []]];
          for (const [from, id, max, look] of steps) {
            const [base, model] =
              from % 3 === 0 ? versions[from % versions.length]! : versions[versions.length - 1]!;
            versions.push([forget(base, id, max), modelForget(model, id, max)]);
            checkVersion(...versions[look % versions.length]!);
          }
          for (let n = versions.length - 1; n >= 0; n--) checkVersion(...versions[n]!);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('across log compactions: old versions (kept, branched from, frozen) keep their answers', () => {
    const max = 300;
    let f = NO_FORGOTTEN;
    let model: string[] = [];
    const kept: Array<[ForgottenIds, string[]]> = [];
    for (let i = 0; i < 6000; i++) {
      // Ids repeat after they have left the window (a re-forgotten id gets a new place).
      const id = `o${i % 700}`;
      f = forget(f, id, max);
      model = modelForget(model, id, max);
      if (i % 250 === 0 || (i > 2040 && i < 2060)) kept.push([f, model]);
      if (i % 1000 === 500) deepFreeze(kept[kept.length - 2]?.[0] ?? f);
      if (i % 777 === 0) {
        const [kf, km] = kept[(i / 777) % kept.length]!;
        const b = forget(kf, `b${i}`, max);
        kept.push([b, modelForget(km, `b${i}`, max)]);
      }
    }
    kept.push([f, model]);
    const probe = ['o0', 'o1', 'o299', 'o300', 'o699', 'o650', 'b0', 'b777'];
    for (let n = kept.length - 1; n >= 0; n--) checkVersion(kept[n]![0], kept[n]![1], probe);
    for (const [v, m] of kept) {
      checkVersion(v, m, probe);
      for (const id of m) if (!isForgotten(v, id)) expect([id, 'forgotten']).toEqual([id, 'not forgotten']);
    }
    // Bounded memory: the newest log holds at most a couple of windows plus the compaction slack.
    expect(f.log.ids.length).toBeLessThan(2 * max + 1100);
    expect(f.log.lineage.seqOf.size).toBe(max);
  });

  it('the store path: forgetting the newest, a deep-frozen newest, and the shared frozen empty set', () => {
    let f = forget(forget(NO_FORGOTTEN, 'a', 2), 'b', 2);
    deepFreeze(f);
    const g = forget(f, 'c', 2); // frozen lineage: branches
    const h = forget(f, 'd', 2); // branch from the same frozen version
    checkVersion(f, ['a', 'b']);
    checkVersion(g, ['b', 'c']);
    checkVersion(h, ['b', 'd']);
    f = forget(g, 'e', 2);
    checkVersion(f, ['c', 'e']);
    checkVersion(g, ['b', 'c']);
    checkVersion(NO_FORGOTTEN, []);
    expect(forget(NO_FORGOTTEN, 'x', 0)).toBe(NO_FORGOTTEN);
  });
});
