import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { firstValueFrom } from 'rxjs';
import { requestToken } from '../../lib/token/request-token';
import { TokenRequestError } from '../../lib/token/error';

// A real HTTP server on loopback that checks the request the way the exchange does.
const KEY = 'key-1';
const SECRET = 'secret-xyz-123';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.e30.SIG-SHOULD-NOT-LEAK';

type Mode = 'ok' | 'status503' | 'status429' | 'status404' | 'html' | 'hang' | 'echo';

describe('requestToken over loopback HTTP', () => {
  let server: Server;
  let base: string;
  let mode: Mode = 'ok';
  const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (mode === 'hang') return;
        // a careless endpoint that echoes the request's headers and body into its error
        if (mode === 'echo')
          return answer(res, 400, {
            success: 0,
            error: `bad request ${JSON.stringify(req.headers)} ${body}`,
            error_code: 'bad_request',
          });
        if (mode === 'status503') return answer(res, 503, 'unavailable');
        if (mode === 'status429')
          return answer(res, 429, { success: 0, error: 'slow down', error_code: 'too_many_requests' });
        if (mode === 'status404') return answer(res, 404, 'not found');
        if (mode === 'html') return answer(res, 200, '<html>maintenance</html>');
        const params = new URLSearchParams(body);
        const key = params.get('tapi_key');
        // like the exchange: a key that is missing or not sent properly
        if (!key || key.trim() !== key)
          return answer(res, 200, { success: 0, error: 'Invalid TAPI key', error_code: 'invalid_tapi_key' });
        if (key !== KEY)
          return answer(res, 200, {
            success: 0,
            error: 'Invalid credentials. API not found or session has expired.',
            error_code: 'invalid_credentials',
          });
        const expected = createHmac('sha512', SECRET).update(body).digest('hex');
        if (req.headers['sign'] !== expected)
          return answer(res, 200, {
            success: 0,
            error: 'Invalid credentials. Bad sign.',
            error_code: 'bad_sign',
          });
        answer(res, 200, { success: 1, return: { connToken: TOKEN, channel: 'pws:#c12d' } });
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
    mode = 'ok';
    seen.length = 0;
  });

  const failure = async (credentials: { apiKey: string; apiSecret: string }, timeoutMs?: number) => {
    try {
      await firstValueFrom(
        requestToken(credentials, { restBaseUrl: base, ...(timeoutMs ? { timeoutMs } : {}) }),
      );
    } catch (e) {
      return e as TokenRequestError;
    }
    throw new Error('expected a failure');
  };

  it('sends one signed form POST and decodes the token', async () => {
    const token = await firstValueFrom(
      requestToken({ apiKey: KEY, apiSecret: SECRET }, { restBaseUrl: base }),
    );
    expect(token).toEqual({ connToken: TOKEN, channel: 'pws:#c12d' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/private_ws/v1/generate_token',
      body: 'client=tapi&tapi_key=key-1',
    });
    expect(seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(seen[0]!.headers['origin']).toBeUndefined();
  });

  it.each([
    ['invalid_credentials', { apiKey: 'nobody', apiSecret: SECRET }],
    ['bad_sign', { apiKey: KEY, apiSecret: 'wrong-secret' }],
  ])('server code %s is a non-retryable TokenRequestError', async (code, credentials) => {
    const error = await failure(credentials);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain(credentials.apiSecret);
  });

  it('the server code invalid_tapi_key (a key not sent properly) is non-retryable', async () => {
    const error = await failure({ apiKey: ' key-1', apiSecret: SECRET });
    expect([error.code, error.retryable]).toEqual(['invalid_tapi_key', false]);
    expect(seen[0]!.body).toBe('client=tapi&tapi_key=%20key-1');
  });

  it('a blank key or secret is refused before any request', async () => {
    for (const credentials of [
      { apiKey: ' ', apiSecret: SECRET },
      { apiKey: KEY, apiSecret: '' },
    ]) {
      const error = await failure(credentials);
      expect([error.code, error.retryable]).toEqual(['invalid_arguments', false]);
    }
    expect(seen).toHaveLength(0);
  });

  it.each([
    ['status503', 'http', true, 503],
    ['status429', 'http', true, 429],
    ['status404', 'http', false, 404],
    ['html', 'malformed_response', false, 200],
  ] as const)('%s → %s (retryable %s)', async (m, code, retryable, status) => {
    mode = m;
    const error = await failure({ apiKey: KEY, apiSecret: SECRET });
    expect([error.code, error.retryable, error.status]).toEqual([code, retryable, status]);
  });

  it('a refused loopback port: retryable, and the message names the address and the cause', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const error = await firstValueFrom(
      requestToken({ apiKey: KEY, apiSecret: SECRET }, { restBaseUrl: `http://127.0.0.1:${port}` }),
    ).catch((e: TokenRequestError) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect([(error as TokenRequestError).code, (error as TokenRequestError).retryable]).toEqual([
      'network',
      true,
    ]);
    expect((error as TokenRequestError).message).toBe(
      `Token request to 127.0.0.1:${port} failed: ECONNREFUSED 127.0.0.1:${port} (nothing listens there)`,
    );
  });

  it('a server that echoes the headers: the Sign and the key never reach the message', async () => {
    mode = 'echo';
    const key = 'ABCD1234-EFGH5678-IJKL9012-MNOP3456-QRST7890';
    const error = await failure({ apiKey: key, apiSecret: SECRET });
    const sign = seen[0]?.headers['sign'];
    expect(typeof sign).toBe('string');
    expect(error.message).toContain('bad request');
    expect(error.message).toContain('[redacted]');
    expect(error.message).not.toContain(sign as string);
    expect(error.message).not.toContain(key);
    expect(error.message).not.toContain(SECRET);
  });

  it('times out and aborts a request the server never answers', async () => {
    mode = 'hang';
    const error = await failure({ apiKey: KEY, apiSecret: SECRET }, 200);
    expect([error.code, error.retryable]).toEqual(['timeout', true]);
  });

  it('never puts the secret or the token into a message', async () => {
    const errors = await Promise.all([
      failure({ apiKey: KEY, apiSecret: 'wrong-secret' }),
      failure({ apiKey: 'nobody', apiSecret: SECRET }),
    ]);
    for (const e of errors) {
      expect(e.message).not.toContain(SECRET);
      expect(e.message).not.toContain('wrong-secret');
      expect(e.message).not.toContain(TOKEN);
    }
  });
});
