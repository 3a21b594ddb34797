import { createTradeApi } from '../../lib/rest/trade-api';
import { TradeApiError } from '../../lib/rest/error';
import { advance, json, scriptedFetch, virtualScheduler } from './virtual';

const creds = { apiKey: 'k', apiSecret: 'very-secret-value' };
const INFO = { success: 1, return: { balance: { idr: 1 } } };

function setup(script: Parameters<typeof scriptedFetch>[1], extra: Record<string, unknown> = {}) {
  const scheduler = virtualScheduler();
  const { fetch, calls } = scriptedFetch(scheduler, script);
  const api = createTradeApi(creds, {
    restBaseUrl: 'https://x',
    tapiV2BaseUrl: 'https://v2',
    fetch,
    scheduler,
    random: () => 0.5,
    retry: { maxAttempts: 4, minDelayMs: 100, maxDelayMs: 1000 },
    rateLimits: { legacy: { perSecond: 1000 }, tapi: { perSecond: 1000 } },
    ...extra,
  });
  const results: unknown[] = [];
  let error: TradeApiError | undefined;
  let completed = false;
  const observe = {
    next: (v: unknown) => results.push(v),
    error: (e: TradeApiError) => (error = e),
    complete: () => (completed = true),
  };
  return { scheduler, calls, api, results, observe, error: () => error, completed: () => completed };
}

describe('request timing (virtual time)', () => {
  it('retries 503 and 429 with full-jitter backoff on the scheduler', async () => {
    const t = setup([
      json(503, 'busy'),
      json(429, { success: 0, error: 'slow', error_code: 'too_many_requests' }),
      json(200, INFO),
    ]);
    t.api.getInfo().subscribe(t.observe);
    await advance(t.scheduler, 10_000);
    // backoff(step, 100, 1000, () => 0.5): step 0 → 150 ms, step 1 → 200 ms
    expect(t.calls.map((c) => c.at)).toEqual([0, 150, 350]);
    expect(t.results).toEqual([{ balance: { idr: '1' } }]);
    expect(t.completed()).toBe(true);
  });

  it('waits at least Retry-After (capped at maxDelayMs) before retrying', async () => {
    const t = setup([
      { ...json(503, 'busy'), retryAfter: '0.7' },
      { ...json(429, 'x'), retryAfter: '60' },
      json(200, INFO),
    ]);
    t.api.getInfo().subscribe(t.observe);
    await advance(t.scheduler, 10_000);
    expect(t.calls.map((c) => c.at)).toEqual([0, 700, 1700]);
    expect(t.results).toHaveLength(1);
  });

  it('gives up after maxAttempts with the last retryable error', async () => {
    const t = setup([json(502, 'x'), json(502, 'x')], {
      retry: { maxAttempts: 2, minDelayMs: 100, maxDelayMs: 100 },
    });
    t.api.getInfo().subscribe(t.observe);
    await advance(t.scheduler, 10_000);
    expect(t.calls).toHaveLength(2);
    expect(t.error()).toMatchObject({ code: 'http', status: 502, retryable: true, endpoint: 'tapi:getInfo' });
  });

  it('does not retry a refusal', async () => {
    const t = setup([
      json(200, { success: 0, error: 'Invalid credentials. Bad sign.', error_code: 'bad_sign' }),
    ]);
    t.api.getInfo().subscribe(t.observe);
    await advance(t.scheduler, 10_000);
    expect(t.calls).toHaveLength(1);
    expect(t.error()).toMatchObject({ code: 'bad_sign', retryable: false });
    expect(t.error()!.message).not.toContain(creds.apiSecret);
  });

  it('times out after timeoutMs and aborts the request', async () => {
    const t = setup(['hang'], { timeoutMs: 2_000, retry: { maxAttempts: 1 } });
    t.api.getInfo().subscribe(t.observe);
    await advance(t.scheduler, 1_999);
    expect(t.error()).toBeUndefined();
    await advance(t.scheduler, 2_000);
    expect(t.error()).toMatchObject({ code: 'timeout', retryable: true });
    expect(t.calls[0]!.init.signal.aborted).toBe(true);
  });

  it('aborts the request when unsubscribed', async () => {
    const t = setup(['hang']);
    const sub = t.api.getInfo().subscribe(t.observe);
    await advance(t.scheduler, 10);
    expect(t.calls[0]!.init.signal.aborted).toBe(false);
    sub.unsubscribe();
    expect(t.calls[0]!.init.signal.aborted).toBe(true);
    await advance(t.scheduler, 60_000);
    expect(t.calls).toHaveLength(1);
  });

  it('is cold: one request per subscription, none before', async () => {
    const t = setup([json(200, INFO), json(200, INFO)]);
    const info$ = t.api.getInfo();
    await advance(t.scheduler, 10);
    expect(t.calls).toHaveLength(0);
    info$.subscribe(t.observe);
    info$.subscribe(t.observe);
    await advance(t.scheduler, 10);
    expect(t.calls).toHaveLength(2);
  });

  it('spaces requests by the token bucket', async () => {
    const t = setup(
      Array.from({ length: 5 }, () => json(200, INFO)),
      {
        rateLimits: { legacy: { perSecond: 2, burst: 2 } },
      },
    );
    for (let i = 0; i < 5; i++) t.api.getInfo().subscribe(t.observe);
    await advance(t.scheduler, 10_000);
    expect(t.calls.map((c) => c.at)).toEqual([0, 0, 500, 1000, 1500]);
  });

  it('reports a rejected timestamp as clock_skew and corrects it from the Date header', async () => {
    // The virtual clock reads 0 (1970); the server's Date header says 2026.
    const date = 'Wed, 25 Nov 2026 06:00:00 GMT';
    const skew = { success: 0, error: 'Timestamp is outside recvWindow', error_code: 'invalid_timestamp' };
    const t = setup([json(200, skew, date), json(200, INFO, date)]);
    t.api.getInfo().subscribe(t.observe);
    await advance(t.scheduler, 10_000);
    expect(t.calls).toHaveLength(2);
    const stamp = (i: number) => Number(new URLSearchParams(t.calls[i]!.init.body).get('timestamp'));
    expect(stamp(0)).toBe(0);
    expect(stamp(1)).toBe(Date.parse(date) + t.calls[1]!.at);
    expect(t.results).toHaveLength(1);
  });

  it('without a Date header a clock_skew is final, with a clear message', async () => {
    const t = setup([json(400, { code: 1002, error: 'Timestamp outside recvWindow' })]);
    t.api.orderHistories({ symbol: 'btcidr' }).subscribe(t.observe);
    await advance(t.scheduler, 10_000);
    expect(t.error()).toMatchObject({
      code: 'clock_skew',
      serverCode: '1002',
      retryable: false,
      status: 400,
    });
    expect(t.error()!.message).toContain('check the system clock');
  });
});
