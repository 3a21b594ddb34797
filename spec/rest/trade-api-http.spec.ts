import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { signRequestBody, signSha256 } from '../../lib/auth/sign';
import { createTradeApi } from '../../lib/rest/trade-api';
import { TradeApiError } from '../../lib/rest/error';
import { legacyBody } from '../../lib/rest/legacy-call';
import { v2Query } from '../../lib/rest/v2-call';
import type { TradeApiOptions } from '../../lib/rest/options';

describe('signing vectors (computed independently with python3 hmac)', () => {
  it('legacy: the documented example body and signature', () => {
    const body = legacyBody('getInfo', {}, 1578304294000, 1578303937000);
    expect(body).toBe('method=getInfo&timestamp=1578304294000&recvWindow=1578303937000');
    // The secret of the doc example (as in published client tests); python3:
    // hmac.new(secret, body, hashlib.sha512).hexdigest()
    const secret = 'f60617a68fcce028f0a90bc9eb765d17379eb548cc935c01a7ee3186eecf870e9b68f27a31bcfe8d';
    expect(signRequestBody(body, secret)).toBe(
      'bab004e5a518740d7a33b38b44dbebecd3fb39f40b42391af39fcce06edabff5233b3e8064a07c528d1c751a6923d5116026c7786e01b22e2d35277a098cae99',
    );
  });

  it('v2: SHA-512 ("tapi") and SHA-256 ("api") of the query string', () => {
    const query = v2Query({ symbol: 'btcidr', limit: undefined }, 1578304294000, 5000);
    expect(query).toBe('symbol=btcidr&timestamp=1578304294000&recvWindow=5000');
    expect(signRequestBody(query, 'test-secret')).toBe(
      'c895504a3db72a3dc59d1b4de66c49f270282fdeabbeabff0687ce7f50f16ce1c46610fd3d84f5f34fca346a1f3f9ecd01e4ea2d866ba59373509ed17a75b9bd',
    );
    expect(signSha256(query, 'test-secret')).toBe(
      'f6c7dbb44242a49c0c4fe10877d03e84c9067b6b324c605ba0b30b48225cab36',
    );
  });
});

// A loopback server that checks every signature itself (node:crypto, not the library's signer)
// and answers from a per-test script.
const KEY = 'key-1';
const SECRET = 'secret-xyz-123';
const V2KEY = 'v2-key';
const V2SECRET = 'v2-secret-456';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: string;
  signOk: boolean;
}
type Script = (seen: Seen) => { status: number; body: string } | 'hang';

