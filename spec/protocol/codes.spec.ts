import fc from 'fast-check';
import { classify, codeName } from '../../lib/protocol/codes';
import { backoff } from '../../lib/util/backoff';

describe('classify (the one classifier)', () => {
  it.each([
    [109, 'new-token'],
    [100, 'reconnect'],
    [111, 'reconnect'],
    [103, 'terminal'],
    [101, 'terminal'],
    [199, 'terminal'],
  ] as const)('reply error %i → %s', (code, action) => expect(classify(code)).toBe(action));

  it('a reply error the server marks temporary is retried', () => {
    expect(classify(107, true)).toBe('reconnect');
    expect(classify(150, true)).toBe('reconnect');
  });

  it('close codes follow the documented ranges', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 6000 }), (code) => {
        const expected =
          code === 1009
            ? 'terminal'
            : code < 3500
              ? 'reconnect'
              : code < 4000
                ? 'terminal'
                : code < 4500
                  ? 'reconnect'
                  : code < 5000
                    ? 'terminal'
                    : 'reconnect';
        return classify(code) === expected;
      }),
    );
  });

  it('names codes', () => {
    expect(codeName(3501)).toBe('bad request');
    expect(codeName(4242)).toBe('code 4242');
  });
});

describe('backoff (full jitter)', () => {
  it('stays within [min, min(max, min + min·2^step)]', () => {
    fc.assert(
      fc.property(fc.nat(40), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (step, r) => {
        const d = backoff(step, 500, 20_000, () => r);
        return d >= 500 && d <= Math.min(20_000, 500 + 500 * 2 ** Math.min(step, 31));
      }),
    );
  });

  it('grows with the step and is capped', () => {
    const top = () => 0.9999999;
    expect([0, 1, 2, 3, 10].map((s) => backoff(s, 500, 20_000, top))).toEqual([
      1000, 1500, 2500, 4500, 20_000,
    ]);
    expect(backoff(0, 500, 20_000, () => 0)).toBe(500);
  });
});
