/**
 * Exact decimal arithmetic on the strings the exchange sends ("0.0046462", "39").
 *
 * Each value is read as a scaled integer (a `bigint` and a count of fraction digits), so
 * sums are exact at any size: no float ever touches an amount. Results are canonical:
 * no leading zeros, no trailing fraction zeros, `"0"` for zero, a leading `-` when
 * negative. We wrote these few functions instead of taking a decimal library because
 * the store only adds, subtracts and compares.
 *
 * @module
 */

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A value that is not a plain decimal string. */
export class DecimalError extends TypeError {
  override readonly name = 'DecimalError';
  constructor(readonly value: unknown) {
    super(`Not a decimal string: ${JSON.stringify(value) ?? String(value)}`);
  }
}

/**
 * Whether `value` is a plain decimal string: optional `-`, digits, optional `.` and digits.
 * No exponent, no spaces, no `+`.
 *
 * ## Example
 * ```ts
 * isDecimalString('0.0046462'); // true
 * isDecimalString('1e-8'); // false
 * ```
 */
export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL.test(value);
}

interface Scaled {
  readonly units: bigint;
  readonly scale: number;
}

function parse(value: string): Scaled {
  if (!isDecimalString(value)) throw new DecimalError(value);
  const dot = value.indexOf('.');
  if (dot < 0) return { units: BigInt(value), scale: 0 };
  const negative = value.startsWith('-');
  const whole = value.slice(negative ? 1 : 0, dot);
  const fraction = value.slice(dot + 1);
  const units = BigInt(whole + fraction);
  return { units: negative ? -units : units, scale: fraction.length };
}

function align(a: Scaled, b: Scaled): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.units * 10n ** BigInt(scale - a.scale), b.units * 10n ** BigInt(scale - b.scale), scale];
}

function format(units: bigint, scale: number): string {
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    const whole = digits.slice(0, digits.length - scale);
    const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
    digits = fraction ? `${whole}.${fraction}` : whole;
  }
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/**
 * `a + b`, exactly. Throws {@link DecimalError} when either is not a decimal string.
 *
 * ## Example
 * ```ts
 * addDecimals('0.1', '0.2'); // '0.3'
 * ```
 */
export function addDecimals(a: string, b: string): string {
  const [x, y, scale] = align(parse(a), parse(b));
  return format(x + y, scale);
}

/**
 * `a - b`, exactly (may be negative). Throws {@link DecimalError} on a bad input.
 *
 * ## Example
 * ```ts
 * subtractDecimals('62', '23'); // '39'
 * ```
 */
export function subtractDecimals(a: string, b: string): string {
  const [x, y, scale] = align(parse(a), parse(b));
  return format(x - y, scale);
}

/**
 * `a × b`, exactly. Throws {@link DecimalError} on a bad input.
 *
 * ## Example
 * ```ts
 * multiplyDecimals('0.0046462', '4289899'); // '19931.7287338'
 * ```
 */
export function multiplyDecimals(a: string, b: string): string {
  const x = parse(a);
  const y = parse(b);
  return format(x.units * y.units, x.scale + y.scale);
}

/**
 * Cuts `value` to `places` fraction digits, toward zero (`truncateDecimal('39.86', 0)` is `'39'`).
 *
 * ## Example
 * ```ts
 * truncateDecimal('19.93163', 2); // '19.93'
 * ```
 */
export function truncateDecimal(value: string, places: number): string {
  const x = parse(value);
  if (x.scale <= places) return format(x.units, x.scale);
  return format(x.units / 10n ** BigInt(x.scale - places), places);
}

/**
 * Compares two decimal strings: `-1`, `0` or `1` (`'1.50'` equals `'1.5'`).
 * Throws {@link DecimalError} on a bad input.
 *
 * ## Example
 * ```ts
 * compareDecimals('0.0046462', '0.00464620'); // 0
 * ```
 */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const [x, y] = align(parse(a), parse(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The canonical form of a decimal string (`'0010.500'` → `'10.5'`, `'-0'` → `'0'`).
 *
 * ## Example
 * ```ts
 * normalizeDecimal('0.00464620'); // '0.0046462'
 * ```
 */
export function normalizeDecimal(value: string): string {
  const x = parse(value);
  return format(x.units, x.scale);
}

/**
 * A finite JavaScript number as an exact decimal string, without exponent
 * (`2.22e-4` → `'0.000222'`): the shortest digits that read back as the same number.
 * @internal
 */
export function numberToDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new DecimalError(value);
  const text = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return normalizeDecimal(text);
  const [, sign = '', lead = '', rest = '', exp = '0'] = match;
  const digits = lead + rest;
  const point = 1 + Number(exp);
  const body =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return normalizeDecimal(sign + body);
}