describe('createTradeApi over loopback HTTP', () => {
  let server: Server;
  let base: string;
  let script: Script;
  const seen: Seen[] = [];
  const onHangClosed: (() => void)[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://x');
        const rawQuery = url.search.replace(/^\?/, '');
        const sign = String(req.headers['sign'] ?? '');
        const signOk =
          url.pathname === '/tapi'
            ? req.headers['key'] === KEY && sign === createHmac('sha512', SECRET).update(body).digest('hex')
            : (req.headers['x-apikey'] === KEY &&
                sign === createHmac('sha512', SECRET).update(rawQuery).digest('hex')) ||
              (req.headers['x-apikey'] === V2KEY &&
                sign ===
                  createHmac('sha256', V2SECRET)
                    .update(rawQuery + body)
                    .digest('hex'));
        const s: Seen = {
          method: req.method ?? '',
          path: url.pathname,
          query: url.searchParams,
          rawQuery,
          headers: req.headers,
          body,
          signOk,
        };
        seen.push(s);
        const answer = script(s);
        if (answer === 'hang') {
          res.on('close', () => onHangClosed.splice(0).forEach((f) => f()));
          return;
        }
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const api = (options: TradeApiOptions = {}) =>
    createTradeApi(
      { apiKey: KEY, apiSecret: SECRET },
      {
        restBaseUrl: base,
        tapiV2BaseUrl: base,
        apiV2BaseUrl: base,
        v2Credentials: { apiKey: V2KEY, apiSecret: V2SECRET },
        retry: { maxAttempts: 1, minDelayMs: 1, maxDelayMs: 2 },
        ...options,
      },
    );
  const ok = (body: unknown) => ({ status: 200, body: JSON.stringify(body) });
  const failure = async (p: Promise<unknown>): Promise<TradeApiError> => {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(TradeApiError);
      return e as TradeApiError;
    }
    throw new Error('expected a failure');
  };

  it('legacy: a signed form POST to /tapi with Key and Sign; per-pair object flattened with pairs', async () => {
    script = () =>
      ok({
        success: 1,
        return: {
          orders: {
            btc_idr: [
              {
                order_id: '11',
                submit_time: 1578304294,
                price: 100,
                type: 'buy',
                order_idr: 10534,
                remain_idr: '10534',
              },
            ],
            aave_idr: [
              {
                order_id: 12,
                client_order_id: 'c',
                submit_time: '1',
                price: '2',
                type: 'sell',
                order_aave: '0.5',
                remain_aave: 0.25,
              },
            ],
          },
        },
      });
    const orders = await firstValueFrom(api().openOrders());
    expect(seen).toHaveLength(1);
    const [s] = seen;
    expect(s).toMatchObject({ method: 'POST', path: '/tapi', signOk: true });
    expect(s!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(s!.headers['origin']).toBeUndefined();
    expect(s!.body).toMatch(/^method=openOrders&timestamp=\d{13}&recvWindow=5000$/);
    expect(orders).toEqual([
      {
        order_id: '11',
        submit_time: '1578304294',
        price: '100',
        type: 'buy',
        pair: 'btc_idr',
        amounts: { order: { idr: '10534' }, remain: { idr: '10534' } },
      },
      {
        order_id: '12',
        client_order_id: 'c',
        submit_time: '1',
        price: '2',
        type: 'sell',
        pair: 'aave_idr',
        amounts: { order: { aave: '0.5' }, remain: { aave: '0.25' } },
      },
    ]);
  });

  it('legacy: openOrders(pair) sends the pair and reads an array; orders: null is empty', async () => {
    script = () =>
      ok({
        success: 1,
        return: {
          orders: [
            { order_id: '1', submit_time: '1', price: '1', type: 'sell', order_btc: '1', remain_btc: '1' },
          ],
        },
      });
    const list = await firstValueFrom(api().openOrders('btcidr'));
    expect(seen[0]!.body).toMatch(/&pair=btc_idr$/);
    expect(list[0]!.pair).toBe('btc_idr');
    script = () => ok({ success: 1, return: { orders: null } });
    expect(await firstValueFrom(api().openOrders())).toEqual([]);
  });

  it('legacy: getOrder sends the numeric id of a full id; numbers become exact strings', async () => {
    script = () =>
      ok({
        success: 1,
        return: {
          order: {
            order_id: 3397,
            price: 2000000,
            type: 'buy',
            order_rp: 10534,
            remain_rp: 0,
            submit_time: '1',
            finish_time: '2',
            status: 'filled',
            receive_btc: 0,
            fee: 0,
            client_order_id: 'lendidr-limit-3397',
          },
        },
      });
    const order = await firstValueFrom(api().getOrder('aaveidr', 'aaveidr-limit-3397'));
    expect(new URLSearchParams(seen[0]!.body).get('order_id')).toBe('3397');
    expect(new URLSearchParams(seen[0]!.body).get('pair')).toBe('aave_idr');
    expect(order).toMatchObject({ order_id: '3397', price: '2000000', fee: '0', status: 'filled' });
    expect(order.amounts).toMatchObject({ order: { rp: '10534' }, receive: { btc: '0' } });
  });

  it('legacy errors: HTTP 200 success 0, HTTP 429, HTML, wrong shape', async () => {
    script = () =>
      ok({
        success: 0,
        error: 'Invalid credentials. API not found or session has expired.',
        error_code: 'invalid_credentials',
      });
    expect(await failure(firstValueFrom(api().getInfo()))).toMatchObject({
      code: 'invalid_credentials',
      retryable: false,
      status: 200,
      endpoint: 'tapi:getInfo',
    });
    script = () => ({
      status: 429,
      body: JSON.stringify({
        success: 0,
        error: 'Too many',
        message: 'slow',
        error_code: 'too_many_requests',
      }),
    });
    expect(await failure(firstValueFrom(api().getInfo()))).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      status: 429,
    });
    script = () => ({ status: 200, body: '<html>maintenance</html>' });
    const html = await failure(firstValueFrom(api().getInfo()));
    expect([html.code, html.message]).toEqual([
      'malformed_response',
      'tapi:getInfo: the answer is not JSON: "<html>maintenance</html>"',
    ]);
    script = () =>
      ok({ success: 1, return: { orders: [{ order_id: '1', submit_time: '1', price: '1', type: 'hold' }] } });
    const shape = await failure(firstValueFrom(api().openOrders('btc_idr')));
    expect(shape.message).toBe(
      'tapi:openOrders: unexpected answer: Invalid value "hold" supplied to return/orders/0/type',
    );
    expect(shape.message).not.toContain(SECRET);
  });

  it('v2 tapi flavor: GET with X-APIKEY and SHA-512 of the query; {data}, oriQty', async () => {
    script = () =>
      ok({
        data: [
          {
            orderId: 'btcidr-limit-1',
            clientOrderId: 'btcidr-limit-1',
            symbol: 'btcidr',
            side: 'BUY',
            type: 'LIMIT',
            status: 'FILLED',
            price: '100',
            oriQty: '1',
            executedQty: '1',
            submitTime: 5,
            finishTime: 6,
          },
        ],
      });
    const rows = await firstValueFrom(api().orderHistories({ symbol: 'BTCIDR', startTime: 1, endTime: 10 }));
    const [s] = seen;
    expect(s).toMatchObject({ method: 'GET', path: '/api/v2/order/histories', signOk: true, body: '' });
    expect(s!.headers['x-apikey']).toBe(KEY);
    expect([s!.headers['accept'], s!.headers['content-type']]).toEqual([
      'application/json',
      'application/json',
    ]);
    expect(s!.rawQuery).toMatch(
      /^symbol=btcidr&startTime=1&endTime=10&limit=100&sort=desc&timestamp=\d{13}&recvWindow=5000$/,
    );
    expect(rows[0]!.origQty).toBe('1');
  });

  it('v2 api flavor: the dedicated key, SHA-256, upper-case symbols, a plain array', async () => {
    script = () => ({
      status: 200,
      body: '[{"symbol":"BTCIDR","orderId":6423,"clientOrderId":"x","side":"BUY","price":"100","origQty":"1","executedQty":"0","status":"NEW","type":"LIMIT","time":1,"fullOrderId":"btcidr-limit-6423"}]',
    });
    const open = await firstValueFrom(api({ v2Flavor: 'api' }).v2OpenOrders('btcidr'));
    expect(seen[0]).toMatchObject({ path: '/api/v2/openOrders', signOk: true });
    expect(seen[0]!.headers['x-apikey']).toBe(V2KEY);
    expect(seen[0]!.query.get('symbol')).toBe('BTCIDR');
    expect(open[0]).toMatchObject({ orderId: '6423', fullOrderId: 'btcidr-limit-6423' });
    script = () => ok({ data: [] });
    await firstValueFrom(api({ v2Flavor: 'api' }).myTrades({ symbol: 'btcidr', clientOrderId: 'c-1' }));
    expect(seen[1]).toMatchObject({ path: '/api/v2/myTrades', signOk: true });
    expect(seen[1]!.query.get('clientOrderId')).toBe('c-1');
  });

  it('v2 errors: {code,error} and {code,msg} with their HTTP statuses', async () => {
    script = () => ({ status: 404, body: JSON.stringify({ code: 1112, error: 'Order not found' }) });
    expect(await failure(firstValueFrom(api().myTrades({ symbol: 'btcidr' })))).toMatchObject({
      code: '1112',
      status: 404,
      retryable: false,
      endpoint: 'v2:myTrades',
    });
    script = () => ({ status: 503, body: JSON.stringify({ code: 1000, error: 'Internal error' }) });
    expect(await failure(firstValueFrom(api().myTrades({ symbol: 'btcidr' })))).toMatchObject({
      code: '1000',
      retryable: true,
    });
    script = () => ({ status: 500, body: JSON.stringify({ code: -1001, msg: 'Internal error' }) });
    expect(await failure(firstValueFrom(api({ v2Flavor: 'api' }).v2OpenOrders()))).toMatchObject({
      code: '-1001',
      retryable: true,
    });
    script = () => ({
      status: 400,
      body: JSON.stringify({ code: -1021, msg: 'Timestamp for this request is outside of the recvWindow' }),
    });
    expect(await failure(firstValueFrom(api({ v2Flavor: 'api' }).v2OpenOrders()))).toMatchObject({
      code: 'clock_skew',
      serverCode: '-1021',
    });
    script = () => ({ status: 404, body: 'not found' });
    expect(await failure(firstValueFrom(api().myTrades({ symbol: 'btcidr' })))).toMatchObject({
      code: 'http',
      status: 404,
      retryable: false,
    });
  });

  it('retries a 503 then succeeds over the wire', async () => {
    let n = 0;
    script = () =>
      n++ === 0 ? { status: 503, body: 'busy' } : ok({ success: 1, return: { balance: { idr: '5' } } });
    const info = await firstValueFrom(
      api({ retry: { maxAttempts: 3, minDelayMs: 1, maxDelayMs: 2 } }).getInfo(),
    );
    expect(info.balance.idr).toBe('5');
    expect(seen).toHaveLength(2);
    expect(seen.every((s) => s.signOk)).toBe(true);
  });

  it('unsubscribing aborts the request on the wire', async () => {
    script = () => 'hang';
    const closed = new Promise<void>((r) => onHangClosed.push(r));
    const sub = api().getInfo().subscribe();
    while (seen.length === 0) await new Promise((r) => setImmediate(r));
    sub.unsubscribe();
    await closed; // the server sees the connection go: the fetch was aborted
    expect(seen).toHaveLength(1);
  });

  it('a refused connection is a retryable network error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const e = await failure(
      firstValueFrom(
        createTradeApi(
          { apiKey: KEY, apiSecret: SECRET },
          { restBaseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 1 } },
        ).getInfo(),
      ),
    );
    expect(e).toMatchObject({ code: 'network', retryable: true });
    expect(e.message).not.toContain(SECRET);
  });

  it('empty credentials fail before any request', async () => {
    const e = await failure(
      firstValueFrom(createTradeApi({ apiKey: ' ', apiSecret: SECRET }, { restBaseUrl: base }).getInfo()),
    );
    expect(e).toMatchObject({ code: 'invalid_arguments', retryable: false });
    expect(seen).toHaveLength(0);
  });
});
