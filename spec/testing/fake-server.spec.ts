import { WebSocket } from 'ws';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { signRequestBody } from '../../lib/auth/sign';
import { privateChannel } from '../../lib/connection/private-channel';
import type { ChannelMessage } from '../../lib/connection/types';
import { requestToken } from '../../lib/token/request-token';
import type { Credentials } from '../../lib/auth/credentials';
import { startFakeServer, type FakeServer, type FakeServerEvent } from '../../lib/testing/fake-server';
import { signFakeJwt, verifyFakeJwt } from '../../lib/testing/fake-jwt';

// A raw `ws` client against the fake: every line of every frame is queued; the close is remembered.
interface RawClient {
  readonly ws: WebSocket;
  next(): Promise<Record<string, unknown>>;
  readonly frames: string[];
  pings(): number;
  send(...items: unknown[]): void;
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

async function rawClient(url: string): Promise<RawClient> {
  const ws = new WebSocket(url);
  const lines: Record<string, unknown>[] = [];
  const waiting: ((line: Record<string, unknown>) => void)[] = [];
  const frames: string[] = [];
  let pings = 0;
  ws.on('ping', () => (pings += 1));
  ws.on('message', (data: Buffer) => {
    const text = data.toString('utf8');
    frames.push(text);
    for (const line of text.split('\n')) {
      if (line === '') continue;
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(line) as Record<string, unknown>;
      } catch {
        value = { unparsable: line };
      }
      const w = waiting.shift();
      if (w) w(value);
      else lines.push(value);
    }
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    ws,
    frames,
    pings: () => pings,
    next: () => {
      const line = lines.shift();
      return line ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
    },
    send: (...items) => ws.send(items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i))).join('\n')),
    closed,
    close: async () => {
      if (ws.readyState !== WebSocket.CLOSED) ws.close();
      await closed;
    },
  };
}

async function postToken(
  server: FakeServer,
  credentials: Credentials,
  opts: { body?: string; sign?: string | null; method?: string } = {},
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const body = opts.body ?? `client=tapi&tapi_key=${encodeURIComponent(credentials.apiKey)}`;
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Connection: 'close',
  };
  if (opts.sign !== null) headers.Sign = opts.sign ?? signRequestBody(body, credentials.apiSecret);
  const res = await fetch(`${server.restBaseUrl}/api/private_ws/v1/generate_token`, {
    method: opts.method ?? 'POST',
    headers,
    body,
  });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    /* keep the text */
  }
  return { status: res.status, json, headers: res.headers };
}

const connect = (token: string, id = 1) => ({ id, connect: { token } });
const subscribe = (channel: string, id = 2) => ({ id, subscribe: { channel } });

async function subscribed(
  server: FakeServer,
  url = server.wsUrl,
  account = server.account,
): Promise<RawClient> {
  const token = server.issueToken({ account });
  const c = await rawClient(url);
  c.send(connect(token.connToken), subscribe(token.channel));
  expect(await c.next()).toMatchObject({ id: 1, connect: {} });
  expect(await c.next()).toEqual({ id: 2, subscribe: {} });
  return c;
}

const order = (n: number) => ({
  eventType: 'order_update',
  order: { orderId: `btcidr-limit-${n}`, status: 'NEW' },
});

