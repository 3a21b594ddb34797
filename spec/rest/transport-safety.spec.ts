import { firstValueFrom, type Observable } from 'rxjs';
import { createTradeApi } from '../../lib/rest/trade-api';
import { TradeApiError } from '../../lib/rest/error';
import type { RestFetchLike } from '../../lib/rest/request';
import type { TradeApiOptions } from '../../lib/rest/options';
import { InsecureTransportError } from '../../lib/util/transport-security';

const KEY = 'ABCD1234-EFGH5678-IJKL9012-MNOP3456-QRST7890';
const creds = { apiKey: KEY, apiSecret: 'very-secret-value' };
const v2Credentials = { apiKey: 'v2-key-0001', apiSecret: 'v2-secret-value' };

/** A fetch stub: records each call and answers with `answer` (nothing leaves the process). */
function stub(
  answer: (url: string, headers: Record<string, string>) => Promise<{ status: number; body: string }>,
) {
  const calls: string[] = [];
  const fetch: RestFetchLike = async (url, init) => {
    calls.push(url);
    const { status, body } = await answer(url, init.headers);
    return { status, ok: status >= 200 && status < 300, text: () => Promise.resolve(body) };
  };
  return { fetch, calls };
}

const failureOf = (call$: Observable<unknown>): Promise<TradeApiError> =>
  firstValueFrom(call$).then(
    () => {
      throw new Error('expected a failure');
    },
    (e: TradeApiError) => e,
  );

const options = (extra: TradeApiOptions): TradeApiOptions => ({
  retry: { maxAttempts: 4, minDelayMs: 1, maxDelayMs: 1 },
  v2Credentials,
  ...extra,
});

describe('createTradeApi: credentials never travel in plain text', () => {
  it.each([
    ['legacy /tapi', { restBaseUrl: 'http://indodax.com' }, 'getInfo', 'http://indodax.com'],
    ['v2 "tapi" flavor', { tapiV2BaseUrl: 'http://tapi.indodax.com' }, 'myTrades', 'http://tapi.indodax.com'],
    ['v2 "api" flavor', { apiV2BaseUrl: 'http://10.1.2.3:8080' }, 'v2OpenOrders', 'http://10.1.2.3:8080'],
  ] as const)(
    '%s over http to a remote host: refused, never sent, never retried',
    async (_n, hosts, method, origin) => {
      const { fetch, calls } = stub(() => Promise.resolve({ status: 200, body: '{}' }));
      const api = createTradeApi(creds, options({ ...hosts, fetch }));
      const call$: Observable<unknown> =
        method === 'getInfo'
          ? api.getInfo()
          : method === 'myTrades'
            ? api.myTrades({ symbol: 'btcidr' })
            : api.v2OpenOrders();
      const error = await failureOf(call$);
      expect(calls).toEqual([]);
      expect([error.code, error.retryable]).toEqual(['insecure_transport', false]);
      expect(error.cause).toBeInstanceOf(InsecureTransportError);
      expect((error.cause as InsecureTransportError).origin).toBe(origin);
      expect(error.message).toContain('allowInsecureTransport');
    },
  );

  it('loopback http and https are allowed; allowInsecureTransport opens http to any host', async () => {
    const ok = () => Promise.resolve({ status: 200, body: '{"success":1,"return":{"balance":{}}}' });
    for (const [restBaseUrl, allowInsecureTransport] of [
      ['http://127.0.0.1:1', false],
      ['http://localhost:1', false],
      ['http://[::1]:1', false],
      ['https://indodax.com', false],
      ['http://proxy.lan', true],
    ] as const) {
      const { fetch, calls } = stub(ok);
      await firstValueFrom(
        createTradeApi(creds, options({ restBaseUrl, allowInsecureTransport, fetch })).getInfo(),
      );
      expect(calls).toEqual([`${restBaseUrl}/tapi`]);
    }
  });
});

describe('createTradeApi: reasons a user can act on', () => {
  it('a network failure names the host and the cause', async () => {
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND indodax.com'), {
      code: 'ENOTFOUND',
      hostname: 'indodax.com',
    });
    const { fetch } = stub(() => Promise.reject(new TypeError('fetch failed', { cause: dns })));
    const error = await failureOf(
      createTradeApi(creds, options({ fetch, retry: { maxAttempts: 1 } })).getInfo(),
    );
    expect([error.code, error.retryable]).toEqual(['network', true]);
    expect(error.message).toBe(
      'tapi:getInfo to indodax.com failed: ENOTFOUND indodax.com (the host name does not resolve)',
    );
  });

  it.each([
    [
      'a legacy refusal',
      (h: Record<string, string>) => ({ success: 0, error: `bad ${JSON.stringify(h)}`, error_code: 'x' }),
    ],
    ['a v2 refusal', (h: Record<string, string>) => ({ code: 1234, error: `bad ${JSON.stringify(h)}` })],
    ['a body that is not JSON', (h: Record<string, string>) => `<pre>${h['Sign'] ?? h['X-APIKEY']}</pre>`],
  ])('%s that echoes the headers: no key, no Sign in the message', async (_n, body) => {
    const seen: Record<string, string>[] = [];
    const { fetch } = stub((_url, headers) => {
      seen.push(headers);
      const value = body(headers);
      return Promise.resolve({
        status: 200,
        body: typeof value === 'string' ? value : JSON.stringify(value),
      });
    });
    const api = createTradeApi(creds, options({ fetch }));
    const error = await failureOf(_n === 'a v2 refusal' ? api.myTrades({ symbol: 'btcidr' }) : api.getInfo());
    expect(error.message).toContain('[redacted]');
    for (const value of Object.values(seen[0] ?? {}).filter((v) => v.length > 20)) {
      expect(error.message).not.toContain(value);
    }
    expect(error.message).not.toContain(KEY);
  });
});
