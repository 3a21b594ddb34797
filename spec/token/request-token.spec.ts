import { TestScheduler } from 'rxjs/testing';
import { requestToken } from '../../lib/token/request-token';
import { TokenRequestError } from '../../lib/token/error';
import type { FetchInitLike, FetchLike, FetchResponseLike } from '../../lib/util/fetch';
import { InsecureTransportError } from '../../lib/util/transport-security';

const credentials = { apiKey: 'KEY123', apiSecret: 'secret-abc' };
const ok = JSON.stringify({ success: 1, return: { connToken: 'tok-1', channel: 'pws:#abc' } });

/** A fetch double whose answers the test resolves by hand. */
function manualFetch() {
  const calls: {
    url: string;
    init: FetchInitLike;
    resolve: (r: FetchResponseLike) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const fetch: FetchLike = (url, init) =>
    new Promise((resolve, reject) => calls.push({ url, init, resolve, reject }));
  return { fetch, calls };
}
const response = (status: number, body: string): FetchResponseLike => ({
  status,
  ok: status >= 200 && status < 300,
  text: () => Promise.resolve(body),
});
const flush = () => new Promise((r) => setImmediate(r));

describe('requestToken', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  });

  it('is cold: no request before subscription, one per subscription', () => {
    const { fetch, calls } = manualFetch();
    const token$ = requestToken(credentials, { fetch, restBaseUrl: 'https://x' });
    expect(calls).toHaveLength(0);
    token$.subscribe({ error: () => undefined }).unsubscribe();
    token$.subscribe({ error: () => undefined }).unsubscribe();
    expect(calls).toHaveLength(2);
    expect(calls[0]?.url).toBe('https://x/api/private_ws/v1/generate_token');
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.body).toBe('client=tapi&tapi_key=KEY123');
    expect(calls[0]?.init.headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(calls[0]?.init.headers['Sign']).toMatch(/^[0-9a-f]{128}$/);
  });

  it('emits the token and completes', async () => {
    const { fetch, calls } = manualFetch();
    const seen: unknown[] = [];
    let completed = false;
    requestToken(credentials, { fetch }).subscribe({
      next: (t) => seen.push(t),
      complete: () => (completed = true),
    });
    calls[0]?.resolve(response(200, ok));
    await flush();
    expect(seen).toEqual([{ connToken: 'tok-1', channel: 'pws:#abc' }]);
    expect(completed).toBe(true);
  });

  it('aborts the request on unsubscribe', () => {
    const { fetch, calls } = manualFetch();
    const sub = requestToken(credentials, { fetch }).subscribe();
    expect(calls[0]?.init.signal.aborted).toBe(false);
    sub.unsubscribe();
    expect(calls[0]?.init.signal.aborted).toBe(true);
  });

  it('times out on the injected scheduler and aborts', () => {
    const { fetch, calls } = manualFetch();
    scheduler.run(({ expectObservable }) => {
      const token$ = requestToken(credentials, { fetch, timeoutMs: 50, scheduler });
      expectObservable(token$).toBe(
        '50ms #',
        undefined,
        new TokenRequestError('timeout', 'Token request to indodax.com got no answer within 50 ms', true),
      );
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.init.signal.aborted).toBe(true);
  });

  it('marble: each subscription makes its own request (cold)', () => {
    const { fetch, calls } = manualFetch();
    scheduler.run(({ expectObservable }) => {
      const token$ = requestToken(credentials, { fetch, timeoutMs: 10, scheduler });
      const err = new TokenRequestError(
        'timeout',
        'Token request to indodax.com got no answer within 10 ms',
        true,
      );
      expectObservable(token$, '^ 20ms !').toBe('10ms #', undefined, err);
      expectObservable(token$, '5ms ^ 20ms !').toBe('15ms #', undefined, err);
    });
    expect(calls).toHaveLength(2);
  });

  it('fails at once, without a request, on an empty key or secret', () => {
    const { fetch, calls } = manualFetch();
    const errors: TokenRequestError[] = [];
    requestToken({ apiKey: '', apiSecret: 's' }, { fetch }).subscribe({ error: (e) => errors.push(e) });
    requestToken({ apiKey: 'k', apiSecret: '' }, { fetch }).subscribe({ error: (e) => errors.push(e) });
    expect(calls).toHaveLength(0);
    expect(errors.map((e) => [e.code, e.retryable, e.message])).toEqual([
      ['invalid_arguments', false, 'requestToken: the API key is empty'],
      ['invalid_arguments', false, 'requestToken: the API secret is empty'],
    ]);
  });

  it.each([
    [200, '{"success":1}', 'malformed_response', false],
    [200, '<html>', 'malformed_response', false],
    [200, '{"success":1,"return":{"connToken":"SECRET-TOKEN"}}', 'malformed_response', false],
    [500, 'oops', 'http', true],
    [503, '{"success":0,"error":"down","error_code":"maintenance"}', 'http', true],
    [429, '{"success":0,"error":"slow down","error_code":"too_many_requests"}', 'http', true],
    [404, 'nope', 'http', false],
    [
      200,
      '{"success":0,"error":"Invalid credentials. Bad sign.","error_code":"bad_sign"}',
      'bad_sign',
      false,
    ],
    [200, '{"success":0,"error":"x","error_code":"something_new"}', 'something_new', false],
  ])('HTTP %i %s → %s (retryable %s)', async (status, body, code, retryable) => {
    const { fetch, calls } = manualFetch();
    let error: TokenRequestError | undefined;
    requestToken(credentials, { fetch }).subscribe({ error: (e) => (error = e) });
    calls[0]?.resolve(response(status, body));
    await flush();
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error?.code).toBe(code);
    expect(error?.retryable).toBe(retryable);
    expect(error?.message).not.toContain('secret-abc');
    expect(error?.message).not.toContain('SECRET-TOKEN');
  });

  it('reports a network failure as retryable, naming the host and the cause', async () => {
    const { fetch, calls } = manualFetch();
    let error: TokenRequestError | undefined;
    requestToken(credentials, { fetch }).subscribe({ error: (e) => (error = e) });
    // what undici's fetch rejects with when DNS knows no such host (stubbed: nothing leaves the process)
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND indodax.com'), {
      code: 'ENOTFOUND',
      hostname: 'indodax.com',
    });
    calls[0]?.reject(new TypeError('fetch failed', { cause: dns }));
    await flush();
    expect(error?.code).toBe('network');
    expect(error?.retryable).toBe(true);
    expect(error?.message).toBe(
      'Token request to indodax.com failed: ENOTFOUND indodax.com (the host name does not resolve)',
    );
  });

  it.each([
    [
      'a TLS failure',
      { code: 'CERT_HAS_EXPIRED' },
      "CERT_HAS_EXPIRED indodax.com (TLS: the server's certificate has expired)",
    ],
    ['a bare error', undefined, 'fetch failed'],
  ])('names %s', async (_name, cause, expected) => {
    const { fetch, calls } = manualFetch();
    let error: TokenRequestError | undefined;
    requestToken(credentials, { fetch }).subscribe({ error: (e) => (error = e) });
    calls[0]?.reject(new TypeError('fetch failed', cause ? { cause } : undefined));
    await flush();
    expect(error?.message).toBe(`Token request to indodax.com failed: ${expected}`);
  });

  it('a refusal answered with HTTP 200 says what the exchange said, not "HTTP 200"', async () => {
    const { fetch, calls } = manualFetch();
    let error: TokenRequestError | undefined;
    requestToken(credentials, { fetch }).subscribe({ error: (e) => (error = e) });
    calls[0]?.resolve(
      response(200, '{"success":0,"error":"Invalid credentials. Bad sign.","error_code":"bad_sign"}'),
    );
    await flush();
    expect(error?.message).toBe(
      'The exchange refused the token request: Invalid credentials. Bad sign. (bad_sign)',
    );
  });

  it('cleans echoed text of our key, a Sign and a JWT before it reaches the message', async () => {
    const { fetch, calls } = manualFetch();
    const key = 'ABCD1234-EFGH5678-IJKL9012-MNOP3456-QRST7890';
    let error: TokenRequestError | undefined;
    requestToken({ apiKey: key, apiSecret: 'secret-abc' }, { fetch }).subscribe({
      error: (e) => (error = e),
    });
    const sign = calls[0]!.init.headers['Sign']!;
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    const echoed = `bad request: Key ${key} Sign ${sign} token ${jwt} and ${'ab'.repeat(32)}`;
    calls[0]?.resolve(
      response(400, JSON.stringify({ success: 0, error: echoed, error_code: 'bad_request' })),
    );
    await flush();
    expect(error?.message).toBe(
      'Token request to indodax.com got HTTP 400: bad request: Key [redacted] Sign [redacted] token [redacted] and [redacted] (bad_request)',
    );
  });

  it.each([
    ['http://indodax.com', 'http://indodax.com'],
    ['http://10.0.0.5:8080/', 'http://10.0.0.5:8080'],
    ['http://[fe80::1]/', 'http://[fe80::1]'],
    ['http://localhost.evil.com', 'http://localhost.evil.com'],
    ['http://127.0.0.1.nip.io', 'http://127.0.0.1.nip.io'],
  ])('refuses plain text to %s before anything is sent (terminal)', (restBaseUrl, origin) => {
    const { fetch, calls } = manualFetch();
    const errors: TokenRequestError[] = [];
    requestToken(credentials, { fetch, restBaseUrl }).subscribe({ error: (e) => errors.push(e) });
    expect(calls).toHaveLength(0);
    expect(errors.map((e) => [e.code, e.retryable, e.cause instanceof InsecureTransportError])).toEqual([
      ['insecure_transport', false, true],
    ]);
    expect((errors[0]?.cause as InsecureTransportError).origin).toBe(origin);
    expect(errors[0]?.message).toContain('allowInsecureTransport');
  });

  it.each([
    'http://127.0.0.1:9',
    'http://127.8.9.10',
    'http://localhost:1',
    'http://[::1]:1',
    'https://indodax.com',
  ])('allows %s', (restBaseUrl) => {
    const { fetch, calls } = manualFetch();
    requestToken(credentials, { fetch, restBaseUrl })
      .subscribe({ error: () => undefined })
      .unsubscribe();
    expect(calls).toHaveLength(1);
  });

  it('allowInsecureTransport: true sends over http to any host (the stub, never the network)', () => {
    const { fetch, calls } = manualFetch();
    requestToken(credentials, { fetch, restBaseUrl: 'http://proxy.lan', allowInsecureTransport: true })
      .subscribe({ error: () => undefined })
      .unsubscribe();
    expect(calls.map((c) => c.url)).toEqual(['http://proxy.lan/api/private_ws/v1/generate_token']);
  });

  it('explains a malformed response by path, without values', async () => {
    const { fetch, calls } = manualFetch();
    let error: TokenRequestError | undefined;
    requestToken(credentials, { fetch }).subscribe({ error: (e) => (error = e) });
    calls[0]?.resolve(response(200, '{"success":1,"return":{"connToken":"SECRET-TOKEN"}}'));
    await flush();
    expect(error?.message).toContain('return/channel');
    expect(error?.message).not.toContain('SECRET-TOKEN');
  });
});
