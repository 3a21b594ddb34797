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
/** Already canonical: no leading zeros, no trailing fraction zeros, no `-0`. */
const CANONICAL = /^(?:0|-?[1-9]\d*)(?:\.\d*[1-9])?$|^-0\.\d*[1-9]$/;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * The common case of `CANONICAL`, checked by hand: a non-negative decimal without leading
 * zeros or trailing fraction zeros (`0`, `12`, `0.5`, `12.05`). `false` says only "not
 * this case": the caller then asks the regular expressions.
 */
function isCanonicalUnsigned(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const first = s.charCodeAt(0);
  if (!isDigit(first)) return false;
  let i = 1;
  if (first === 48) {
    if (n === 1) return true;
  } else while (i < n && isDigit(s.charCodeAt(i))) i++;
  if (i === n) return true;
  if (s.charCodeAt(i) !== 46 || i === n - 1) return false;
  for (i++; i < n; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return s.charCodeAt(n - 1) !== 48;
}

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
  return typeof value === 'string' && (isCanonicalUnsigned(value) || DECIMAL.test(value));
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
  if (b === '0' && isDecimalString(a)) return normalizeDecimal(a);
  if (a === '0' && isDecimalString(b)) return normalizeDecimal(b);
  return smallSum(a, b, 1) ?? bigSum(a, b, 1);
}

function bigSum(a: string, b: string, sign: 1 | -1): string {
  const [x, y, scale] = align(parse(a), parse(b));
  return format(sign === 1 ? x + y : x - y, scale);
}

/** Scale 10^k as a number, for k < 16. */
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * A non-negative plain decimal of at most 15 digits as an exact integer count of
 * 10^-scale, or `undefined` (then the BigInt path is taken).
 */
function small(value: string): { units: number; scale: number } | undefined {
  const n = value.length;
  if (n === 0 || n > 16) return undefined;
  let units = 0;
  let scale = -1;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 46 /* . */) {
      if (scale >= 0 || i === 0 || i === n - 1) return undefined;
      scale = 0;
    } else if (c >= 48 && c <= 57) {
      units = units * 10 + (c - 48);
      if (scale >= 0) scale += 1;
    } else return undefined;
  }
  if (scale < 0) scale = 0;
  // ≤ 15 digits: every step above was exact.
  return n - (scale > 0 ? 1 : 0) <= 15 ? { units, scale } : undefined;
}

/** `a ± b` with plain numbers when both are small and the result stays a safe integer. */
function smallSum(a: string, b: string, sign: 1 | -1): string | undefined {
  const x = small(a);
  if (x === undefined) return undefined;
  const y = small(b);
  if (y === undefined) return undefined;
  const scale = x.scale > y.scale ? x.scale : y.scale;
  const xu = x.units * (POW10[scale - x.scale] ?? NaN);
  const yu = y.units * (POW10[scale - y.scale] ?? NaN);
  const units = sign === 1 ? xu + yu : xu - yu;
  if (!Number.isSafeInteger(xu) || !Number.isSafeInteger(yu) || !Number.isSafeInteger(units))
    return undefined;
  return formatSmall(units, scale);
}

function formatSmall(units: number, scale: number): string {
  const negative = units < 0;
  let digits = String(negative ? -units : units);
  if (scale > 0) {
    if (digits.length <= scale) digits = '0'.repeat(scale + 1 - digits.length) + digits;
    let end = digits.length;
    const point = digits.length - scale;
    while (end > point && digits.charCodeAt(end - 1) === 48) end -= 1;
    digits = end === point ? digits.slice(0, point) : `${digits.slice(0, point)}.${digits.slice(point, end)}`;
  }
  return negative && digits !== '0' ? `-${digits}` : digits;
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
  return smallSum(a, b, -1) ?? bigSum(a, b, -1);
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
  if (a === b && isDecimalString(a)) return 0;
  const x = small(a);
  const y = x && small(b);
  if (x && y) {
    const scale = x.scale > y.scale ? x.scale : y.scale;
    const xu = x.units * (POW10[scale - x.scale] ?? NaN);
    const yu = y.units * (POW10[scale - y.scale] ?? NaN);
    if (Number.isSafeInteger(xu) && Number.isSafeInteger(yu)) return xu < yu ? -1 : xu > yu ? 1 : 0;
  }
  const [p, q] = align(parse(a), parse(b));
  return p < q ? -1 : p > q ? 1 : 0;
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
  if (isCanonicalUnsigned(value) || CANONICAL.test(value)) return value;
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
  return normalizeDecimal(sign + placePoint(lead + rest, 1 + Number(exp)));
}

/**
 * `digits` with the decimal point after its first `point` digits (`point` may be ≤ 0 or
 * beyond the end: zeros are added): `placePoint('222', -3)` is `'0.000222'`.
 * @internal
 */
export function placePoint(digits: string, point: number): string {
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}
