import fc from 'fast-check';
import { lastValueFrom, of, toArray } from 'rxjs';
import type { ChannelMessage } from '../../lib/connection/types';
import { orderUpdates, type InvalidMessage } from '../../lib/orders';
import { decodeLine, splitFrame } from '../../lib/protocol/frames';

const decimal = fc
  .tuple(fc.nat({ max: 10_000_000 }), fc.option(fc.nat({ max: 99_999_999 }), { nil: undefined }))
  .map(([i, f]) => (f === undefined ? String(i) : `${i}.${f}`));

/** A valid wire `order_update` item of any status, numbered `seq` in its orderId. */
const validItem = (seq: number) =>
  fc
    .record({
      status: fc.constantFrom('NEW', 'FILL', 'CANCELLED', 'DONE', 'REJECTED'),
      side: fc.constantFrom('BUY', 'SELL'),
      qty: decimal,
      price: decimal,
      time: fc.integer({ min: 1, max: 8.64e15 }), // a time a Date can hold
      rate: fc.double({ min: 0, max: 0.01, noNaN: true }),
      tradeId: fc.bigInt({ min: 0n, max: 2n ** 63n }),
    })
    .map(({ status, side, qty, price, time, rate, tradeId }) => {
      const order: Record<string, unknown> = {
        orderId: `btcidr-limit-${seq}`,
        symbol: 'btcidr',
        side,
        origQty: qty,
        unfilledQty: qty,
        executedQty: '0',
        price,
        description: 'BTC/IDR',
        status,
        transactionTime: time,
        clientOrderId: `c-${seq}`,
      };
      if (status === 'FILL') {
        order['tradeId'] = String(tradeId);
        order['fillInformation'] = {
          participant: 'MAKER',
          filledQty: qty,
          qty,
          feeAsset: 'idr',
          feeRate: rate,
          fee: '1',
          taxAsset: 'idr',
          taxRate: rate,
          tax: '0',
          clearingAsset: 'idr',
          clearingRate: rate,
          clearing: '0',
        };
      }
      return { eventType: 'order_update', order };
    });

/** An item that can never decode as an order update. */
const badItem: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.string(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant({ eventType: 'order_update', order: null }),
  fc.constant({ eventType: 'order_update' }),
  fc.constant({ eventType: 'balance_update', data: {} }),
  validItem(-1).map((item) => ({ ...item, order: { ...item.order, orderId: undefined } })),
  validItem(-1).map((item) => ({ ...item, order: { ...item.order, status: 'PARTIAL' } })),
  validItem(-1).map((item) => ({ ...item, order: { ...item.order, origQty: 1.5 } })),
  validItem(-1).map((item) => ({ ...item, order: { ...item.order, price: '-1' } })),
);

/** A line that is never a usable server message: not JSON, or JSON that is not an object. */
const badLine = fc
  .oneof(
    fc.string(),
    fc.jsonValue().map((v) => JSON.stringify(v)),
  )
  .map((s) => s.replace(/[\r\n]/g, ' ').trim())
  .filter((s) => {
    if (s === '') return false;
    try {
      const v: unknown = JSON.parse(s);
      return typeof v !== 'object' || v === null || Array.isArray(v);
    } catch {
      return true;
    }
  });

describe('fuzz: protocol frames', () => {
  it('decodeLine never throws, whatever the line', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (line) => {
          const result = decodeLine(line);
          if (!result.ok) expect(result.invalid.raw).toBe(line);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('splitFrame never throws and gives one result per non-empty line', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
        ),
        (lines) => {
          const frame = lines.join('\n');
          const expected = frame.split('\n').filter((l) => l.trim() !== '').length;
          expect(splitFrame(frame)).toHaveLength(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reports every bad line once and still uses every push line, in order', () => {
    const line = fc.oneof(
      fc.nat().map((n) => ({ good: n })),
      badLine.map((raw) => ({ bad: raw })),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const text = lines
          .map((l) =>
            'good' in l ? JSON.stringify({ push: { channel: 'pws:#x', pub: { data: [l.good] } } }) : l.bad,
          )
          .join('\n');
        const out = splitFrame(text);
        const pushes = out.flatMap((r) =>
          r.ok && r.message.kind === 'push' ? [r.message.push.pub?.data] : [],
        );
        const invalid = out.flatMap((r) => (r.ok ? [] : [r.invalid.raw]));
        expect(pushes).toEqual(lines.flatMap((l) => ('good' in l ? [[l.good]] : [])));
        expect(invalid).toEqual(lines.flatMap((l) => ('bad' in l ? [l.bad] : [])));
      }),
      { numRuns: 500 },
    );
  });
});

describe('fuzz: orderUpdates', () => {
  const publication = (data: unknown): ChannelMessage => ({ type: 'publication', channel: 'pws:#x', data });

  it('lets every valid item through in order and reports every bad one once', async () => {
    const entry = fc.oneof(
      { weight: 2, arbitrary: validItem(0).map((good) => ({ good })) },
      { weight: 1, arbitrary: badItem.map((bad) => ({ bad })) },
    );
    const pushes = fc.array(fc.array(entry, { maxLength: 12 }), { maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(pushes, async (shape) => {
        let seq = 0;
        const goods: unknown[] = [];
        const bads: unknown[] = [];
        const datas = shape.map((items) =>
          items.map((e) => {
            if ('good' in e) {
              // Number the valid items so their order can be checked.
              const item = { ...e.good, order: { ...e.good.order, orderId: `btcidr-limit-${seq++}` } };
              goods.push(item);
              return item;
            }
            bads.push(e.bad);
            return e.bad;
          }),
        );
        const invalid: InvalidMessage[] = [];
        const messages: ChannelMessage[] = [
          { type: 'status', status: { state: 'subscribed', channel: 'pws:#x' } },
          ...datas.map(publication),
        ];
        const updates = await lastValueFrom(
          of(...messages).pipe(orderUpdates({ onInvalid: (p) => invalid.push(p) }), toArray()),
        );
        expect(updates.map((u) => u.order.orderId)).toEqual(goods.map((_, i) => `btcidr-limit-${i}`));
        expect(updates.every((u) => u.source === 'ws')).toBe(true);
        expect(invalid.map((p) => p.raw)).toEqual(bads);
        for (const p of invalid) expect(p.reason).not.toBe('');
      }),
      { numRuns: 300 },
    );
  });

  it('reports a data that is not an array once and goes on', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue().filter((v) => !Array.isArray(v)),
        async (data) => {
          const invalid: InvalidMessage[] = [];
          const good = fc.sample(validItem(7), { numRuns: 1, seed: 1 })[0];
          const updates = await lastValueFrom(
            of(publication(data), publication([good])).pipe(
              orderUpdates({ onInvalid: (p) => invalid.push(p) }),
              toArray(),
            ),
          );
          expect(invalid).toHaveLength(1);
          expect(updates.map((u) => u.order.orderId)).toEqual(['btcidr-limit-7']);
        },
      ),
      { numRuns: 200 },
    );
  });
});
