import * as t from 'io-ts';

/**
 * The type of the `Order` and `OrderUpdate` codecs: io-ts's own `UnionType`, with its
 * member codecs in `types` (so a user's `t.union([OrderUpdate, Other])` can index it by
 * `status`), whose `validate` reads the discriminant first and then checks only the
 * matching member: a bad item yields one short message (`Missing value at
 * order/tradeId`) instead of one per member.
 *
 * ## Example
 * ```ts
 * const Either = t.union([OrderUpdate, t.type({ kind: t.literal('note') })]);
 * Either.decode(update); // right(update)
 * ```
 */
export type TaggedUnionType<A, O> = t.UnionType<t.Mixed[], A, O, unknown>;

/**
 * Builds a {@link TaggedUnionType} over `members`, keyed by the value of `tag`.
 * @internal
 */
export function taggedUnion<T extends string, M extends { readonly [P in T]: t.Mixed }>(
  name: string,
  tag: string,
  tags: t.Type<T, T, unknown>,
  members: M,
): TaggedUnionType<t.TypeOf<M[T]>, t.OutputOf<M[T]>> {
  type A = t.TypeOf<M[T]>;
  const memberOf = (u: unknown): t.Mixed | undefined => {
    if (typeof u !== 'object' || u === null) return undefined;
    const value = (u as Record<string, unknown>)[tag];
    return tags.is(value) ? members[value] : undefined;
  };
  return new t.UnionType<t.Mixed[], A, t.OutputOf<M[T]>, unknown>(
    name,
    (u): u is A => memberOf(u)?.is(u) === true,
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c);
      const value = (u as Record<string, unknown>)[tag];
      if (!tags.is(value)) {
        // A keyless step first, so the discriminant's key is not taken for a member index.
        const at = t.appendContext(t.appendContext(c, '', tags, u), tag, tags, value);
        return t.failure(value, at);
      }
      return members[value].validate(u, c) as t.Validation<A>;
    },
    (a) => members[(a as Record<string, unknown>)[tag] as T].encode(a) as t.OutputOf<M[T]>,
    Object.values<t.Mixed>(members),
  );
}
