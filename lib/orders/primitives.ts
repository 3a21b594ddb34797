/**
 * The checks on the leaves of an `order_update`, shared by the io-ts codecs of `./codecs`
 * and the success-path guard of `./guard`, so both apply the very same rules: an identifier
 * is a string of at most {@link MAX_IDENTIFIER_LENGTH} UTF-16 code units and no control
 * character; an amount is an unsigned decimal string of at most {@link MAX_AMOUNT_LENGTH}
 * characters; a time is a positive safe integer a `Date` can hold (at most
 * {@link MAX_TIME_MS}).
 *
 * @module
 */

/** The longest identifier (`orderId`, `tradeId`, `symbol`, assets…) an item may carry. */
export const MAX_IDENTIFIER_LENGTH = 128;
/** The longest decimal string (`price`, `qty`, `fee`…) an item may carry. */
export const MAX_AMOUNT_LENGTH = 64;
/** The largest time a `Date` can hold: 8.64e15 ms (year 275760). */
export const MAX_TIME_MS = 8.64e15;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * Whether `u` is an identifier: a string of at most 128 code units, none of them a control
 * character (C0 `\u0000`–`\u001f`, DEL, C1 `\u0080`–`\u009f`).
 *
 * ## Example
 * ```ts
 * isIdentifier('aaveidr-limit-3397'); // true
 * isIdentifier('a\r\nb'); // false
 * ```
 */
export function isIdentifier(u: unknown): u is string {
  if (typeof u !== 'string' || u.length > MAX_IDENTIFIER_LENGTH) return false;
  for (let i = 0; i < u.length; i++) {
    const c = u.charCodeAt(i);
    if (c < 32 || (c >= 127 && c <= 159)) return false;
  }
  return true;
}

/**
 * Whether `u` is an amount as the exchange pushes it: `/^\d+(\.\d+)?$/` of at most 64
 * characters (a loop: it runs 4–9 times per item).
 *
 * ## Example
 * ```ts
 * isAmount('0.0046462'); // true
 * isAmount('1e-8'); // false
 * ```
 */
export function isAmount(u: unknown): u is string {
  if (typeof u !== 'string') return false;
  const n = u.length;
  if (n > MAX_AMOUNT_LENGTH) return false;
  let i = 0;
  while (i < n && isDigit(u.charCodeAt(i))) i++;
  if (i === 0) return false;
  if (i === n) return true;
  if (u.charCodeAt(i) !== 46 || i === n - 1) return false;
  for (i++; i < n; i++) if (!isDigit(u.charCodeAt(i))) return false;
  return true;
}

/**
 * Whether `u` is an exchange time: a positive safe integer of ms a `Date` can hold.
 *
 * ## Example
 * ```ts
 * isTime(1772510281185); // true
 * isTime(9007199254740991); // false: beyond the largest Date
 * ```
 */
export function isTime(u: unknown): u is number {
  return typeof u === 'number' && Number.isSafeInteger(u) && u > 0 && u <= MAX_TIME_MS;
}

/** Why a string is no identifier (for the decode report), or `undefined` when it is one. @internal */
export function identifierProblem(u: string): string | undefined {
  if (u.length > MAX_IDENTIFIER_LENGTH)
    return `longer than ${MAX_IDENTIFIER_LENGTH} characters (${u.length})`;
  for (let i = 0; i < u.length; i++) {
    const c = u.charCodeAt(i);
    if (c < 32 || (c >= 127 && c <= 159)) return `a control character at ${i}`;
  }
  return undefined;
}
