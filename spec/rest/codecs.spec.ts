import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import { IdString, Millis } from '../../lib/rest/codecs-common';
import { LenientDecimalString as DecimalString } from '../../lib/util/decimal-string';
import { numberToDecimal as plainDecimal } from '../../lib/util/decimal';
import {
  LegacyInfo,
  LegacyOpenOrder,
  LegacyOpenOrdersReturn,
  LegacyOrder,
} from '../../lib/rest/codecs-legacy';
import { ApiOrder, MyTrade, OrderHistory, dataList } from '../../lib/rest/codecs-v2';
import { formatValidationErrors } from '../../lib/util/report';

const ok = <A>(codec: t.Type<A, unknown, unknown>, value: unknown): A => {
  const r = codec.decode(value);
  if (E.isLeft(r)) throw new Error(formatValidationErrors(r.left));
  return r.right;
};
const why = (codec: { decode(u: unknown): t.Validation<unknown> }, value: unknown): string => {
  const r = codec.decode(value);
  if (E.isRight(r)) throw new Error('expected a failure');
  return formatValidationErrors(r.left);
};

describe('common codecs', () => {
  it('turns numbers into exact strings only when lossless', () => {
    expect(ok(DecimalString, 0)).toBe('0');
    expect(ok(DecimalString, 10534)).toBe('10534');
    expect(ok(DecimalString, 0.0021)).toBe('0.0021');
    expect(ok(DecimalString, 1.11e-4)).toBe('0.000111');
    expect(ok(DecimalString, '1.10')).toBe('1.10');
    // eslint-disable-next-line no-loss-of-precision -- the point: a number that lost digits
    expect(why(DecimalString, 72057594037936570)).toContain('Invalid value');
    expect(why(DecimalString, 0.1 + 0.2)).toContain('Invalid value'); // 17 significant digits
    expect(why(DecimalString, null)).toBe('Invalid value null supplied to (root)');
  });

  it('writes exponent forms out', () => {
    expect(plainDecimal(1e-7)).toBe('0.0000001');
    expect(plainDecimal(1.5e21)).toBe('1500000000000000000000');
    expect(plainDecimal(-2.5e-3)).toBe('-0.0025');
  });

  it('keeps ids as strings and times as numbers', () => {
    expect(ok(IdString, 6423)).toBe('6423');
    expect(ok(IdString, '72057594037936570')).toBe('72057594037936570');
    expect(why(IdString, 2 ** 60)).toContain('Invalid value');
    expect(ok(Millis, '1772510281185')).toBe(1772510281185);
    expect(ok(Millis, 1772510281185)).toBe(1772510281185);
  });
});

describe('legacy codecs', () => {
  it('collects coin-dependent amounts generically', () => {
    const sell = ok(LegacyOpenOrder, {
      order_id: '10',
      client_order_id: 'btcidr-limit-10',
      submit_time: '1578304294',
      price: '1700000000',
      type: 'sell',
      order_type: 'limit',
      order_btc: '0.00000863',
      remain_btc: 0.00000863,
    });
    expect(sell.amounts).toEqual({ order: { btc: '0.00000863' }, remain: { btc: '0.00000863' } });
    expect(sell.order_id).toBe('10');
    const order = ok(LegacyOrder, {
      order_id: 11,
      price: '10000',
      type: 'buy',
      status: 'filled',
      submit_time: 1578304294,
      finish_time: '0',
      fee: 0,
      order_rp: 10534,
      remain_rp: 0,
      receive_btc: 0,
      client_order_id: null,
    });
    expect(order).toMatchObject({ order_id: '11', submit_time: '1578304294', fee: '0' });
    expect(order.amounts).toEqual({
      order: { rp: '10534' },
      remain: { rp: '0' },
      receive: { btc: '0' },
      sold: {},
      refund: {},
    });
  });

  it('reports a bad amount at its key', () => {
    expect(
      why(LegacyOpenOrder, {
        order_id: '1',
        submit_time: '1',
        price: '1',
        type: 'buy',
        remain_idr: { x: 1 },
      }),
    ).toBe('Invalid value {"x":1} supplied to remain_idr');
    expect(why(LegacyOpenOrder, { order_id: '1', submit_time: '1', price: '1', type: 'hold' })).toBe(
      'Invalid value "hold" supplied to type',
    );
  });

  it('accepts orders: null, an array and a per-pair object', () => {
    const entry = {
      order_id: '1',
      submit_time: '1',
      price: '1',
      type: 'sell',
      order_btc: '1',
      remain_btc: '1',
    };
    expect(ok(LegacyOpenOrdersReturn, { orders: null }).orders).toBeNull();
    expect(ok(LegacyOpenOrdersReturn, { orders: [entry] }).orders).toHaveLength(1);
    expect(ok(LegacyOpenOrdersReturn, { orders: { btc_idr: [entry] } }).orders).toMatchObject({
      btc_idr: [{ order_id: '1' }],
    });
  });
});

