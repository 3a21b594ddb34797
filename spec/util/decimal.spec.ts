import fc from 'fast-check';
import {
  addDecimals,
  compareDecimals,
  DecimalError,
  isDecimalString,
  multiplyDecimals,
  normalizeDecimal,
  subtractDecimals,
  truncateDecimal,
  numberToDecimal,
} from '../../lib/util/decimal';

/** A decimal string with its exact value as units × 10^-scale. */
const scaled = fc
  .tuple(
    fc.oneof(
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
      // Small non-negative values take the plain-number path (≤ 15 digits): its edges too.
      fc.bigInt({ min: 0n, max: 10n ** 15n }),
      fc.constantFrom(0n, 1n, 10n ** 15n - 1n, 10n ** 14n, 9007199254740991n),
    ),
    fc.integer({ min: 0, max: 18 }),
    fc.integer({ min: 0, max: 3 }),
  )
  .map(([units, scale, pad]) => {
    const abs = (units < 0n ? -units : units).toString().padStart(scale + 1, '0');
    const body = scale === 0 ? abs : `${abs.slice(0, -scale)}.${abs.slice(-scale)}${'0'.repeat(pad)}`;
    return { text: (units < 0n ? '-' : '') + body, units, scale };
  });

const SCALE = 40;
const at = (x: { units: bigint; scale: number }) => x.units * 10n ** BigInt(SCALE - x.scale);
const read = (s: string) => {
  const neg = s.startsWith('-');
  const [w = '', f = ''] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(w + f.padEnd(SCALE, '0'));
  return neg ? -v : v;
};

describe('decimal', () => {
  it('adds, subtracts and compares exactly (against BigInt at a common scale)', () => {
    fc.assert(
      fc.property(scaled, scaled, (a, b) => {
        expect(read(addDecimals(a.text, b.text))).toBe(at(a) + at(b));
        expect(read(subtractDecimals(a.text, b.text))).toBe(at(a) - at(b));
        const c = at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : 0;
        expect(compareDecimals(a.text, b.text)).toBe(c);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives canonical results: no leading or trailing zeros, "0" for zero', () => {
    fc.assert(
      fc.property(scaled, scaled, (a, b) => {
        for (const r of [
          addDecimals(a.text, b.text),
          subtractDecimals(a.text, b.text),
          normalizeDecimal(a.text),
        ]) {
          expect(r).toMatch(/^(0|-?[1-9]\d*(\.\d*[1-9])?|-?0\.\d*[1-9])$/);
        }
      }),
    );
    expect(addDecimals('0.1', '0.2')).toBe('0.3');
    expect(subtractDecimals('0.3', '0.30')).toBe('0');
    expect(subtractDecimals('1', '1.5')).toBe('-0.5');
    expect(normalizeDecimal('0010.500')).toBe('10.5');
    expect(normalizeDecimal('-0.0')).toBe('0');
  });

  it('normalizes any digits, leading and trailing zeros included (hand check and regex agree)', () => {
    const digits = fc.stringMatching(/^(0|[0-9]{1,5})(\.[0-9]{1,5})?$/);
    fc.assert(
      fc.property(digits, (text) => {
        const [w = '', f = ''] = text.split('.');
        const value = BigInt(w + f.padEnd(SCALE, '0'));
        for (const r of [normalizeDecimal(text), addDecimals('0', text), addDecimals(text, '0')]) {
          expect(read(r)).toBe(value);
          expect(r).toMatch(/^(0|[1-9]\d*(\.\d*[1-9])?|0\.\d*[1-9])$/);
        }
      }),
      { numRuns: 3000 },
    );
    for (const [text, canonical] of [
      ['0', '0'],
      ['00', '0'],
      ['0.0', '0'],
      ['0.50', '0.5'],
      ['010', '10'],
      ['10', '10'],
      ['10.05', '10.05'],
      ['100.000', '100'],
    ] as const)
      expect(normalizeDecimal(text)).toBe(canonical);
    expect(() => normalizeDecimal('1.')).toThrow(DecimalError);
    expect(() => normalizeDecimal('.5')).toThrow(DecimalError);
  });

  it('multiplies and truncates exactly', () => {
    expect(multiplyDecimals('0.0046462', '4289899')).toBe('19931.7287338');
    expect(truncateDecimal(multiplyDecimals('19931.7287338', '0.002'), 0)).toBe('39');
    expect(truncateDecimal('19.93163', 2)).toBe('19.93');
    expect(truncateDecimal('-1.99', 0)).toBe('-1');
    expect(truncateDecimal('5', 2)).toBe('5');
  });

  it('refuses what is not a plain decimal string', () => {
    for (const bad of ['', '1e-8', '+1', ' 1', '1.', '.5', 'NaN', '0x10', '1,5']) {
      expect(isDecimalString(bad)).toBe(false);
      expect(() => addDecimals(bad, '1')).toThrow(DecimalError);
    }
    expect(() => compareDecimals('1', 1 as unknown as string)).toThrow('Not a decimal string: 1');
  });

  it('writes numbers without exponent', () => {
    expect(numberToDecimal(2.22e-4)).toBe('0.000222');
    expect(numberToDecimal(1.11e-7)).toBe('0.000000111');
    expect(numberToDecimal(1e21)).toBe('1000000000000000000000');
    expect(numberToDecimal(-2.5e-7)).toBe('-0.00000025');
    expect(numberToDecimal(0.002)).toBe('0.002');
  });
});
