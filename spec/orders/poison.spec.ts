import fc from 'fast-check';
import { from, lastValueFrom, toArray } from 'rxjs';
import {
  createOrderState,
  decodeOrderItem,
  initialOrderState,
  orderUpdates,
  reduceOrderState,
  type InvalidMessage,
  type OrderStateSnapshot,
  type OrderUpdate,
} from '../../lib/orders';
import type { ChannelMessage } from '../../lib/protocol/messages';
import { fill, newOrder } from '../../lib/testing/builders';
import { describeValue } from '../../lib/util/describe';

const pub = (data: unknown): ChannelMessage => ({ type: 'publication', channel: 'pws:#x', data });

async function run(messages: readonly ChannelMessage[]) {
  const invalid: InvalidMessage[] = [];
  const updates = await lastValueFrom(
    from(messages).pipe(orderUpdates({ onInvalid: (p) => invalid.push(p) }), toArray()),
  );
  return { updates, invalid };
}

function nested(depth: number, leaf: unknown = 1, asArray = true): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

const withOrder = (item: unknown, patch: Record<string, unknown>) => {
  const i = item as { order: Record<string, unknown> };
  return { ...i, order: { ...i.order, ...patch } };
};

describe('poison items never stop a stream (issue 11, problem 4)', () => {
  it.each([
    ['an array nested 100 000 deep', nested(100_000)],
    ['an object nested 100 000 deep', nested(100_000, 1, false)],
    ['an order nested 100 000 deep', { eventType: 'order_update', order: nested(100_000) }],
    ['an eventType nested 100 000 deep', { eventType: nested(100_000) }],
    [
      'a fillInformation nested 100 000 deep',
      withOrder(fill({ orderId: 'btcidr-limit-16' }), { fillInformation: nested(1e5) }),
    ],
    ['a field whose toString is poison', { eventType: { toString: 1, valueOf: 2 } }],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { eventType: 5 })],
  ])('reports %s as invalid; the valid items of the same publication still come through', async (_, bad) => {
    const a = newOrder({ orderId: 'btcidr-limit-1' });
    const b = newOrder({ orderId: 'btcidr-limit-2' });
    const { updates, invalid } = await run([
      pub([a, bad, b]),
      pub([newOrder({ orderId: 'btcidr-limit-3' })]),
    ]);
    expect(updates.map((u) => u.order.orderId)).toEqual([
      'btcidr-limit-1',
      'btcidr-limit-2',
      'btcidr-limit-3',
    ]);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]!.index).toBe(1);
    expect(invalid[0]!.raw).toBe(bad);
    expect(invalid[0]!.reason.length).toBeLessThan(600);
  });

  it('reports a publication whose whole data is nested 100 000 deep', async () => {
    const { updates, invalid } = await run([pub(nested(100_000, 1, false)), pub([newOrder()])]);
    expect(updates).toHaveLength(1);
    expect(invalid).toHaveLength(1);
  });

  it.each([
    0,
    -1,
    JSON.parse('-1e309') as number,
    JSON.parse('1e400') as number,
    1.5,
    NaN,
    2 ** 53,
    '1772510281185',
    null,
  ])('refuses transactionTime %p (a positive safe integer only)', (time) => {
    const r = decodeOrderItem(withOrder(newOrder(), { transactionTime: time }));
    expect(r).toEqual({
      kind: 'invalid',
      reason: expect.stringContaining('order/transactionTime') as string,
    });
  });

  it('accepts transactionTime 1 and 8.64e15 (the largest Date), refuses Number.MAX_SAFE_INTEGER', () => {
    for (const time of [1, 8.64e15]) {
      expect(decodeOrderItem(withOrder(newOrder(), { transactionTime: time })).kind).toBe('update');
    }
    expect(decodeOrderItem(withOrder(newOrder(), { transactionTime: Number.MAX_SAFE_INTEGER })).kind).toBe(
      'invalid',
    );
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])(
    'folds the fees of a FILL whose assets are %p (totals inherit nothing)',
    (asset) => {
      const item = (tradeId: string, qty: string) => {
        const f = fill({ orderId: 'btcidr-limit-7', origQty: '1', qty, filledQty: qty, tradeId });
        const info = (f as { order: { fillInformation: Record<string, unknown> } }).order.fillInformation;
        return withOrder(f, {
          fillInformation: {
            ...info,
            feeAsset: asset,
            fee: '1.5',
            taxAsset: asset,
            tax: '0.25',
            clearingAsset: 'IDR',
            clearing: '2',
          },
        });
      };
      const decoded = [item('1', '0.1'), item('2', '0.2')].map((i) => decodeOrderItem(i));
      const updates = decoded.map((r) => (r.kind === 'update' ? r.update : undefined));
      expect(updates.every((u) => u !== undefined)).toBe(true);
      const s = (updates as OrderUpdate[]).reduce(reduceOrderState, initialOrderState);
      const totals = s.orders.get('btcidr-limit-7')!.totals;
      const key = asset.toLowerCase();
      expect(Object.entries(totals.fee)).toEqual([[key, '3']]);
      expect(Object.entries(totals.tax)).toEqual([[key, '0.5']]);
      expect(Object.entries(totals.clearing)).toEqual([['idr', '4']]);
      // It inherits nothing: no key of Object.prototype is visible through it.
      expect(Object.getPrototypeOf(Object.getPrototypeOf(totals.fee))).toBeNull();
      expect(Object.keys(Object.getPrototypeOf(totals.fee) as object)).toEqual([]);
      expect('toString' in totals.tax || 'hasOwnProperty' in totals.clearing).toBe(false);
    },
  );
});

