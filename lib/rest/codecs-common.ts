import * as t from 'io-ts';

// The lenient decimal codec of REST rows (`LenientDecimalString`) lives in the leaf module
// util/decimal-string; the codecs import it from there.

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

/**
 * `t.record(t.string, codomain)` whose decoded value has no prototype: a key the exchange
 * names `constructor`, `__proto__` or `toString` is an ordinary entry, and a key it does not
 * send reads `undefined`, never an inherited function.
 *
 * ## Example
 * ```ts
 * const Balances = exchangeRecord(DecimalString, 'Balances');
 * Balances.decode({ idr: '1' }); // right: { idr: '1' }, and its ['constructor'] is undefined
 * ```
 */
export function exchangeRecord<C extends t.Mixed>(
  codomain: C,
  name: string,
): t.Type<Readonly<Record<string, t.TypeOf<C>>>, Record<string, t.OutputOf<C>>, unknown> {
  const base = t.record(t.string, codomain);
  return new t.Type(
    name,
    (u): u is Readonly<Record<string, t.TypeOf<C>>> => base.is(u),
    (u, c) => {
      const result = base.validate(u, c);
      if (result._tag === 'Left') return result;
      const out = Object.create(null) as Record<string, t.TypeOf<C>>;
      for (const key of Object.keys(result.right)) out[key] = result.right[key];
      return t.success(out);
    },
    (a) => base.encode(a),
  );
}
