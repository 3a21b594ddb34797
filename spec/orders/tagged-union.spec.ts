import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { Order, OrderUpdate } from '../../lib/orders';
import { fill, newOrder } from '../../lib/testing/builders';
import { updateOf } from '../../lib/testing/marbles';
import { formatValidationErrors } from '../../lib/util/report';

/** io-ts's (internal) index of a union's tags: what crashed on the fake union. */
const getTags = (t as unknown as { getTags(codec: t.Mixed): Record<string, unknown[]> }).getTags;

const Note = t.type({ kind: t.literal('note'), text: t.string });
const Pending = t.type({ status: t.literal('PENDING'), order: t.type({ orderId: t.string }) });

describe('our unions are io-ts unions (issue 11: tagged-union)', () => {
  it('expose their members, so io-ts can index them by status', () => {
    expect(OrderUpdate._tag).toBe('UnionType');
    expect(OrderUpdate.types).toHaveLength(5);
    expect(getTags(OrderUpdate)).toEqual({ status: ['NEW', 'FILL', 'CANCELLED', 'DONE', 'REJECTED'] });
    expect(Object.keys(getTags(Order))).toEqual(['status']);
  });

  it("decode inside a user's t.union with an unrelated member", () => {
    const Either = t.union([OrderUpdate, Note]);
    const u = updateOf(fill({ orderId: 'btcidr-limit-1' }));
    expect(Either.decode(u)).toEqual(E.right(u));
    expect(Either.decode({ kind: 'note', text: 'hi' })).toEqual(E.right({ kind: 'note', text: 'hi' }));
    expect(E.isLeft(Either.decode({ kind: 'other' }))).toBe(true);
    expect(Either.is(u)).toBe(true);
  });

  it("decode inside a user's t.union indexed by the same tag", () => {
    const Indexed = t.union([OrderUpdate, Pending]);
    const u = updateOf(newOrder({ orderId: 'btcidr-limit-2' }));
    expect(Indexed.decode(u)).toEqual(E.right(u));
    const p = { status: 'PENDING', order: { orderId: 'x' } };
    expect(Indexed.decode(p)).toEqual(E.right(p));
    const bad = Indexed.decode({ status: 'FILL', order: { orderId: 'x' } });
    expect(E.isLeft(bad) && formatValidationErrors(bad.left)).toContain('order/');
  });

  it('still report one short path for a bad item of our own', () => {
    const r = OrderUpdate.decode({
      status: 'FILL',
      order: { ...newOrder().order, status: 'FILL' },
      source: 'ws',
    });
    expect(E.isLeft(r) && formatValidationErrors(r.left)).toBe(
      'Missing value at order/tradeId; Missing value at order/fillInformation',
    );
  });
});