describe('describeValue', () => {
  it('is bounded in depth and length and never calls a method of the value', () => {
    expect(describeValue({ a: [1, { b: 'x' }] })).toBe('{"a":[1,{"b":"x"}]}');
    expect(describeValue(nested(100_000))).toBe('[[[[...]]]]');
    expect(describeValue({ toString: 1, valueOf: 2 })).toBe('{"toString":1,"valueOf":2}');
    expect(describeValue('x'.repeat(10_000)).length).toBeLessThanOrEqual(80);
    expect(describeValue(Array.from({ length: 1e5 }, (_, i) => i))).toBe('[0,1,2,3,4,5,6,7,...]');
  });
});

/** Any JSON value, and deep ones (arrays and objects nested up to 20 000 levels). */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true }),
  fc
    .tuple(fc.integer({ min: 1, max: 20_000 }), fc.boolean(), fc.jsonValue({ maxDepth: 1 }))
    .map(([depth, asArray, leaf]) => nested(depth, leaf, asArray)),
);

/** Items that look like order updates with any value in any one field. */
const nearItem: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.constantFrom(newOrder({ orderId: 'btcidr-limit-24' }), fill({ orderId: 'btcidr-limit-24' })),
    fc.constantFrom(
      'orderId',
      'status',
      'transactionTime',
      'executedQty',
      'fillInformation',
      'tradeId',
      'side',
    ),
    anyValue,
  )
  .map(([item, key, value]) => withOrder(item, { [key]: value }));

describe('properties', () => {
  it('orderUpdates() never errors, whatever the publications hold, and reports every non-update once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(anyValue, fc.array(fc.oneof(anyValue, nearItem), { maxLength: 6 })), {
          maxLength: 5,
        }),
        async (datas) => {
          const { updates, invalid } = await run(datas.map(pub));
          const items = datas.flatMap((d) => (Array.isArray(d) ? (d as unknown[]) : [d]));
          expect(updates.length + invalid.length).toBeLessThanOrEqual(items.length);
          for (const p of invalid) expect(typeof p.reason).toBe('string');
        },
      ),
      { numRuns: 300 },
    );
  });

  const asset = fc.oneof(
    fc.constantFrom('idr', 'IDR', 'usdt', 'constructor', '__proto__', 'toString', 'valueOf', ''),
    fc.string({ maxLength: 6 }),
  );
  const decimal = fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.nat({ max: 12 }))
    .map(([units, scale]) => {
      const digits = units.toString().padStart(scale + 1, '0');
      return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    });
  const text = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'x'));
  const acceptedItem = fc
    .record({
      status: fc.constantFrom('NEW', 'FILL', 'CANCELLED', 'DONE', 'REJECTED'),
      orderId: text,
      tradeId: text,
      qty: decimal,
      executed: decimal,
      time: fc.integer({ min: 1, max: 8.64e15 }),
      feeAsset: asset,
      taxAsset: asset,
      clearingAsset: asset,
      fee: decimal,
      rate: fc.double({ noNaN: true, noDefaultInfinity: true }),
      approximate: fc.boolean(),
      source: fc.constantFrom('ws' as const, 'rest' as const),
    })
    .map((r) => {
      const order: Record<string, unknown> = {
        orderId: r.orderId,
        symbol: r.orderId,
        side: 'BUY',
        origQty: r.qty,
        unfilledQty: r.qty,
        executedQty: r.executed,
        price: r.fee,
        status: r.status,
        transactionTime: r.time,
      };
      if (r.status === 'FILL') {
        order['tradeId'] = r.tradeId;
        order['fillInformation'] = {
          participant: 'MAKER',
          filledQty: r.executed,
          qty: r.qty,
          feeAsset: r.feeAsset,
          feeRate: r.rate,
          fee: r.fee,
          taxAsset: r.taxAsset,
          taxRate: r.rate,
          tax: r.qty,
          clearingAsset: r.clearingAsset,
          clearingRate: r.rate,
          clearing: r.executed,
        };
      }
      const decoded = decodeOrderItem({ eventType: 'order_update', order }, { source: r.source });
      if (decoded.kind !== 'update')
        throw new Error(`the generator made an invalid item: ${JSON.stringify(decoded)}`);
      return r.approximate ? ({ ...decoded.update, approximate: true } as OrderUpdate) : decoded.update;
    });

  it('reduceOrderState never throws on anything the decoder accepts, and keeps its counts consistent', () => {
    fc.assert(
      fc.property(fc.array(acceptedItem, { maxLength: 40 }), fc.nat({ max: 5 }), (updates, max) => {
        let s: OrderStateSnapshot = createOrderState({ maxTerminalOrders: max, maxForgotten: max });
        for (const u of updates) s = reduceOrderState(s, u);
        expect(s.openCount + s.terminalCount).toBe(s.orders.size);
        expect(s.terminalCount).toBeLessThanOrEqual(max);
      }),
      { numRuns: 500 },
    );
  });
});
