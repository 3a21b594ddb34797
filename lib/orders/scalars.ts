/**
 * The leaf codecs of an `order_update`: rates, times, identifiers and amounts, on the
 * checks of `./primitives` (which the success-path guard uses too).
 *
 * @module
 */
import * as t from 'io-ts';
import { describeValue } from '../util/describe';
import { DecimalString } from '../util/decimal-string';
import {
  identifierProblem,
  isAmount,
  isIdentifier,
  isTime,
  MAX_AMOUNT_LENGTH,
  MAX_TIME_MS,
} from './primitives';

/**
 * A rate (`feeRate`, `taxRate`, `clearingRate`): a finite number, also in exponent form
 * (`2.22E-4` is the JSON number 0.000222). A numeric string is accepted and read as a number.
 *
 * ## Example
 * ```ts
 * Rate.decode(2.22e-4); // right(0.000222)
 * ```
 */
export const Rate = new t.Type<number, number, unknown>(
  'Rate',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
  (u, c) => {
    if (typeof u === 'number' && Number.isFinite(u)) return t.success(u);
    if (typeof u === 'string' && u.trim() !== '' && Number.isFinite(Number(u))) return t.success(Number(u));
    return t.failure(u, c);
  },
  t.identity,
);

/**
 * An exchange time in ms since the epoch: a positive safe integer a `Date` can hold (at
 * most 8.64e15). `0`, negative values, fractions, `9007199254740991`, `1e400` (Infinity)
 * and `-1e309` are refused: a store clock, a view or a reconciliation window must never
 * start there.
 *
 * ## Example
 * ```ts
 * TransactionTime.is(1772510281185); // true
 * TransactionTime.is(0); // false
 * TransactionTime.is(9007199254740991); // false
 * ```
 */
export const TransactionTime = new t.Type<number, number, unknown>(
  'TransactionTime',
  isTime,
  (u, c) => {
    if (isTime(u)) return t.success(u);
    // Beyond the largest Date: say so (other refusals keep io-ts's plain message).
    if (typeof u === 'number' && Number.isSafeInteger(u) && u > MAX_TIME_MS) {
      return t.failure(u, c, `Invalid value ${u} (later than the largest Date, ${MAX_TIME_MS} ms)`);
    }
    return t.failure(u, c);
  },
  t.identity,
);

/**
 * An identifier of an order update (`orderId`, `clientOrderId`, `tradeId`, `symbol`, the
 * assets, `description`, `cancelReason`): a string of at most 128 characters (UTF-16 code
 * units) and no control character, so it is safe in a header, a log line or a terminal.
 *
 * ## Example
 * ```ts
 * Identifier.is('aaveidr-limit-3397'); // true
 * Identifier.is('a\r\nb'); // false
 * ```
 */
export const Identifier = new t.Type<string, string, unknown>(
  'Identifier',
  isIdentifier,
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c);
    const problem = identifierProblem(u);
    return problem === undefined
      ? t.success(u)
      : t.failure(u, c, `Invalid value ${describeValue(u)} (${problem})`);
  },
  t.identity,
);

/**
 * An amount of an order update: a {@link DecimalString} of at most 64 characters.
 *
 * ## Example
 * ```ts
 * Amount.is('0.00996909'); // true
 * Amount.is('1'.repeat(65)); // false
 * ```
 */
export const Amount = new t.Type<string, string, unknown>(
  'DecimalString',
  isAmount,
  (u, c) => {
    if (isAmount(u)) return t.success(u);
    if (DecimalString.is(u)) {
      return t.failure(
        u,
        c,
        `Invalid value ${describeValue(u)} (longer than ${MAX_AMOUNT_LENGTH} characters: ${u.length})`,
      );
    }
    return t.failure(u, c);
  },
  t.identity,
);
