import fc from 'fast-check';
import {
  forget,
  forgottenIds,
  isForgotten,
  NO_FORGOTTEN,
  type ForgottenIds,
} from '../../lib/orders/forgotten';

describe('the forgotten-id set of the store', () => {
  it('is a bounded FIFO set; every version keeps its answers whatever is added to it or to older ones', () => {
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g');
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.tuple(fc.nat(), id), { maxLength: 60, size: 'max' }),
        (max, steps) => {
          const versions: Array<[ForgottenIds, string[]]> = [[NO_FORGOTTEN, []]];
          for (const [from, next] of steps) {
            const [base, model] = versions[from % versions.length]!;
            // (The store never forgets an id it still ignores; if it did, the id would move.)
            const after = [...model.filter((x) => x !== next), next].slice(-max);
            versions.push([forget(base, next, max), after]);
          }
          for (const [version, model] of versions) {
            expect(forgottenIds(version)).toEqual(model);
            for (const x of ['a', 'b', 'c', 'd', 'e', 'f', 'g'])
              expect(isForgotten(version, x)).toBe(model.includes(x));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('an older version keeps its answers while its ids leave the lineage, one by one', () => {
    let f = NO_FORGOTTEN;
    for (const id of ['a', 'b', 'c', 'd']) f = forget(f, id, 4);
    const old = f;
    for (const [next, dropped] of [
      ['e', 'a'],
      ['f', 'b'],
      ['g', 'c'],
    ] as const) {
      f = forget(f, next, 4);
      expect(isForgotten(f, dropped)).toBe(false);
      expect(isForgotten(old, dropped)).toBe(true);
    }
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => isForgotten(old, id))).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(forgottenIds(f)).toEqual(['d', 'e', 'f', 'g']);
  });

  it('compacts its log and stays bounded over many evictions', () => {
    let f = NO_FORGOTTEN;
    for (let i = 0; i < 50_000; i++) f = forget(f, `id-${i}`, 100);
    expect(forgottenIds(f)).toHaveLength(100);
    expect(f.log.ids.length).toBeLessThan(2_500);
    expect(isForgotten(f, 'id-49999')).toBe(true);
    expect(isForgotten(f, 'id-49899')).toBe(false);
  });
});
