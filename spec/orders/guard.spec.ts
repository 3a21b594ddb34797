import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { OrderUpdateItem } from '../../lib/orders';
import { isPlainOrderUpdateItem } from '../../lib/orders/guard';
import { cancelled, done, fill, newOrder, rejected } from '../../lib/testing/builders';
import { DOC_SAMPLES } from './doc-samples';

const samples: unknown[] = [
  newOrder(),
  fill(),
  done(),
  cancelled({ orderId: 'btcidr-limit-3' }),
  rejected(),
  ...Object.values(DOC_SAMPLES).map(
    (text) => (JSON.parse(text) as { push: { pub: { data: unknown[] } } }).push.pub.data[0],
  ),
];

const poison = fc.oneof(
  fc.integer({ min: -2, max: 2 }),
  fc.constantFrom(
    undefined,
    null,
    '',
    '0',
    '-1',
    '1e-8',
    '1.5',
    0,
    -1,
    1.5,
    2 ** 53,
    NaN,
    'NEW',
    'FILL',
    'TAKER',
    'BUY',
  ),
  fc.constantFrom('0.002', '2.22E-4', Infinity, [], {}, Object.create(null) as object, new Date(0)),
  fc.jsonValue({ maxDepth: 2 }),
);
const keys = [
  'orderId',
  'symbol',
  'side',
  'origQty',
  'unfilledQty',
  'executedQty',
  'price',
  'status',
  'transactionTime',
  'description',
  'clientOrderId',
  'cancelReason',
  'tradeId',
  'fillInformation',
  'extra',
];
const fillKeys = [
  'participant',
  'filledQty',
  'qty',
  'feeAsset',
  'feeRate',
  'fee',
  'taxAsset',
  'taxRate',
  'tax',
  'clearingAsset',
  'clearingRate',
  'clearing',
  'extra',
];

/** A valid item with up to three fields (of the order, its fillInformation or the item) replaced. */
const mutated = fc
  .tuple(
    fc.constantFrom(...samples),
    fc.array(
      fc.tuple(
        fc.constantFrom('item', 'order', 'fill'),
        fc.constantFrom(...keys, ...fillKeys, 'eventType'),
        poison,
      ),
      { maxLength: 3 },
    ),
  )
  .map(([sample, edits]) => {
    const item = structuredClone(sample) as Record<string, unknown> & {
      order: Record<string, unknown> & { fillInformation?: Record<string, unknown> };
    };
    for (const [where, key, value] of edits) {
      const target = where === 'item' ? item : where === 'order' ? item.order : item.order?.fillInformation;
      if (typeof target === 'object' && target !== null) (target as Record<string, unknown>)[key] = value;
    }
    return item;
  });

describe('the success-path guard', () => {
  it('accepts the valid items the builders and the reference doc give', () => {
    for (const s of samples) expect(isPlainOrderUpdateItem(s)).toBe(true);
  });

  it('never accepts what the io-ts codecs refuse or would change (property)', () => {
    fc.assert(
      fc.property(mutated, (item) => {
        if (!isPlainOrderUpdateItem(item)) return;
        const decoded = OrderUpdateItem.decode(item);
        expect(E.isRight(decoded)).toBe(true);
        // The codecs return the item itself: the fast path's result is the decoded one.
        if (E.isRight(decoded)) expect(decoded.right.order).toBe(item.order);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('the guard on amounts', () => {
  const amount = fc.string({
    unit: fc.constantFrom('0', '1', '7', '9', '.', '-', '+', 'e', ' ', '\n', '٣', '０'),
    maxLength: 8,
  });

  it('accepts an amount exactly when the codecs do (property)', () => {
    fc.assert(
      fc.property(amount, fc.constantFrom('executedQty', 'price', 'qty', 'fee'), (text, key) => {
        const item = structuredClone(fill()) as unknown as {
          order: Record<string, unknown> & { fillInformation: Record<string, unknown> };
        };
        if (key === 'qty' || key === 'fee') item.order.fillInformation[key] = text;
        else item.order[key] = text;
        expect(isPlainOrderUpdateItem(item)).toBe(E.isRight(OrderUpdateItem.decode(item)));
      }),
      { numRuns: 5_000 },
    );
  });

  it.each(['0', '12', '0.5', '00.10', '1.', '.5', '', '1.2.3', '-1', '1e3', ' 1', '١'])(
    'decides %p as the codecs do',
    (text) => {
      const item = structuredClone(fill()) as unknown as { order: Record<string, unknown> };
      item.order['executedQty'] = text;
      expect(isPlainOrderUpdateItem(item)).toBe(E.isRight(OrderUpdateItem.decode(item)));
    },
  );
});
