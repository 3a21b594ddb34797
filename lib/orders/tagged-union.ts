import * as t from 'io-ts';

/**
 * A union codec that reads its discriminant first and then checks only the matching
 * member, so a bad item yields one short message instead of one per member. Its `_tag`
 * is `UnionType`, so `errorPath` leaves the member index out of paths (`order/tradeId`).
 * The type of the `Order` and `OrderUpdate` codecs.
 *
 * ## Example
 * ```ts
 * Order.decode(raw); // a Validation<Order>, like any io-ts codec
 * ```
 */
export class TaggedUnionType<A, O> extends t.Type<A, O, unknown> {
  readonly _tag = 'UnionType' as const;
}

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
  const list: t.Mixed[] = Object.values(members);
  return new TaggedUnionType<t.TypeOf<M[T]>, t.OutputOf<M[T]>>(
    name,
    (u): u is t.TypeOf<M[T]> => list.some((m) => m.is(u)),
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c);
      const value = (u as Record<string, unknown>)[tag];
      if (!tags.is(value)) {
        // A keyless step first, so the discriminant's key is not taken for a member index.
        const at = t.appendContext(t.appendContext(c, '', tags, u), tag, tags, value);
        return t.failure(value, at);
      }
      return members[value].validate(u, c) as t.Validation<t.TypeOf<M[T]>>;
    },
    (a) => {
      const value = (a as Record<string, unknown>)[tag] as T;
      return members[value].encode(a) as t.OutputOf<M[T]>;
    },
  );
}
