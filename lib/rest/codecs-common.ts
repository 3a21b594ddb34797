import * as t from 'io-ts';

// The lenient decimal codec of REST rows and its helpers live in the leaf module util/decimal-string.
export { isLosslessNumber, LenientDecimalString as DecimalString } from '../util/decimal-string';
export { numberToDecimal as plainDecimal } from '../util/decimal';

/**
 * An id as a string: `"3397"` stays, `3397` becomes `"3397"`; a number beyond 2^53
 * (already rounded by the parser) is refused.
 *
 * ## Example
 * ```ts
 * IdString.decode(6423); // right('6423')
 * ```
 */
export const IdString = new t.Type<string, string, unknown>(
  'IdString',
  (u): u is string => typeof u === 'string',
  (u, c) =>
    typeof u === 'string'
      ? t.success(u)
      : typeof u === 'number' && Number.isSafeInteger(u)
        ? t.success(String(u))
        : t.failure(u, c),
  (a) => a,
);

/**
 * A time in milliseconds: a number, or a string of digits (some answers quote them).
 *
 * ## Example
 * ```ts
 * Millis.decode('1772510281185'); // right(1772510281185)
 * ```
 */
export const Millis = new t.Type<number, number, unknown>(
  'Millis',
  (u): u is number => typeof u === 'number',
  (u, c) =>
    typeof u === 'number' && Number.isFinite(u)
      ? t.success(u)
      : typeof u === 'string' && /^\d{1,16}$/.test(u)
        ? t.success(Number(u))
        : t.failure(u, c),
  (a) => a,
);