describe('startFakeServer', () => {
  let server: FakeServer;
  const clients: RawClient[] = [];
  const open = async (url: string) => {
    const c = await rawClient(url);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    server = await startFakeServer({ pingIntervalMs: 40, pongTimeoutMs: 30, expireGraceMs: 30 });
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
    expect(server.stats().openSockets).toBe(0);
  });

  describe('token endpoint', () => {
    it('issues an HS256 token with sub and exp, and the pws:#<sub> channel', async () => {
      const res = await postToken(server, server.credentials);
      expect(res.status).toBe(200);
      const body = res.json as { success: number; return: { connToken: string; channel: string } };
      expect(body.success).toBe(1);
      expect(body.return.channel).toBe(`pws:#${server.account.id}`);
      expect(server.account.id).toMatch(/^[0-9a-f]{40}$/);
      const [header = '', payload = ''] = body.return.connToken.split('.');
      expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string; exp: number };
      expect(claims.sub).toBe(server.account.id);
      expect(claims.exp - Date.now() / 1000).toBeGreaterThan(86_000);
      expect(server.stats().tokenRequests).toBe(1);
      expect(server.stats().tokensIssued).toBe(1);
    });

    it('answers every real error code, checking the Sign of the exact body', async () => {
      const creds = server.credentials;
      const error = (code: string, error: string) => ({ success: 0, error, error_code: code });
      expect((await postToken(server, creds, { body: 'client=tapi' })).json).toEqual(
        error('invalid_tapi_key', 'Invalid TAPI key'),
      );
      expect((await postToken(server, creds, { body: 'client=tapi&tapi_key=' })).json).toEqual(
        error('invalid_tapi_key', 'Invalid TAPI key'),
      );
      expect((await postToken(server, { apiKey: 'NOPE', apiSecret: 'x' })).json).toEqual(
        error('invalid_credentials', 'Invalid credentials. API not found or session has expired.'),
      );
      const badSign = error('bad_sign', 'Invalid credentials. Bad sign.');
      expect((await postToken(server, { apiKey: creds.apiKey, apiSecret: 'wrong' })).json).toEqual(badSign);
      expect((await postToken(server, creds, { sign: null })).json).toEqual(badSign);
      // the signature covers the exact bytes: the same fields in another order do not match
      const body = `tapi_key=${creds.apiKey}&client=tapi`;
      const other = signRequestBody(`client=tapi&tapi_key=${creds.apiKey}`, creds.apiSecret);
      expect((await postToken(server, creds, { body, sign: other })).json).toEqual(badSign);
      expect((await postToken(server, creds, { body })).json).toMatchObject({ success: 1 });
      expect(server.stats().tokenRequests).toBe(7);
    });

    it('serves many accounts, each with its own sub and channel, and extra keys', async () => {
      const other = server.addAccount();
      const extra = server.addKey(other);
      const a = (await postToken(server, server.credentials)).json as { return: { channel: string } };
      const b = (await postToken(server, other.credentials)).json as { return: { channel: string } };
      const c = (await postToken(server, extra)).json as { return: { channel: string } };
      expect(a.return.channel).not.toBe(b.return.channel);
      expect(c.return.channel).toBe(b.return.channel);
      expect(server.accountByKey(extra.apiKey)).toBe(other);
      expect(server.accountByKey('nope')).toBeUndefined();
      expect(server.secretOf(extra.apiKey)).toBe(extra.apiSecret);
      expect(server.secretOf('nope')).toBeUndefined();
    });

    it('fails the next N requests with an HTTP status, a server error_code, or never answers', async () => {
      server.failNextTokenRequests(2, { status: 429, retryAfter: 3 });
      server.failNextTokenRequests(1, { errorCode: 'bad_sign' });
      server.failNextTokenRequests(1, { errorCode: 'maintenance', error: 'Under maintenance' });
      const first = await postToken(server, server.credentials);
      expect(first.status).toBe(429);
      expect(first.headers.get('retry-after')).toBe('3');
      expect((await postToken(server, server.credentials)).status).toBe(429);
      expect((await postToken(server, server.credentials)).json).toMatchObject({ error_code: 'bad_sign' });
      expect((await postToken(server, server.credentials)).json).toEqual({
        success: 0,
        error: 'Under maintenance',
        error_code: 'maintenance',
      });
      expect((await postToken(server, server.credentials)).status).toBe(200);

      server.failNextTokenRequests(1, { hang: true });
      const controller = new AbortController();
      const hung = fetch(`${server.restBaseUrl}/api/private_ws/v1/generate_token`, {
        method: 'POST',
        body: 'client=tapi',
        signal: controller.signal,
      }).then(
        () => 'answered',
        () => 'aborted',
      );
      await server.until((s) => s.tokenRequests === 6);
      controller.abort();
      expect(await hung).toBe('aborted');
    });

    it('runs extra routes after the token endpoint, and 404s the rest', async () => {
      const s2 = await startFakeServer({
        routes: (srv) => [
          (req) =>
            req.url.pathname === '/tapi'
              ? {
                  status: 200,
                  body: JSON.stringify({ owner: srv.accountByKey(String(req.headers.key))?.id ?? null }),
                }
              : undefined,
        ],
      });
      s2.use(async (req) =>
        req.method === 'GET' ? { status: 200, body: `echo ${req.url.search}` } : undefined,
      );
      try {
        const tapi = await fetch(`${s2.restBaseUrl}/tapi`, {
          method: 'POST',
          headers: { Key: s2.credentials.apiKey },
        });
        expect(await tapi.json()).toEqual({ owner: s2.account.id });
        expect(await (await fetch(`${s2.restBaseUrl}/x?a=1`)).text()).toBe('echo ?a=1');
        expect((await fetch(`${s2.restBaseUrl}/nothing`, { method: 'POST' })).status).toBe(404);
      } finally {
        await s2.close();
      }
    });
  });

  describe('WebSocket protocol', () => {
    it('connects (frame-ping mode: no ping/pong fields), subscribes and pushes', async () => {
      const token = server.issueToken();
      const c = await open(server.wsUrl);
      c.send(connect(token.connToken, 7));
      const reply = await c.next();
      expect(reply).toEqual({
        id: 7,
        connect: {
          client: expect.stringMatching(/^[0-9a-f-]{36}$/),
          version: '5.2.0',
          expires: true,
          ttl: expect.any(Number),
        },
      });
      expect((reply.connect as { ttl: number }).ttl).toBeGreaterThan(86_000);
      c.send(subscribe(token.channel, 8));
      expect(await c.next()).toEqual({ id: 8, subscribe: {} });
      expect(server.subscribers()).toBe(1);
      expect(server.publish([order(1)])).toBe(1);
      expect(await c.next()).toEqual({ push: { channel: token.channel, pub: { data: [order(1)] } } });
      expect(server.stats()).toMatchObject({
        connected: 1,
        subscribed: 1,
        publicationsSent: 1,
        connectionsAccepted: 1,
      });
    });

    it('answers several commands sent in one frame, echoing their ids, in one frame', async () => {
      const token = server.issueToken();
      const c = await open(server.wsUrl);
      c.send(connect(token.connToken, 1), subscribe(token.channel, 2), {
        id: 3,
        unsubscribe: { channel: token.channel },
      });
      expect(await c.next()).toMatchObject({ id: 1 });
      expect(await c.next()).toEqual({ id: 2, subscribe: {} });
      expect(await c.next()).toEqual({ id: 3, unsubscribe: {} });
      expect(c.frames).toHaveLength(1);
      expect(server.stats().commands).toMatchObject({ connect: 1, subscribe: 1, unsubscribe: 1 });
      expect(server.subscribers()).toBe(0);
    });

    it('closes 3501 when the first command is not connect', async () => {
      const c = await open(server.wsUrl);
      c.send(subscribe(server.account.channel, 1));
      expect(await c.closed).toEqual({ code: 3501, reason: 'bad request' });
    });

    it('closes 3501 on a line that is not JSON', async () => {
      const c = await subscribed(server);
      clients.push(c);
      c.send('{"id":3,');
      expect(await c.closed).toEqual({ code: 3501, reason: 'bad request' });
    });

    it('closes 3500 "invalid token" for a bad signature, and 3501 for a missing token', async () => {
      const forged = signFakeJwt(
        { sub: server.account.id, exp: Date.now() / 1000 + 60, iat: 0, seq: 1 },
        Buffer.from('x'),
      );
      const c = await open(server.wsUrl);
      c.send(connect(forged));
      expect(await c.closed).toEqual({ code: 3500, reason: 'invalid token' });
      const d = await open(server.wsUrl);
      d.send({ id: 1, connect: {} });
      expect(await d.closed).toEqual({ code: 3501, reason: 'bad request' });
    });

    it('answers an expired token with error 109 and then refuses further commands with 3501', async () => {
      const expired = server.issueToken({}, -5);
      const c = await open(server.wsUrl);
      c.send(connect(expired.connToken, 4));
      expect(await c.next()).toEqual({ id: 4, error: { code: 109, message: 'token expired' } });
      c.send(connect(server.issueToken().connToken, 5));
      expect(await c.closed).toEqual({ code: 3501, reason: 'bad request' });
    });

    it('denies other channels with 103 (and unknown namespaces with 102), and a second subscribe with 105', async () => {
      const other = server.addAccount();
      const c = await subscribed(server);
      clients.push(c);
      c.send(subscribe(other.channel, 3), subscribe('news:all', 4), subscribe(server.account.channel, 5));
      expect(await c.next()).toEqual({ id: 3, error: { code: 103, message: 'permission denied' } });
      expect(await c.next()).toEqual({ id: 4, error: { code: 102, message: 'unknown channel' } });
      expect(await c.next()).toEqual({ id: 5, error: { code: 105, message: 'already subscribed' } });
      c.send({ id: 6, unsubscribe: { channel: other.channel } });
      expect(await c.next()).toEqual({ id: 6, unsubscribe: {} });
      expect(server.subscribers()).toBe(1);
      server.denySubscribe(true);
      const d = await open(server.wsUrl);
      d.send(connect(server.issueToken().connToken), subscribe(server.account.channel));
      await d.next();
      expect(await d.next()).toEqual({ id: 2, error: { code: 103, message: 'permission denied' } });
    });

    it('refreshes with a fresh token; a bad one closes 3500, an expired one 3005', async () => {
      const c = await subscribed(server);
      clients.push(c);
      c.send({ id: 3, refresh: { token: server.issueToken().connToken } });
      expect(await c.next()).toEqual({ id: 3, refresh: { expires: true, ttl: expect.any(Number) } });
      const other = server.addAccount();
      c.send({ id: 4, refresh: { token: server.issueToken({ account: other }).connToken } });
      expect(await c.closed).toEqual({ code: 3500, reason: 'invalid token' });
      const d = await subscribed(server);
      clients.push(d);
      d.send({ id: 3, refresh: { token: server.issueToken({}, -1).connToken } });
      expect(await d.closed).toEqual({ code: 3005, reason: 'expired' });
    });

    it('closes 3005 "expired" a grace after exp when not refreshed; a refresh in the grace keeps it open', async () => {
      server.setTokenTtl(0.05);
      const c = await subscribed(server);
      clients.push(c);
      expect(await c.closed).toEqual({ code: 3005, reason: 'expired' });
      const d = await subscribed(server);
      clients.push(d);
      server.setTokenTtl(3600);
      d.send({ id: 3, refresh: { token: server.issueToken().connToken } });
      expect(await d.next()).toMatchObject({ id: 3 });
      await server.until((s) => s.commands.refresh === 1);
      // pings keep coming for three intervals (past the old exp + grace), and no close came
      await firstValueFrom(
        server.events$.pipe(
          filter((e) => e.type === 'ping'),
          take(3),
          toArray(),
        ),
      );
      expect(d.ws.readyState).toBe(WebSocket.OPEN);
    });

    it('reports a fractional ttl exactly, and whole seconds like Centrifugo otherwise', async () => {
      server.setTokenTtl(0.5);
      const c = await open(server.wsUrl);
      c.send(connect(server.issueToken().connToken));
      const ttl = ((await c.next()).connect as { ttl: number }).ttl;
      expect(ttl).toBeGreaterThan(0.3);
      expect(ttl).toBeLessThanOrEqual(0.5);
      server.setTokenTtl(60);
      const d = await open(server.wsUrl);
      d.send(connect(server.issueToken().connToken));
      expect(((await d.next()).connect as { ttl: number }).ttl).toBe(60);
    });
  });

  describe('liveness', () => {
    it('frame-ping mode: sends WebSocket PING frames; an unsolicited {} closes 3501', async () => {
      const c = await subscribed(server);
      clients.push(c);
      await server.until(() => c.pings() >= 2);
      expect(c.frames.flatMap((f) => f.split('\n')).filter((l) => l === '{}')).toEqual([]);
      c.send({});
      expect(await c.closed).toEqual({ code: 3501, reason: 'bad request' });
    });

    it('app-ping mode: ping/pong in the connect result, {} answered keeps the link over many intervals', async () => {
      const token = server.issueToken();
      const c = await open(server.appPingWsUrl);
      c.send(connect(token.connToken), subscribe(token.channel));
      expect(await c.next()).toMatchObject({ connect: { ping: 0.04, pong: true, version: '5.2.0' } });
      await c.next();
      for (let i = 0; i < 4; i++) {
        expect(await c.next()).toEqual({});
        c.send({});
      }
      await server.until((s) => s.commands.pong === 4);
      expect(c.ws.readyState).toBe(WebSocket.OPEN);
      c.send({});
      c.send({});
      expect(await c.closed).toEqual({ code: 3501, reason: 'bad request' });
    });

    it('app-ping mode: an unanswered ping closes 3012 "no pong"', async () => {
      const token = server.issueToken();
      const c = await open(server.appPingWsUrl);
      c.send(connect(token.connToken));
      await c.next();
      expect(await c.next()).toEqual({});
      expect(await c.closed).toEqual({ code: 3012, reason: 'no pong' });
    });

    it('refuses a WebSocket with an Origin header (403), like Indodax', async () => {
      const ws = new WebSocket(server.wsUrl, { origin: 'https://example.com' });
      const status = await new Promise<number | undefined>((resolve) => {
        ws.on('unexpected-response', (_req, res) => {
          resolve(res.statusCode);
          res.destroy();
        });
        ws.on('error', () => resolve(undefined));
      });
      expect(status).toBe(403);
    });
  });

  describe('fault controls', () => {
    it('publishBatch sends several pushes in ONE frame; batch: true groups publishes of a tick', async () => {
      const c = await subscribed(server);
      clients.push(c);
      const before = c.frames.length;
      expect(server.publishBatch([[order(1)], [order(2)], [order(3)]])).toBe(1);
      for (const n of [1, 2, 3])
        expect(await c.next()).toMatchObject({ push: { pub: { data: [order(n)] } } });
      expect(c.frames.length).toBe(before + 1);
      server.publish([order(4)], { batch: true });
      server.publish([order(5)], { batch: true });
      for (const n of [4, 5]) expect(await c.next()).toMatchObject({ push: { pub: { data: [order(n)] } } });
      expect(c.frames.length).toBe(before + 2);
      expect(server.stats().publicationsSent).toBe(5);
    });

    it('sendRaw mixes a malformed line with good ones in one frame', async () => {
      const c = await subscribed(server);
      clients.push(c);
      const good = JSON.stringify({ push: { channel: server.account.channel, pub: { data: [order(1)] } } });
      expect(server.sendRaw(`${good}\n{"push":oops\n${good}`)).toBe(1);
      expect(await c.next()).toMatchObject({ push: {} });
      expect(await c.next()).toEqual({ unparsable: '{"push":oops' });
      expect(await c.next()).toMatchObject({ push: {} });
      expect(server.stats().rawFramesSent).toBe(1);
    });

    it('disconnect closes with a code; close codes that cannot be sent are refused', async () => {
      const c = await subscribed(server);
      clients.push(c);
      expect(server.disconnect(3001, 'shutdown')).toBe(1);
      expect(await c.closed).toEqual({ code: 3001, reason: 'shutdown' });
      expect(() => server.disconnect(1006, 'x')).toThrow(/dropConnections/);
    });

    it('dropConnections destroys the TCP socket without a close frame', async () => {
      const c = await subscribed(server);
      clients.push(c);
      expect(server.dropConnections()).toBe(1);
      expect((await c.closed).code).toBe(1006);
      await server.until((s) => s.openSockets === 0);
    });

    it('goSilent stops pings, pushes and replies with the socket open; resume restarts them', async () => {
      const c = await subscribed(server);
      clients.push(c);
      expect(server.goSilent()).toBe(1);
      const pings = c.pings();
      expect(server.publish([order(1)])).toBe(0);
      c.send({ id: 9, ping: {} });
      let pongs = 0;
      c.ws.on('pong', () => (pongs += 1));
      c.ws.ping(); // unanswered while silent (it arrives long before the three ticks below)
      const ticks = await firstValueFrom(
        server.events$.pipe(
          filter((e) => e.type === 'ping'),
          take(3),
          toArray(),
        ),
      );
      expect(ticks).toEqual(
        [0, 1, 2].map(() => ({ type: 'ping', connection: expect.any(Number), sent: false })),
      );
      expect(c.pings()).toBe(pings);
      expect(c.frames.filter((f) => f.includes('"id":9'))).toEqual([]);
      expect(c.ws.readyState).toBe(WebSocket.OPEN);
      server.resume();
      expect(server.publish([order(2)])).toBe(1);
      expect(await c.next()).toMatchObject({ push: { pub: { data: [order(2)] } } });
      c.ws.ping();
      await new Promise((resolve) => c.ws.once('pong', resolve));
      expect(pongs).toBe(1);
      await server.until(() => c.pings() > pings);
    });

    it('goSilent(ms) ends by itself', async () => {
      const c = await subscribed(server);
      clients.push(c);
      server.goSilent(30);
      await server.until(() => server.connections().every((x) => !x.silent), 2000);
      expect(server.publish([order(1)])).toBe(1);
    });

    it('expireTokensNow: open connections close 3005 after the grace; old tokens then get 109', async () => {
      const token = server.issueToken();
      const c = await rawClient(server.wsUrl);
      clients.push(c);
      c.send(connect(token.connToken), subscribe(token.channel));
      await c.next();
      await c.next();
      server.expireTokensNow();
      expect(await c.closed).toEqual({ code: 3005, reason: 'expired' });
      const d = await open(server.wsUrl);
      d.send(connect(token.connToken));
      expect(await d.next()).toEqual({ id: 1, error: { code: 109, message: 'token expired' } });
      const e = await subscribed(server);
      clients.push(e);
    });

    it('rejectConnect answers the next connects with a reply error (100, 111 temporary)', async () => {
      server.rejectConnect(111, 'too many requests');
      server.rejectConnect(100, 'internal server error');
      server.rejectConnect(3, 'custom', { temporary: false });
      for (const [code, message, temporary] of [
        [111, 'too many requests', true],
        [100, 'internal server error', true],
      ] as const) {
        const c = await open(server.wsUrl);
        c.send(connect(server.issueToken().connToken, 1));
        expect(await c.next()).toEqual({ id: 1, error: { code, message, temporary } });
      }
      const d = await open(server.wsUrl);
      d.send(connect(server.issueToken().connToken, 1));
      expect(await d.next()).toEqual({ id: 1, error: { code: 3, message: 'custom' } });
      await (await subscribed(server)).close();
    });

    it('publish targets one account of many and returns how many subscribed clients got it', async () => {
      const accounts = Array.from({ length: 20 }, () => server.addAccount());
      const subs = await Promise.all(accounts.map((a) => subscribed(server, server.wsUrl, a)));
      clients.push(...subs);
      const twice = await subscribed(server, server.wsUrl, accounts[3]);
      clients.push(twice);
      expect(server.subscribers(accounts[3])).toBe(2);
      expect(server.publish([order(1)], { account: accounts[3] })).toBe(2);
      expect(server.publish([order(2)], { account: accounts[4]?.credentials.apiKey })).toBe(1);
      expect(server.publish([order(3)])).toBe(0);
      expect(await subs[3]?.next()).toMatchObject({ push: { channel: accounts[3]?.channel } });
      expect(() => server.publish([], { account: 'nobody' })).toThrow(/no such account/);
      expect(server.stats().subscribed).toBe(21);
    });
  });

  describe('order log', () => {
    it('keeps every order_update item published or applied offline, in order, per account', async () => {
      const other = server.addAccount();
      server.publish([order(1), { eventType: 'other' }, order(2)]);
      server.applyOffline([order(3)]);
      server.publishBatch([[order(4)], order(5)]);
      server.publish([order(9)], { account: other });
      expect(server.orderLog()).toEqual([order(1), order(2), order(3), order(4), order(5)]);
      expect(server.orderLog(other.credentials.apiKey)).toEqual([order(9)]);
      expect(server.orderLog(other)).toBe(other.orderLog);
    });

    it('applyOffline pushes nothing', async () => {
      const c = await subscribed(server);
      clients.push(c);
      const frames = c.frames.length;
      server.applyOffline([order(1)]);
      server.publish([order(2)]);
      expect(await c.next()).toMatchObject({ push: { pub: { data: [order(2)] } } });
      expect(c.frames.length).toBe(frames + 1);
    });
  });

  describe('counters, events and close', () => {
    it('counts and reports, and every counter of open things goes back to 0', async () => {
      const seen: FakeServerEvent['type'][] = [];
      const sub = server.events$.subscribe((e) => seen.push(e.type));
      const c = await subscribed(server);
      server.publish([order(1)]);
      await c.next();
      c.send({ id: 3, unsubscribe: { channel: server.account.channel } });
      await c.next();
      expect(server.subscribers()).toBe(0);
      await c.close();
      const stats = await server.until((s) => s.openSockets === 0);
      expect(stats).toMatchObject({ openSockets: 0, connected: 0, subscribed: 0, connectionsAccepted: 1 });
      expect(stats.commands).toMatchObject({ connect: 1, subscribe: 1, unsubscribe: 1 });
      expect(seen).toEqual(
        expect.arrayContaining([
          'open',
          'command',
          'connected',
          'subscribed',
          'publish',
          'unsubscribed',
          'close',
        ]),
      );
      sub.unsubscribe();
    });

    it('close() ends open sockets and hanging requests and completes events$', async () => {
      const s2 = await startFakeServer({ pingIntervalMs: 10 });
      const c = await subscribed(s2);
      s2.failNextTokenRequests(1, { hang: true });
      const hung = fetch(`${s2.restBaseUrl}/api/private_ws/v1/generate_token`, {
        method: 'POST',
        body: 'x',
      }).then(
        () => 'answered',
        () => 'failed',
      );
      await s2.until((s) => s.tokenRequests === 1);
      let completed = false;
      s2.events$.subscribe({ complete: () => (completed = true) });
      await s2.close();
      expect(completed).toBe(true);
      expect((await c.closed).code).toBe(1006);
      expect(await hung).toBe('failed');
      expect(s2.stats().tcpSockets).toBe(0);
      await s2.close(); // idempotent
    });
  });
});

