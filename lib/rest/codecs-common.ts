import * as t from 'io-ts';

/**
 * Writes a number's shortest form without an exponent: `1e-7` → `0.0000001`.
 * @internal
 */
export function plainDecimal(value: number): string {
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', whole = '', fraction = '', exp = '0'] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exp);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function significantDigits(value: number): number {
  const mantissa = String(Math.abs(value)).split('e')[0] ?? '';
  return mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
}

/**
 * A number whose text the decimal string can reproduce exactly: a safe integer, or at
 * most 15 significant digits (what a double always round-trips). Bodies parsed with
 * `parseJsonExact` only ever hold such numbers; longer literals arrive as strings.
 * @internal
 */
export function isLosslessNumber(value: number): boolean {
  return Number.isFinite(value) && (Number.isSafeInteger(value) || significantDigits(value) <= 15);
}

/**
 * An amount, price or fee as the exact decimal string the server sent. A JSON number is
 * accepted (`fee: 0` → `"0"`) only when it converts without losing a digit.
 *
 * ## Example
 * ```ts
 * DecimalString.decode(0);        // right('0')
 * DecimalString.decode('0.0021'); // right('0.0021')
 * ```
 */
export const DecimalString = new t.Type<string, string, unknown>(
  'DecimalString',
  (u): u is string => typeof u === 'string',
  (u, c) => {
    if (typeof u === 'string') return t.success(u);
    if (typeof u === 'number' && isLosslessNumber(u)) return t.success(plainDecimal(u));
    return t.failure(u, c);
  },
  (a) => a,
);

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
