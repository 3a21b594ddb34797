import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { fakeRestRoutes, foldOrderLog, type FakeRestRoute } from '../../lib/testing/fake-rest';
import { createTradeApi } from '../../lib/rest/trade-api';
import { TradeApiError } from '../../lib/rest/error';
import type { TradeApiOptions } from '../../lib/rest/options';

// The fake REST routes mounted in a plain node:http server on loopback, driven by the real client.
const KEY = 'tapi-key';
const SECRET = 'tapi-secret';
const V2KEY = 'v2-key';
const V2SECRET = 'v2-secret';
const T0 = Date.now() - 60 * 60 * 1000;

const ev = (order: Record<string, unknown>) => ({ eventType: 'order_update', order });
const LOG = [
  ev({
    orderId: 'btcidr-limit-100',
    symbol: 'btcidr',
    side: 'BUY',
    origQty: '0.5',
    unfilledQty: '0.5',
    executedQty: '0',
    price: '100000000',
    status: 'NEW',
    transactionTime: T0,
    clientOrderId: 'btcidr-limit-100',
  }),
  ev({
    orderId: 'ethidr-limit-200',
    symbol: 'ethidr',
    side: 'SELL',
    origQty: '2',
    unfilledQty: '2',
    executedQty: '0',
    price: '50000000',
    status: 'NEW',
    transactionTime: T0 + 1,
    clientOrderId: 'mine-200',
  }),
  ev({
    orderId: 'btcidr-limit-100',
    tradeId: '72057594037936570',
    symbol: 'btcidr',
    side: 'BUY',
    origQty: '0.5',
    unfilledQty: '0.3',
    executedQty: '0.2',
    price: '100000000',
    status: 'FILL',
    transactionTime: T0 + 2,
    clientOrderId: 'btcidr-limit-100',
    fillInformation: {
      participant: 'MAKER',
      filledQty: '0.2',
      qty: '0.2',
      feeAsset: 'idr',
      feeRate: 0.002,
      fee: '40000',
      taxAsset: 'idr',
      taxRate: 0.0012,
      tax: '24000',
      clearingAsset: 'idr',
      clearingRate: 2.22e-4,
      clearing: '4440',
    },
  }),
  ev({
    orderId: 'btcidr-limit-101',
    symbol: 'btcidr',
    side: 'BUY',
    origQty: '0.0046462',
    unfilledQty: '0.0046462',
    executedQty: '0',
    price: '4289899',
    status: 'NEW',
    transactionTime: T0 + 3,
    clientOrderId: 'btcidr-limit-101',
  }),
  ev({
    orderId: 'btcidr-limit-101',
    tradeId: '72057594037968281',
    symbol: 'btcidr',
    side: 'BUY',
    origQty: '0.0046462',
    unfilledQty: '0',
    executedQty: '0.0046462',
    price: '4289899',
    status: 'FILL',
    transactionTime: T0 + 4,
    clientOrderId: 'btcidr-limit-101',
    fillInformation: {
      participant: 'TAKER',
      filledQty: '0.0046462',
      qty: '0.0046462',
      feeAsset: 'idr',
      feeRate: 0.002,
      fee: '39',
      taxAsset: 'idr',
      taxRate: 0.0012,
      tax: '23',
      clearingAsset: 'idr',
      clearingRate: 2.22e-4,
      clearing: '4',
    },
  }),
  ev({
    orderId: 'btcidr-limit-101',
    symbol: 'btcidr',
    side: 'BUY',
    origQty: '0.0046462',
    unfilledQty: '0',
    executedQty: '0.0046462',
    price: '4289899',
    status: 'DONE',
    transactionTime: T0 + 4,
    clientOrderId: 'btcidr-limit-101',
  }),
  ev({
    orderId: 'btcidr-limit-102',
    symbol: 'btcidr',
    side: 'SELL',
    origQty: '1',
    unfilledQty: '1',
    executedQty: '0',
    price: '900000000',
    status: 'NEW',
    transactionTime: T0 + 5,
    clientOrderId: 'x-102',
  }),
  ev({
    orderId: 'btcidr-limit-102',
    symbol: 'btcidr',
    side: 'SELL',
    origQty: '1',
    unfilledQty: '1',
    executedQty: '0',
    price: '900000000',
    status: 'CANCELLED',
    transactionTime: T0 + 6,
    clientOrderId: 'x-102',
    cancelReason: 'SELF_TRADE_PREVENTION',
  }),
];