describe('v2 codecs', () => {
  const row = {
    orderId: 'btcidr-limit-1',
    clientOrderId: 'btcidr-limit-1',
    symbol: 'btcidr',
    side: 'BUY',
    type: 'LIMIT',
    status: 'CANCELLED',
    price: '100',
    executedQty: '0',
    submitTime: 1,
    finishTime: 2,
    cancelReason: 'SELF_TRADE_PREVENTION',
  };
  it('decodes histories with either oriQty or origQty', () => {
    expect(ok(OrderHistory, { ...row, oriQty: '1.5' }).origQty).toBe('1.5');
    expect(ok(OrderHistory, { ...row, origQty: '2' }).origQty).toBe('2');
    expect(ok(OrderHistory, { ...row, origQty: '2' }).cancelReason).toBe('SELF_TRADE_PREVENTION');
    expect(why(OrderHistory, { ...row })).toBe('Missing value at origQty');
    expect(why(OrderHistory, { ...row, oriQty: '1', status: 'NEW' })).toBe(
      'Invalid value "NEW" supplied to status',
    );
  });

  it('decodes api orders with a numeric orderId as a string', () => {
    const order = ok(ApiOrder, {
      symbol: 'BTCIDR',
      orderId: 6423,
      side: 'BUY',
      price: '100',
      origQty: '1',
      executedQty: '0',
      status: 'NEW',
      type: 'LIMIT',
      time: 1,
      fullOrderId: 'btcidr-limit-6423',
    });
    expect(order.orderId).toBe('6423');
  });

  it('lists come as {data:[...]} or as a plain array', () => {
    const trade = {
      tradeId: '72057594037936570',
      orderId: 'btcidr-limit-1',
      symbol: 'btcidr',
      price: '100',
      qty: '1',
      quoteQty: '100',
      commission: 0.3,
      commissionAsset: 'idr',
      isBuyer: true,
      isMaker: false,
      time: 1,
    };
    const list = dataList(MyTrade, 'MyTrades');
    expect(ok(list, { data: [trade] })[0]!.commission).toBe('0.3');
    expect(ok(list, [trade])).toHaveLength(1);
    expect(ok(list, { data: null })).toEqual([]);
    expect(why(list, { data: [{ ...trade, qty: undefined }] })).toBe('Missing value at data/0/qty');
  });
});

describe('records keyed by the exchange have no prototype', () => {
  it('getInfo balances: an asset named constructor, __proto__ or toString is an ordinary entry', () => {
    const raw = JSON.parse(
      '{"balance":{"idr":"1","constructor":"2","__proto__":"3","toString":"4"}}',
    ) as unknown;
    const decoded = LegacyInfo.decode(raw);
    if (decoded._tag === 'Left') throw new Error('expected a decode');
    const balance = decoded.right.balance;
    expect(Object.getPrototypeOf(balance)).toBeNull();
    expect({ ...balance }).toEqual({ idr: '1', constructor: '2', ['__proto__']: '3', toString: '4' });
    expect(balance['valueOf']).toBeUndefined();
  });
});
