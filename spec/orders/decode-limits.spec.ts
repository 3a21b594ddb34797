import fc from 'fast-check';
import { Subject } from 'rxjs';
import type { ChannelMessage } from '../../lib/protocol/messages';
import { decodeOrderItem } from '../../lib/orders/decode';
import { isPlainOrderUpdateItem } from '../../lib/orders/guard';
import { orderUpdates, type InvalidMessage, type OrderUpdate } from '../../lib/orders';
import { fill, newOrder } from '../../lib/testing/builders';

const T = 1_772_510_281_185;
type Raw = { order: Record<string, unknown> & { fillInformation: Record<string, unknown> } };
const sample = (): Raw => structuredClone(fill({ transactionTime: T })) as unknown as Raw;

const ID_FIELDS = ['orderId', 'clientOrderId', 'tradeId', 'symbol', 'description'] as const;
const FILL_ID_FIELDS = ['feeAsset', 'taxAsset', 'clearingAsset'] as const;
const AMOUNTS = ['origQty', 'unfilledQty', 'executedQty', 'price'] as const;
const FILL_AMOUNTS = ['qty', 'filledQty', 'fee', 'tax', 'clearing'] as const;

const set = (item: Raw, key: string, value: unknown): Raw => {
  if (
    (FILL_ID_FIELDS as readonly string[]).includes(key) ||
    (FILL_AMOUNTS as readonly string[]).includes(key)
  ) {
    item.order.fillInformation[key] = value;
  } else item.order[key] = value;
  return item;
};
const pathOf = (key: string): string =>
  (FILL_ID_FIELDS as readonly string[]).includes(key) || (FILL_AMOUNTS as readonly string[]).includes(key)
    ? `order/fillInformation/${key}`
    : `order/${key}`;

const control = fc
  .integer({ min: 0, max: 159 })
  .filter((c) => c < 32 || c >= 127)
  .map((c) => String.fromCharCode(c));
const text = fc.string({ maxLength: 20 });
const withControl = fc.tuple(text, control, text).map(([a, c, b]) => a + c + b);
const tooLong = fc.string({ minLength: 129, maxLength: 300 }); // printable ASCII: only the length is wrong

function decodesInvalid(item: unknown, path: string): void {
  const r = decodeOrderItem(item, { source: 'ws' });
  expect(r.kind).toBe('invalid');
  if (r.kind === 'invalid') expect(r.reason).toContain(path);
  expect(isPlainOrderUpdateItem(item)).toBe(false);
}

describe('identifiers (property)', () => {
  const key = fc.constantFrom<string>(...ID_FIELDS, ...FILL_ID_FIELDS, 'cancelReason');

  it('an id-like field holding a control character is an invalid item, reported at its path', () => {
    fc.assert(
      fc.property(key, withControl, (k, value) => {
        const item =
          k === 'cancelReason'
            ? { ...newCancelled(), order: { ...newCancelled().order, cancelReason: value } }
            : set(sample(), k, value);
        decodesInvalid(item, pathOf(k));
      }),
    );
  });

  it('an id-like field over 128 characters is invalid; up to 128 is fine', () => {
    fc.assert(
      fc.property(
        key.filter((k) => k !== 'cancelReason'),
        tooLong,
        (k, value) => decodesInvalid(set(sample(), k, value), pathOf(k)),
      ),
    );
    for (const k of [...ID_FIELDS, ...FILL_ID_FIELDS]) {
      expect(decodeOrderItem(set(sample(), k, 'a'.repeat(128))).kind).toBe('update');
    }
  });

  it('says why in words', () => {
    const r = decodeOrderItem(set(sample(), 'orderId', 'btcidr-limit-1\r\n'));
    expect(r).toEqual({
      kind: 'invalid',
      reason: 'Invalid value "btcidr-limit-1\\r\\n" (a control character at 14) at order/orderId',
    });
    const long = decodeOrderItem(set(sample(), 'tradeId', '7'.repeat(129)));
    expect(long.kind === 'invalid' && long.reason).toMatch(
      /\(longer than 128 characters \(129\)\) at order\/tradeId$/,
    );
  });
});

function newCancelled(): Raw {
  const item = structuredClone(newOrder({ transactionTime: T })) as unknown as Raw;
  item.order['status'] = 'CANCELLED';
  return item;
}

describe('amounts (property)', () => {
  it('a decimal string over 64 characters is invalid; up to 64 is fine', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<string>(...AMOUNTS, ...FILL_AMOUNTS),
        fc.stringMatching(/^\d{1,40}(\.\d{1,40})?$/),
        (k, value) => {
          const item = set(sample(), k, value);
          if (value.length > 64) decodesInvalid(item, pathOf(k));
          // Only the length rule is under test: the same item with a short amount decodes.
          else expect(isPlainOrderUpdateItem(item)).toBe(decodeOrderItem(item).kind === 'update');
        },
      ),
    );
    const r = decodeOrderItem(set(sample(), 'price', '1'.repeat(65)));
    expect(r.kind === 'invalid' && r.reason).toMatch(/longer than 64 characters: 65\) at order\/price$/);
  });
});

describe('times (property)', () => {
  it('every decoded time is a Date-able number', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double(), fc.constant(9007199254740991)),
        (time) => {
          const item = set(sample(), 'transactionTime', time);
          const r = decodeOrderItem(item);
          if (r.kind === 'update') {
            expect(Math.abs(r.update.order.transactionTime)).toBeLessThanOrEqual(8.64e15);
            expect(() => new Date(r.update.order.transactionTime).toISOString()).not.toThrow();
          } else {
            expect(r.kind).toBe('invalid');
            expect(isPlainOrderUpdateItem(item)).toBe(false);
          }
        },
      ),
    );
  });

  it('refuses 9007199254740991 and 8.64e15 + 1, with a reason; accepts 8.64e15', () => {
    expect(decodeOrderItem(set(sample(), 'transactionTime', 9007199254740991))).toEqual({
      kind: 'invalid',
      reason:
        'Invalid value 9007199254740991 (later than the largest Date, 8640000000000000 ms) at order/transactionTime',
    });
    expect(decodeOrderItem(set(sample(), 'transactionTime', 8.64e15 + 1)).kind).toBe('invalid');
    expect(decodeOrderItem(set(sample(), 'transactionTime', 8.64e15)).kind).toBe('update');
  });
});

describe('the stream goes on', () => {
  it('an item with a header-hostile id is reported with its raw text, the next one flows', () => {
    const input = new Subject<ChannelMessage>();
    const updates: OrderUpdate[] = [];
    const invalid: InvalidMessage[] = [];
    input.pipe(orderUpdates({ onInvalid: (p) => invalid.push(p) })).subscribe((u) => updates.push(u));
    const bad = set(sample(), 'orderId', 'btcidr-limit-1\r\n');
    const good = fill({ orderId: 'btcidr-limit-2', transactionTime: T });
    input.next({ type: 'publication', channel: 'pws:#x', data: [bad, good] });
    expect(updates.map((u) => u.order.orderId)).toEqual(['btcidr-limit-2']);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]?.rawText).toContain('btcidr-limit-1\\r\\n');
    expect(invalid[0]?.reason).toContain('order/orderId');
  });
});
