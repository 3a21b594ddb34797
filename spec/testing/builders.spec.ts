import { OrderUpdateItem } from '../../lib/orders';
import {
  DEFAULT_TIME,
  cancelled,
  done,
  fill,
  newOrder,
  orderLifecycle,
  pushData,
  rejected,
} from '../../lib/testing/builders';
import { channelStatus, plainOrders, publication, TEST_CHANNEL, updateOf } from '../../lib/testing/marbles';
import { initialOrderState, reduceOrderState } from '../../lib/orders';
import { DOC_SAMPLES } from '../orders/doc-samples';

const docItem = (text: string): unknown =>
  (JSON.parse(text) as { push: { pub: { data: unknown[] } } }).push.pub.data[0];

describe('builders', () => {
  it('rebuild the doc samples field for field, in the doc key order, fees computed from the rates', () => {
    const aave = { symbol: 'aaveidr', price: '2000000', origQty: '0.00996909', description: 'AAVE/IDR' };
    const t = 1705635775203;
    expect(
      JSON.stringify(
        newOrder({
          ...aave,
          orderId: 'aaveidr-limit-3397',
          clientOrderId: 'lendidr-limit-3397',
          transactionTime: t,
        }),
      ),
    ).toBe(JSON.stringify(docItem(DOC_SAMPLES.NEW)));
    expect(
      JSON.stringify(
        fill({
          orderId: 'aaveidr-limit-13525',
          tradeId: '72057594037968281',
          price: '4289899',
          origQty: '0.0046462',
          clientOrderId: 'lendidr-limit-13525',
          transactionTime: 1734490232679,
        }),
      ),
    ).toBe(JSON.stringify(docItem(DOC_SAMPLES.FILL)));
    expect(
      JSON.stringify(
        cancelled({
          ...aave,
          side: 'SELL',
          origQty: '0.05015045',
          orderId: 'aaveidr-limit-3399',
          clientOrderId: 'lendidr-limit-3399',
          transactionTime: 1705636274643,
        }),
      ),
    ).toBe(JSON.stringify(docItem(DOC_SAMPLES.CANCELLED)));
    const doneSpec = {
      ...aave,
      orderId: 'aaveidr-limit-3397',
      clientOrderId: 'lendidr-limit-3397',
      transactionTime: t,
    };
    expect(JSON.stringify(done(doneSpec))).toBe(JSON.stringify(docItem(DOC_SAMPLES.DONE)));
    expect(rejected({ ...doneSpec, executedQty: '0.00996909' })).toEqual({
      eventType: 'order_update',
      order: { ...(docItem(DOC_SAMPLES.REJECTED) as { order: object }).order, unfilledQty: '0' },
    });
  });

  it('are valid, deterministic, and give distinct trade ids to distinct fills', () => {
    const items = [
      newOrder(),
      fill(),
      fill({ qty: '0.001', filledQty: '0.002' }),
      cancelled(),
      done(),
      rejected(),
    ];
    for (const item of items) expect(OrderUpdateItem.is(item)).toBe(true);
    const at = { transactionTime: DEFAULT_TIME };
    expect(fill({ ...at, qty: '0.001', filledQty: '0.002' })).toEqual(
      fill({ ...at, qty: '0.001', filledQty: '0.002' }),
    );
    expect(fill({ ...at, filledQty: '0.001' })).not.toEqual(fill({ ...at, filledQty: '0.002' }));
    const usdt = fill({ orderId: 'btcusdt-limit-1', price: '90000.5', qty: '0.0003', participant: 'MAKER' });
    expect(usdt.order).toMatchObject({ symbol: 'btcusdt', description: 'BTC/USDT' });
    expect((usdt.order as { fillInformation: object }).fillInformation).toMatchObject({
      feeAsset: 'usdt',
      fee: '0.02700015',
      tax: '0.05670031',
    });
  });

  it('default transactionTime is now, on the real clock the fake exchange runs on (not 2026-01-01)', () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const items = [newOrder(), fill(), cancelled(), done(), rejected(), ...orderLifecycle({ stepMs: 0 })];
    const after = Date.now();
    for (const item of items) {
      expect(item.order.transactionTime).toBeGreaterThanOrEqual(before);
      expect(item.order.transactionTime).toBeLessThanOrEqual(after);
    }
    expect(newOrder({ transactionTime: DEFAULT_TIME }).order.transactionTime).toBe(DEFAULT_TIME);
  });

  it('orderLifecycle: NEW, cumulative fills, DONE at the last fill time; CANCELLED/REJECTED/OPEN ends', () => {
    const items = orderLifecycle({ orderId: 'btcidr-limit-5', fills: ['0.1', '0.2', '0.3'] });
    expect(items.map((i) => i.order.status)).toEqual(['NEW', 'FILL', 'FILL', 'FILL', 'DONE']);
    const fills = items.filter((i) => i.order.status === 'FILL') as Array<{
      order: { fillInformation: { qty: string; filledQty: string }; tradeId: string };
    }>;
    expect(fills.map((f) => [f.order.fillInformation.qty, f.order.fillInformation.filledQty])).toEqual([
      ['0.1', '0.1'],
      ['0.2', '0.3'],
      ['0.3', '0.6'],
    ]);
    expect(new Set(fills.map((f) => f.order.tradeId)).size).toBe(3);
    expect(items[4]!.order.transactionTime).toBe(items[3]!.order.transactionTime);
    const s = items.map((i) => updateOf(i)).reduce(reduceOrderState, initialOrderState);
    expect(plainOrders(s)['btcidr-limit-5']).toMatchObject({
      status: 'DONE',
      executedQty: '0.6',
      fillsQty: '0.6',
    });
    expect(orderLifecycle({ origQty: '1', fills: ['0.5'] }).map((i) => i.order.status)).toEqual([
      'NEW',
      'FILL',
    ]);
    expect(orderLifecycle({ origQty: '1', fills: ['0.5'], end: 'CANCELLED' }).at(-1)!.order).toMatchObject({
      status: 'CANCELLED',
      executedQty: '0.5',
      unfilledQty: '0.5',
    });
    expect(orderLifecycle({ fills: [], origQty: '1', end: 'REJECTED' }).map((i) => i.order.status)).toEqual([
      'NEW',
      'REJECTED',
    ]);
  });

  it('marble helpers build channel messages', () => {
    const at = { transactionTime: DEFAULT_TIME };
    expect(publication(pushData(newOrder(at)))).toEqual({
      type: 'publication',
      channel: TEST_CHANNEL,
      data: [newOrder(at)],
    });
    expect(channelStatus.subscribed()).toEqual({
      type: 'status',
      status: { state: 'subscribed', channel: TEST_CHANNEL },
    });
    expect(channelStatus.disconnected('gone', 3001, 500)).toEqual({
      type: 'status',
      status: { state: 'disconnected', reason: 'gone', code: 3001, retryInMs: 500 },
    });
    expect(() => updateOf({ eventType: 'order_update', order: {} })).toThrow('Missing value at order/status');
  });
});

describe('builders and the exchange order id (<pair>-<type>-<number>)', () => {
  it.each(['aaveidr-limit-3397', 'btcidr-market-12', 'usdtidr-stop_limit-1', '1inchidr-limit-0'])(
    'accept %p',
    (orderId) => {
      expect(newOrder({ orderId }).order.orderId).toBe(orderId);
      expect(orderLifecycle({ orderId })[0]?.order.orderId).toBe(orderId);
    },
  );

  it.each([
    'btcidr-limit-0-1',
    'btcidr-limit-',
    'btcidr-limit-1a',
    'BTCIDR-limit-1',
    'btcidr-1',
    '3397',
    'x',
    '',
    'btcidr-limit-1\n',
    ' btcidr-limit-1',
  ])('reject %p with a TypeError that names the format', (orderId) => {
    for (const build of [newOrder, fill, done, cancelled, rejected, orderLifecycle]) {
      expect(() => build({ orderId })).toThrow(TypeError);
      expect(() => build({ orderId })).toThrow(
        `builders: orderId ${JSON.stringify(orderId)} is not an exchange order id: expected <pair>-<type>-<number>, e.g. "aaveidr-limit-3397"`,
      );
    }
  });
});
