import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { LenientDecimalString as DecimalString } from '../util/decimal-string';

/** Amounts keyed by coin, e.g. `{ btc: '0.001' }` for `order_btc`. */
export type CoinAmounts = Readonly<Record<string, string>>;

/** What {@link withCoinAmounts} adds: one {@link CoinAmounts} per prefix. */
export type AmountsOf<P extends string> = { readonly [K in P]: CoinAmounts };

const NOT_AMOUNTS = new Set(['order_id', 'order_type', 'client_order_id']);

/**
 * Decodes the legacy TAPI's coin-dependent fields generically: every `<prefix>_<coin>`
 * key (`order_btc`, `remain_idr`, `order_rp`, `receive_idr`, `sold_btc`, …) is collected
 * into `amounts[prefix][coin]` as an exact decimal string; the other fields go through
 * `base`. A bad amount is reported at its own key (`Invalid value "x" supplied to remain_btc`).
 *
 * ## Example
 * ```ts
 * const Entry = withCoinAmounts(t.type({ order_id: t.string }), ['order', 'remain'], 'Entry');
 * Entry.decode({ order_id: '1', order_btc: '0.1', remain_btc: 0 });
 * // right({ order_id: '1', amounts: { order: { btc: '0.1' }, remain: { btc: '0' } } })
 * ```
 * @internal
 */
export function withCoinAmounts<C extends t.Mixed, P extends string>(
  base: C,
  prefixes: readonly P[],
  name: string,
): t.Type<t.TypeOf<C> & { readonly amounts: AmountsOf<P> }, unknown, unknown> {
  type A = t.TypeOf<C> & { readonly amounts: AmountsOf<P> };
  const pattern = new RegExp(`^(${prefixes.join('|')})_([a-z0-9]+)$`, 'i');
  return new t.Type<A, unknown, unknown>(
    name,
    (u): u is A => base.is(u) && typeof (u as { amounts?: unknown }).amounts === 'object',
    (u, c) => {
      const decoded = base.validate(u, t.appendContext(c, '', base, u));
      if (E.isLeft(decoded)) return decoded;
      const record = u as Record<string, unknown>;
      const amounts = Object.fromEntries(prefixes.map((p) => [p, Object.create(null) as object])) as Record<
        string,
        Record<string, string>
      >;
      const errors: t.ValidationError[] = [];
      for (const key of Object.keys(record)) {
        if (NOT_AMOUNTS.has(key)) continue;
        const match = pattern.exec(key);
        if (!match) continue;
        const [, prefix = '', coin = ''] = match;
        const value = DecimalString.validate(
          record[key],
          t.appendContext(c, key, DecimalString, record[key]),
        );
        if (E.isLeft(value)) errors.push(...value.left);
        // Keyed by the exchange's coin names: a null prototype makes `constructor` an ordinary key.
        else
          (amounts[prefix.toLowerCase()] ??= Object.create(null) as Record<string, string>)[
            coin.toLowerCase()
          ] = value.right;
      }
      if (errors.length > 0) return t.failures(errors);
      // The raw `<prefix>_<coin>` keys (numbers or strings as sent) do not leak into the result.
      const rest = Object.fromEntries(
        Object.entries(decoded.right as Record<string, unknown>).filter(
          ([key]) => NOT_AMOUNTS.has(key) || !pattern.test(key),
        ),
      );
      return t.success({ ...rest, amounts } as A);
    },
    (a) => a,
  );
}
