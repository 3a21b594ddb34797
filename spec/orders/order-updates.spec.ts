import fc from 'fast-check';
import { TestScheduler } from 'rxjs/testing';
import { OrderUpdate, orderUpdates, privateEvents, type InvalidMessage } from '../../lib/orders';
import { formatValidationErrors } from '../../lib/util/report';
import { fill, newOrder } from '../../lib/testing/builders';
import { channelStatus, publication } from '../../lib/testing/marbles';
import { DOC_SAMPLES } from './doc-samples';

type Push = { push: { channel: string; pub: { data: Array<{ order: Record<string, unknown> }> } } };
const parse = (text: string): Push => JSON.parse(text) as Push;
const fromPush = (text: string) => {
  const { push } = parse(text);
  return publication(push.pub.data, push.channel);
};

const scheduler = () => new TestScheduler((a, b) => expect(a).toEqual(b));

describe('orderUpdates', () => {
  it('decodes the five samples of the reference doc verbatim, one update each, status messages ignored', () => {
    const problems: InvalidMessage[] = [];
    scheduler().run(({ cold, expectObservable }) => {
      const source$ = cold('s-n-f-c-d-r|', {
        s: channelStatus.subscribed(),
        n: fromPush(DOC_SAMPLES.NEW),
        f: fromPush(DOC_SAMPLES.FILL),
        c: fromPush(DOC_SAMPLES.CANCELLED),
        d: fromPush(DOC_SAMPLES.DONE),
        r: fromPush(DOC_SAMPLES.REJECTED),
      });
      const expected = (text: string) => {
        const order = parse(text).push.pub.data[0]!.order;
        return { status: order['status'], order, source: 'ws' };
      };
      expectObservable(source$.pipe(orderUpdates({ onInvalid: (p) => problems.push(p) }))).toBe(
        '--n-f-c-d-r|',
        {
          n: expected(DOC_SAMPLES.NEW),
          f: expected(DOC_SAMPLES.FILL),
          c: expected(DOC_SAMPLES.CANCELLED),
          d: expected(DOC_SAMPLES.DONE),
          r: expected(DOC_SAMPLES.REJECTED),
        },
      );
    });
    expect(problems).toEqual([]);
  });

  it('keeps amounts as the exact strings sent, tradeId as a string, and reads 2.22E-4 as a rate', () => {
    const updates: unknown[] = [];
    scheduler().run(({ cold }) => {
      cold('a|', { a: fromPush(DOC_SAMPLES.FILL) })
        .pipe(orderUpdates())
        .subscribe((u) => updates.push(u));
    });
    const u = updates[0] as {
      order: { tradeId: string; executedQty: string; fillInformation: Record<string, unknown> };
    };
    expect(u.order.tradeId).toBe('72057594037968281');
    expect(u.order.executedQty).toBe('0.0046462');
    expect(u.order.fillInformation['clearingRate']).toBe(0.000222);
    expect(u.order.fillInformation['fee']).toBe('39');
  });

  it('flattens a data array in order, reports each bad item with a path, and goes on', () => {
    const problems: InvalidMessage[] = [];
    const a = newOrder({ orderId: 'btcidr-limit-1' });
    const b = fill({ orderId: 'btcidr-limit-1', tradeId: '1' });
    const noId = { eventType: 'order_update', order: { ...a.order, orderId: undefined } };
    const badStatus = { eventType: 'order_update', order: { ...a.order, status: 'PENDING' } };
    const numberQty = { eventType: 'order_update', order: { ...a.order, origQty: 0.5 } };
    const { tradeId: _t, ...fillNoTrade } = b.order as Record<string, unknown>;
    const noTrade = { eventType: 'order_update', order: fillNoTrade };
    const numTrade = {
      eventType: 'order_update',
      order: { ...b.order, tradeId: JSON.parse('72057594037968281') as number },
    };
    const unknownType = { eventType: 'balance_update', balance: { idr: '1' } };
    scheduler().run(({ cold, expectObservable }) => {
      const source$ = cold('(x|)', {
        x: publication([
          noId,
          a,
          badStatus,
          numberQty,
          7,
          null,
          noTrade,
          numTrade,
          unknownType,
          { order: {} },
          b,
        ]),
      });
      expectObservable(source$.pipe(orderUpdates({ onInvalid: (p) => problems.push(p) }))).toBe('(ab|)', {
        a: { status: 'NEW', order: a.order, source: 'ws' },
        b: { status: 'FILL', order: b.order, source: 'ws' },
      });
    });
    expect(problems.map((p) => [p.index, p.reason])).toEqual([
      [0, 'Missing value at order/orderId'],
      [2, 'Invalid value "PENDING" supplied to order/status'],
      [3, 'Invalid value 0.5 supplied to order/origQty'],
      [4, 'Invalid value 7 supplied to (item): expected an event object'],
      [5, 'Invalid value null supplied to (item): expected an event object'],
      [6, 'Missing value at order/tradeId'],
      [7, 'Invalid value 72057594037968290 supplied to order/tradeId'],
      [8, 'Unsupported eventType "balance_update" (read it with privateEvents())'],
      [9, 'Missing value at eventType'],
    ]);
    expect(problems[0]!.raw).toBe(noId);
    expect(problems[2]!.rawText).toBe(JSON.stringify(numberQty));
  });

  it('reports a data that is not an array, and keeps going', () => {
    const problems: InvalidMessage[] = [];
    scheduler().run(({ cold, expectObservable }) => {
      const source$ = cold('xy|', { x: publication({ order: 1 }), y: publication([newOrder()]) });
      expectObservable(source$.pipe(orderUpdates({ onInvalid: (p) => problems.push(p) }))).toBe('-y|', {
        y: { status: 'NEW', order: newOrder().order, source: 'ws' },
      });
    });
    expect(problems).toEqual([
      {
        raw: { order: 1 },
        rawText: '{"order":1}',
        reason: 'Invalid value supplied to pub/data: expected an array of events',
      },
    ]);
  });

  it('keeps unknown extra fields and cancelReason, accepts a missing clientOrderId and a numeric-string rate', () => {
    const base = fill().order as Extract<ReturnType<typeof fill>['order'], { status: 'FILL' }>;
    const { clientOrderId: _c, ...order } = base;
    const item = {
      eventType: 'order_update',
      order: { ...order, future: { x: 1 }, fillInformation: { ...base.fillInformation, taxRate: '2.1E-3' } },
    };
    const values: unknown[] = [];
    scheduler().run(({ cold }) => {
      cold('a|', { a: publication([item]) })
        .pipe(orderUpdates())
        .subscribe((u) => values.push(u));
    });
    expect(values).toHaveLength(1);
    const u = values[0] as { order: { future: unknown; fillInformation: { taxRate: number } } };
    expect(u.order.future).toEqual({ x: 1 });
    expect(u.order.fillInformation.taxRate).toBe(0.0021);
  });

  it('passes other eventTypes to onOtherEvent instead of onInvalid when given, and stamps receivedAt', () => {
    const others: unknown[] = [];
    const problems: unknown[] = [];
    const values: unknown[] = [];
    scheduler().run(({ cold }) => {
      cold('a|', {
        a: publication([{ eventType: 'x', v: 1 }, newOrder({ transactionTime: 1_767_225_600_000 })], 'ch'),
      })
        .pipe(
          orderUpdates({
            onOtherEvent: (e) => others.push(e),
            onInvalid: (p) => problems.push(p),
            now: () => 42,
          }),
        )
        .subscribe((u) => values.push(u));
    });
    expect(others).toEqual([{ eventType: 'x', data: { eventType: 'x', v: 1 }, channel: 'ch' }]);
    expect(problems).toEqual([]);
    expect(values).toEqual([
      {
        status: 'NEW',
        order: newOrder({ transactionTime: 1_767_225_600_000 }).order,
        source: 'ws',
        receivedAt: 42,
      },
    ]);
  });

  it('decodes its own output again with the OrderUpdate codec (recordings, REST updates)', () => {
    const values: unknown[] = [];
    scheduler().run(({ cold }) => {
      cold('a|', { a: fromPush(DOC_SAMPLES.FILL) })
        .pipe(orderUpdates())
        .subscribe((u) => values.push(u));
    });
    const again = OrderUpdate.decode(JSON.parse(JSON.stringify(values[0])));
    expect(again).toEqual({ _tag: 'Right', right: values[0] });
    const bad = OrderUpdate.decode({ ...(values[0] as object), source: 'ftp' });
    expect(bad._tag === 'Left' && formatValidationErrors(bad.left)).toBe(
      'Invalid value "ftp" supplied to source',
    );
  });

  it('never throws on any JSON value as data', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(fc.jsonValue()), (data, items) => {
        for (const d of [data, items, items.map((order) => ({ eventType: 'order_update', order }))]) {
          let count = 0;
          scheduler().run(({ cold }) => {
            cold('a|', { a: publication(d) })
              .pipe(orderUpdates({ onInvalid: () => (count += 1) }))
              .subscribe();
          });
          expect(count).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('privateEvents', () => {
  it('emits the items of other eventTypes, raw, in order, and nothing for order updates', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const other = { eventType: 'balance_update', idr: '5' };
      const source$ = cold('s-a-b|', {
        s: channelStatus.subscribed(),
        a: publication([newOrder(), other, 3, { eventType: 7 }], 'ch'),
        b: publication([newOrder()]),
      });
      expectObservable(source$.pipe(privateEvents())).toBe('--a--|', {
        a: { eventType: 'balance_update', data: other, channel: 'ch' },
      });
    });
  });
});
