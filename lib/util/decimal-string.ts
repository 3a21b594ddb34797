/**
 * The two io-ts codecs of decimal amounts: a strict one for pushes (the exact string
 * the exchange sent, nothing else) and a lenient one for REST rows (numbers that convert
 * without loss, exponent forms written out). Both only ever accept what the arithmetic of
 * `./decimal` can read, so a decoded amount never makes `compareDecimals` throw; what they
 * refuse is a decode failure at the field's path, reported, never thrown.
 *
 * @module
 */
import * as t from 'io-ts';
import { isDecimalString, normalizeDecimal, numberToDecimal, placePoint } from './decimal';

const UNSIGNED = /^\d+(\.\d+)?$/;

/**
 * An exact, non-negative decimal string as the exchange pushes amounts (`"0.0046462"`,
 * `"39"`), kept verbatim. A JSON number is refused: it may already have lost digits.
 *
 * ## Example
 * ```ts
 * DecimalString.is('0.00996909'); // true
 * DecimalString.is(0.5); // false
 * DecimalString.is('-1'); // false
 * ```
 */
export const DecimalString = new t.Type<string, string, unknown>(
  'DecimalString',
  (u): u is string => typeof u === 'string' && UNSIGNED.test(u),
  (u, c) => (typeof u === 'string' && UNSIGNED.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

function significantDigits(value: number): number {
  const mantissa = String(Math.abs(value)).split('e')[0] ?? '';
  return mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
}

/**
 * A number whose text a decimal string reproduces exactly: a safe integer, or at most 15
 * significant digits (what a double always round-trips).
 *
 * ## Example
 * ```ts
 * isLosslessNumber(0.0021); // true
 * isLosslessNumber(0.1 + 0.2); // false (17 digits)
 * ```
 */
export function isLosslessNumber(value: number): boolean {
  return Number.isFinite(value) && (Number.isSafeInteger(value) || significantDigits(value) <= 15);
}

const LOOSE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/**
 * Reads a decimal text leniently: a plain decimal string stays verbatim; surrounding
 * spaces, a `+`, `.5`, `5.` and exponent forms (`1e-8`) are written out canonically.
 * `undefined` when it is not a number at all (`""`, `"abc"`, `"1e"`, `"NaN"`).
 *
 * ## Example
 * ```ts
 * readLenientDecimal('1.10'); // '1.10'
 * readLenientDecimal(' 1E-8 '); // '0.00000001'
 * ```
 */
export function readLenientDecimal(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed === text && isDecimalString(trimmed)) return text;
  const match = LOOSE.exec(trimmed);
  if (!match) return undefined;
  const [, sign = '', whole = '', fraction = '', exp = '0'] = match;
  const all = whole + fraction;
  if (all === '') return undefined;
  return normalizeDecimal((sign === '-' ? '-' : '') + placePoint(all, whole.length + Number(exp)));
}

/**
 * An amount, price or fee of a REST row, read leniently into an exact decimal string:
 * a decimal string (also negative, kept verbatim), a JSON number that converts without
 * losing a digit (`fee: 0` → `"0"`), or an exponent form written out. Anything else (a
 * string that is no number, a number that lost digits) is a decode failure at its path.
 *
 * ## Example
 * ```ts
 * LenientDecimalString.decode(0); // right('0')
 * LenientDecimalString.decode('0.0021'); // right('0.0021')
 * LenientDecimalString.decode('abc'); // left: Invalid value "abc" supplied to ...
 * ```
 */
export const LenientDecimalString = new t.Type<string, string, unknown>(
  'DecimalString',
  (u): u is string => isDecimalString(u),
  (u, c) => {
    if (typeof u === 'string') {
      const text = readLenientDecimal(u);
      return text === undefined ? t.failure(u, c) : t.success(text);
    }
    if (typeof u === 'number' && isLosslessNumber(u)) return t.success(numberToDecimal(u));
    return t.failure(u, c);
  },
  t.identity,
);