describe('fakeRestRoutes over loopback, round-tripped with createTradeApi', () => {
  let server: Server;
  let base: string;
  let logs: Map<string, readonly unknown[]>;
  const secrets = new Map([
    [KEY, SECRET],
    [V2KEY, V2SECRET],
    ['empty-key', 'empty-secret'],
  ]);
  const { routes, controls } = fakeRestRoutes({
    orderLog: (k) => logs.get(k) ?? [],
    secretOf: (k) => secrets.get(k),
  });

  const mount = (all: FakeRestRoute[]) =>
    createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        void (async () => {
          const request = {
            method: req.method ?? 'GET',
            url: new URL(req.url ?? '/', 'http://127.0.0.1'),
            headers: req.headers,
            body,
          };
          for (const route of all) {
            const result = await route(request);
            if (result) {
              res.writeHead(result.status, result.headers ?? {});
              res.end(result.body);
              return;
            }
          }
          res.writeHead(404);
          res.end('no route');
        })();
      });
    });

  beforeAll(async () => {
    server = mount(routes);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    controls.release();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    logs = new Map([
      [KEY, LOG],
      [V2KEY, LOG],
    ]);
    controls.reset();
  });

  const api = (options: TradeApiOptions = {}, credentials = { apiKey: KEY, apiSecret: SECRET }) =>
    createTradeApi(credentials, {
      restBaseUrl: base,
      tapiV2BaseUrl: base,
      apiV2BaseUrl: base,
      v2Credentials: { apiKey: V2KEY, apiSecret: V2SECRET },
      retry: { maxAttempts: 1, minDelayMs: 1, maxDelayMs: 5 },
      rateLimits: { legacy: { perSecond: 1000 }, tapi: { perSecond: 1000 }, api: { perSecond: 1000 } },
      ...options,
    });
  const failure = async (p: Promise<unknown>): Promise<TradeApiError> => {
    try {
      await p;
    } catch (e) {
      return e as TradeApiError;
    }
    throw new Error('expected a failure');
  };

  it('folds the log into a book: latest state, fills deduplicated', () => {
    const book = foldOrderLog([...LOG, LOG[2]!]);
    expect([...book.values()].map((o) => [o.orderId, o.state, o.fills.length])).toEqual([
      ['btcidr-limit-100', 'open', 1],
      ['ethidr-limit-200', 'open', 0],
      ['btcidr-limit-101', 'filled', 1],
      ['btcidr-limit-102', 'cancelled', 0],
    ]);
  });

  it('legacy openOrders: every pair, buys in IDR with the fee reserve, sells in coin', async () => {
    const orders = await firstValueFrom(api().openOrders());
    expect(orders.map((o) => [o.pair, o.order_id, o.type, o.amounts])).toEqual([
      ['btc_idr', '100', 'buy', { order: { idr: '50110000' }, remain: { idr: '30066000' } }],
      ['eth_idr', '200', 'sell', { order: { eth: '2' }, remain: { eth: '2' } }],
    ]);
    expect(await firstValueFrom(api().openOrders('ethidr'))).toMatchObject([
      { pair: 'eth_idr', client_order_id: 'mine-200' },
    ]);
    logs.set(KEY, []);
    expect(await firstValueFrom(api().openOrders())).toEqual([]);
  });

  it('legacy getOrder and getOrderByClientOrderId, and a missing order', async () => {
    const order = await firstValueFrom(api().getOrder('btc_idr', 'btcidr-limit-101'));
    expect(order).toMatchObject({
      order_id: '101',
      status: 'filled',
      fee: '0',
      finish_time: String(Math.floor((T0 + 4) / 1000)),
    });
    expect(order.amounts.order).toEqual({ rp: '19975' }); // floor(0.0046462 × 4289899 × 1.0022)
    const byClient = await firstValueFrom(api().getOrderByClientOrderId('x-102'));
    expect(byClient).toMatchObject({
      order_id: '102',
      status: 'cancelled',
      amounts: { order: { btc: '1' } },
    });
    const error = await failure(firstValueFrom(api().getOrderByClientOrderId('nope')));
    expect(error).toMatchObject({
      code: 'order_not_found',
      retryable: false,
      endpoint: 'tapi:getOrderByClientOrderId',
    });
  });

  it('v2 tapi flavor: histories (oriQty, cancelReason) and myTrades (big tradeId, commission = fee + tax)', async () => {
    const histories = await firstValueFrom(
      api().orderHistories({ symbol: 'btcidr', startTime: T0, sort: 'asc' }),
    );
    expect(histories.map((h) => [h.orderId, h.status, h.origQty, h.executedQty, h.cancelReason])).toEqual([
      ['btcidr-limit-101', 'FILLED', '0.0046462', '0.0046462', undefined],
      ['btcidr-limit-102', 'CANCELLED', '1', '0', 'SELF_TRADE_PREVENTION'],
    ]);
    const trades = await firstValueFrom(api().myTrades({ symbol: 'btcidr', startTime: T0 }));
    expect(trades.map((t) => [t.tradeId, t.orderId, t.qty, t.quoteQty, t.commission, t.isMaker])).toEqual([
      ['72057594037968281', 'btcidr-limit-101', '0.0046462', '19931', '62', false],
      ['72057594037936570', 'btcidr-limit-100', '0.2', '20000000', '64000', true],
    ]);
    const one = await firstValueFrom(
      api().myTrades({ symbol: 'btcidr', startTime: T0, orderId: 'btcidr-limit-100' }),
    );
    expect(one.map((t) => t.tradeId)).toEqual(['72057594037936570']);
    expect(controls.calls.map((c) => c.surface)).toEqual(['tapi', 'tapi', 'tapi']);
  });

  it('v2 api flavor (SHA-256, dedicated key): openOrders, order, histories', async () => {
    const v2 = api({ v2Flavor: 'api' });
    const open = await firstValueFrom(v2.v2OpenOrders());
    expect(open.map((o) => [o.symbol, o.orderId, o.fullOrderId, o.status, o.origQty, o.executedQty])).toEqual(
      [
        ['BTCIDR', '100', 'btcidr-limit-100', 'PARTIALLY_FILLED', '0.5', '0.2'],
        ['ETHIDR', '200', 'ethidr-limit-200', 'NEW', '2', '0'],
      ],
    );
    expect(await firstValueFrom(v2.v2OpenOrders('btcidr'))).toHaveLength(1);
    expect(await firstValueFrom(v2.v2Order({ symbol: 'btcidr', orderId: 'btcidr-limit-101' }))).toMatchObject(
      { status: 'FILLED' },
    );
    expect(
      await firstValueFrom(v2.v2Order({ symbol: 'ethidr', origClientOrderId: 'mine-200' })),
    ).toMatchObject({ orderId: '200' });
    const missing = await failure(firstValueFrom(v2.v2Order({ symbol: 'btcidr', orderId: 999 })));
    expect(missing).toMatchObject({ code: '-2013', status: 404, retryable: false, endpoint: 'v2:order' });
    expect(await firstValueFrom(v2.orderHistories({ symbol: 'btcidr', startTime: T0 }))).toHaveLength(2);
    expect(controls.calls.every((c) => c.surface === 'api')).toBe(true);
  });

  it('the "tapi" flavor has no openOrders/order: they need v2Credentials and the api flavor', async () => {
    const noV2 = createTradeApi({ apiKey: KEY, apiSecret: SECRET }, { restBaseUrl: base });
    const error = await failure(firstValueFrom(noV2.v2OpenOrders()));
    expect(error).toMatchObject({ code: 'invalid_arguments' });
    expect(controls.calls).toHaveLength(0);
  });

  it("checks keys and signatures with each surface's real error shape", async () => {
    const wrong = { apiKey: KEY, apiSecret: 'not-the-secret' };
    expect(await failure(firstValueFrom(api({}, wrong).getInfo()))).toMatchObject({
      code: 'bad_sign',
      retryable: false,
    });
    const unknown = { apiKey: 'who', apiSecret: 'x' };
    expect(await failure(firstValueFrom(api({}, unknown).getInfo()))).toMatchObject({
      code: 'invalid_credentials',
    });
    expect(await failure(firstValueFrom(api({}, wrong).myTrades({ symbol: 'btcidr' })))).toMatchObject({
      code: '1001',
      status: 401,
    });
    const badV2 = api({ v2Flavor: 'api', v2Credentials: { apiKey: V2KEY, apiSecret: 'nope' } });
    const e = await failure(firstValueFrom(badV2.myTrades({ symbol: 'btcidr' })));
    expect(e).toMatchObject({ code: '-1022', status: 400 });
    expect(e.message).not.toContain('nope');
  });

  it('fault controls: failNext (retried), rate limits per surface, hang (timeout), release', async () => {
    controls.failNext(2, { status: 503 });
    const info = await firstValueFrom(
      api({ retry: { maxAttempts: 3, minDelayMs: 1, maxDelayMs: 5 } }).getInfo(),
    );
    expect(info.balance).toEqual({ idr: '0' });
    expect(controls.calls).toHaveLength(3);

    controls.failNext(1, { status: 429, surface: 'api' });
    const limited = await failure(firstValueFrom(api({ v2Flavor: 'api' }).v2OpenOrders()));
    expect(limited).toMatchObject({ code: 'rate_limited', serverCode: '-1003', retryable: true });

    controls.failNext(1, { status: 429 });
    const legacyLimited = await failure(firstValueFrom(api().getInfo()));
    expect(legacyLimited).toMatchObject({
      code: 'rate_limited',
      serverCode: 'too_many_requests',
      status: 429,
    });

    controls.hangNext(1);
    const hung = await failure(firstValueFrom(api({ timeoutMs: 50 }).getInfo()));
    expect(hung).toMatchObject({ code: 'timeout', retryable: true });
    controls.release();
  });

  it.each([
    ['behind', 10_000],
    ['ahead', -10_000],
  ])(
    'clock offset: a client %s of the server is rejected, then corrected from the Date header',
    async (_, ms) => {
      controls.setClockOffset(ms);
      const strict = await failure(firstValueFrom(api().getInfo()));
      expect(strict).toMatchObject({ code: 'clock_skew', serverCode: 'invalid_timestamp' });
      // The first answer's Date header corrects the offset; the retry goes through.
      const client = api({ retry: { maxAttempts: 2, minDelayMs: 1, maxDelayMs: 5 } });
      expect((await firstValueFrom(client.getInfo())).balance).toBeDefined();
      expect(await firstValueFrom(client.orderHistories({ symbol: 'btcidr' }))).toBeDefined();
      expect(controls.calls.map((c) => c.surface)).toEqual(['legacy', 'legacy', 'legacy', 'tapi']);
    },
  );

  it('answers the decommissioned legacy history methods as dead', async () => {
    const body = `method=orderHistory&timestamp=${Date.now()}&recvWindow=5000&pair=btc_idr`;
    const res = await fetch(`${base}/tapi`, {
      method: 'POST',
      headers: { Key: KEY, Sign: createHmac('sha512', SECRET).update(body).digest('hex') },
      body,
    });
    expect(await res.json()).toMatchObject({ success: 0, error_code: 'method_decommissioned' });
  });
});
