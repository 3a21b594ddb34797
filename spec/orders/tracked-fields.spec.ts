import { decodeOrderItem } from '../../lib/orders/decode';
import type { OrderUpdate } from '../../lib/orders';
import { ORDER_FIELD_KEYS, pickFields } from '../../lib/orders/tracked';
import { mergeOrder } from '../../lib/orders/tracked';
import { cancelled, fill, newOrder } from '../../lib/testing/builders';

const T = 1_767_225_600_000;
const decode = (item: unknown, extra: Partial<OrderUpdate> = {}): OrderUpdate => {
  const r = decodeOrderItem(item);
  if (r.kind !== 'update') throw new Error('bad fixture');
  return { ...r.update, ...extra } as OrderUpdate;
};
const SHAPE = [...ORDER_FIELD_KEYS, 'fills', 'fillsQty', 'totals', 'firstSeen', 'lastSeen'];

describe('one field list for a tracked order', () => {
  const approximate = mergeOrder(
    undefined,
    decode(newOrder({ transactionTime: T }), { approximate: true, source: 'rest' }),
  );
  const rows = [
    { name: 'built from an update', order: mergeOrder(undefined, decode(newOrder({ transactionTime: T }))) },
    {
      name: 'copied with new fills (a late fill of an ended order)',
      order: mergeOrder(
        mergeOrder(undefined, decode(cancelled({ transactionTime: T + 2 }))),
        decode(fill({ transactionTime: T + 1, qty: '0.001', filledQty: '0.001' })),
      ),
    },
    {
      name: 'copied with corrected quantities (a late exact update of an approximate order)',
      order: mergeOrder(
        mergeOrder(
          approximate,
          decode(cancelled({ transactionTime: T + 2 }), { approximate: true, source: 'rest' }),
        ),
        decode(newOrder({ transactionTime: T, origQty: '0.02' })),
      ),
    },
  ];

  it.each(rows)('every tracked order has the one shape: $name', ({ order }) => {
    expect(Object.keys(order)).toEqual(SHAPE);
  });

  it('a corrected order took the quantities and kept its status', () => {
    expect(rows[2]?.order).toMatchObject({ status: 'CANCELLED', origQty: '0.02', approximate: false });
  });

  it('views pick from it', () => {
    expect(pickFields(rows[0]!.order, ['orderId', 'status'])).toEqual({
      orderId: 'btcidr-limit-1',
      status: 'NEW',
    });
  });
});