describe('the fake server with this library', () => {
  it('privateChannel subscribes, receives, detects a silent link, reconnects, and leaves no socket', async () => {
    const server = await startFakeServer({ pingIntervalMs: 30 });
    const messages: ChannelMessage[] = [];
    const sub = privateChannel({
      token$: requestToken(server.credentials, { environment: server.environment }),
      wsUrl: server.wsUrl,
      pingIntervalMs: 30,
      pingTimeoutMs: 60,
      reconnect: { minDelayMs: 5, maxDelayMs: 10 },
    }).subscribe((m) => messages.push(m));
    try {
      await server.until((s) => s.subscribed === 1);
      await firstValueFrom(server.events$.pipe(filter((e) => e.type === 'ping')));
      expect(server.publish([order(1)])).toBe(1);
      server.goSilent();
      await server.until((s) => s.connectionsAccepted === 2 && s.subscribed === 1, 5000);
      expect(server.publish([order(2)])).toBe(1);
      await server.until(() => messages.filter((m) => m.type === 'publication').length === 2, 5000);
      expect(
        messages.filter((m) => m.type === 'publication').map((m) => m.type === 'publication' && m.data),
      ).toEqual([[order(1)], [order(2)]]);
      const states = messages.flatMap((m) => (m.type === 'status' ? [m.status.state] : []));
      expect(states.slice(states.indexOf('disconnected'))).toEqual([
        'disconnected',
        'connecting',
        'connected',
        'subscribed',
      ]);
    } finally {
      sub.unsubscribe();
      await server.until((s) => s.openSockets === 0, 5000);
      await server.close();
    }
  });
  it('privateChannel refreshes in place before the ttl runs out', async () => {
    const server = await startFakeServer({ tokenTtlSeconds: 0.3, expireGraceMs: 1000 });
    const states: string[] = [];
    const sub = privateChannel({
      token$: requestToken(server.credentials, { environment: server.environment }),
      wsUrl: server.wsUrl,
    }).subscribe((m) => m.type === 'status' && states.push(m.status.state));
    try {
      await server.until((s) => s.commands.refresh >= 2, 5000);
      expect(server.stats()).toMatchObject({ connectionsAccepted: 1, subscribed: 1 });
      await server.until(() => states.filter((x) => x === 'refreshed').length >= 2, 5000);
      expect(states).not.toContain('disconnected');
    } finally {
      sub.unsubscribe();
      await server.until((s) => s.openSockets === 0, 5000);
      await server.close();
    }
  });
});

describe('fake JWT', () => {
  it('round-trips, and tells invalid from expired', () => {
    const secret = Buffer.from('s');
    const now = 1_700_000_000_000;
    const token = signFakeJwt({ sub: 'ab', exp: now / 1000 + 10, iat: 0, seq: 2 }, secret);
    expect(verifyFakeJwt(token, secret, now)).toEqual({
      ok: true,
      claims: { sub: 'ab', exp: now / 1000 + 10, iat: 0, seq: 2 },
    });
    expect(verifyFakeJwt(token, secret, now + 10_000)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyFakeJwt(token, secret, now, 2)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyFakeJwt(token, Buffer.from('t'), now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyFakeJwt('a.b', secret, now)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyFakeJwt(`${token}x`, secret, now)).toEqual({ ok: false, reason: 'invalid' });
  });
});
