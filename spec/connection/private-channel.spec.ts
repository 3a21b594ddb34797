import { TestScheduler } from 'rxjs/testing';
import { Observable, throwError } from 'rxjs';
import { privateChannel, type PrivateChannelOptions } from '../../lib/connection/private-channel';
import { ChannelError, type ChannelMessage, type ConnectionStatus } from '../../lib/connection/types';
import { fakeWebSocketFactory, type FakeServerScript } from '../../lib/testing/fake-socket';
import { TokenRequestError } from '../../lib/token/error';
import type { PrivateToken } from '../../lib/token/codecs';

const CH = 'pws:#abc';
const tok = (n: number): PrivateToken => ({ connToken: `tok-${n}`, channel: CH });
const st = (status: ConnectionStatus): ChannelMessage => ({ type: 'status', status });
const pub = (data: unknown): ChannelMessage => ({ type: 'publication', channel: CH, data });
const connecting = (attempt: number) => st({ state: 'connecting', attempt });
const connected = (ttl?: number) =>
  st(ttl === undefined ? { state: 'connected', client: 'c' } : { state: 'connected', client: 'c', ttl });
const subscribed = st({ state: 'subscribed', channel: CH });
const disconnected = (reason: string, retryInMs: number, code?: number) =>
  st(
    code === undefined
      ? { state: 'disconnected', reason, retryInMs }
      : { state: 'disconnected', code, reason, retryInMs },
  );
const push = (data: unknown) => ({ push: { channel: CH, pub: { data } } });

/** Counts token requests: each subscription to token$ yields the next token at once. */
function tokens(): { token$: Observable<PrivateToken>; count: () => number } {
  let n = 0;
  return {
    token$: new Observable<PrivateToken>((s) => {
      n += 1;
      s.next(tok(n));
      s.complete();
    }),
    count: () => n,
  };
}

describe('privateChannel (marbles)', () => {
  let scheduler: TestScheduler;
  /** [virtual time, message] of everything emitted until `until` ms. */
  const timeline = (source$: Observable<ChannelMessage>, until: number) => {
    const seen: [number, unknown][] = [];
    const sub = source$.subscribe({
      next: (m) => seen.push([scheduler.now(), m]),
      error: (e) => seen.push([scheduler.now(), e]),
    });
    scheduler.schedule(() => sub.unsubscribe(), until);
    return seen;
  };
  beforeEach(() => {
    scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  });

  const channel = (o: Partial<PrivateChannelOptions> & { script?: FakeServerScript }) => {
    const fake = fakeWebSocketFactory({
      scheduler,
      replyDelayMs: 1,
      ...(o.script ? { script: o.script } : {}),
    });
    const t = tokens();
    const channel$ = privateChannel({
      token$: t.token$,
      webSocket: fake.factory,
      scheduler,
      wsUrl: 'wss://fake/ws',
      reconnect: { random: () => 0 },
      ...o,
    });
    return { fake, t, channel$ };
  };

  it('connects, subscribes to the token channel and relays publications in order', () => {
    scheduler.run(({ expectObservable }) => {
      const { fake, channel$ } = channel({});
      scheduler.schedule(() => fake.last().receive([push([1]), push([2])]), 5);
      expectObservable(channel$, '^ 10ms !').toBe('a b c 2ms (de)', {
        a: connecting(1),
        b: connected(),
        c: subscribed,
        d: pub([1]),
        e: pub([2]),
      });
      scheduler.flush();
      expect(fake.last().sent.map((c) => [c.id, c.method, c.params])).toEqual([
        [1, 'connect', { token: 'tok-1' }],
        [2, 'subscribe', { channel: CH }],
      ]);
    });
  });

  it('closes the socket with a normal close on unsubscribe and leaves no timer', () => {
    scheduler.run(({ expectObservable }) => {
      const { fake, channel$ } = channel({ pingTimeoutMs: 100, pingIntervalMs: 100 });
      expectObservable(channel$, '^ 5ms !').toBe('a b c', {
        a: connecting(1),
        b: connected(),
        c: subscribed,
      });
      scheduler.flush();
      expect(fake.last().closedByClient).toEqual({ code: 1000, reason: 'client closed' });
    });
    expect(scheduler.actions).toHaveLength(0);
  });

  it('backs off with full jitter and resets the backoff after a successful subscribe', () => {
    scheduler.run(({ expectObservable }) => {
      const { fake, channel$ } = channel({ reconnect: { random: () => 0.999 } });
      // socket 1 drops at 10 → 1000 ms wait; socket 2 subscribes at 1012, drops at 1100 → again 1000 ms, not 1500
      scheduler.schedule(() => fake.sockets[0]!.close(1006, 'link lost'), 10);
      scheduler.schedule(() => fake.sockets[1]!.close(1006, 'link lost'), 1100);
      expectObservable(channel$, '^ 2200ms !').toBe('a b c 7ms d 999ms a b c 87ms d 999ms a b c', {
        a: connecting(1),
        b: connected(),
        c: subscribed,
        d: disconnected('link lost', 1000, 1006),
      });
    });
  });

  it('counts attempts and backs off exponentially while attempts fail', () => {
    scheduler.run(({ expectObservable }) => {
      // every connect is refused as temporary (100)
      const script: FakeServerScript = (c) =>
        c.method === 'connect'
          ? [{ id: c.id, error: { code: 100, message: 'internal server error', temporary: true } }]
          : undefined;
      const { channel$, t } = channel({
        script,
        reconnect: { random: () => 0.999, minDelayMs: 10, maxDelayMs: 50 },
      });
      const r = 'connect refused: internal server error (100)';
      expectObservable(channel$, '^ 150ms !').toBe('a 0ms b 19ms c 0ms d 29ms e 0ms f 49ms g 0ms h', {
        a: connecting(1),
        b: disconnected(r, 20, 100),
        c: connecting(2),
        d: disconnected(r, 30, 100),
        e: connecting(3),
        f: disconnected(r, 50, 100),
        g: connecting(4),
        h: disconnected(r, 50, 100),
      });
      scheduler.flush();
      expect(t.count()).toBeGreaterThanOrEqual(4);
    });
  });

  it('gives up with ChannelError(exhausted) after maxAttempts failed attempts in a row', () => {
    scheduler.run(({ expectObservable }) => {
      const script: FakeServerScript = (c) =>
        c.method === 'connect'
          ? [{ id: c.id, error: { code: 111, message: 'too many requests' } }]
          : undefined;
      const { channel$ } = channel({
        script,
        reconnect: { random: () => 0, minDelayMs: 10, maxAttempts: 2 },
      });
      const r = 'connect refused: too many requests (111)';
      expectObservable(channel$).toBe(
        'a 0ms b 9ms c 0ms #',
        { a: connecting(1), b: disconnected(r, 10, 111), c: connecting(2) },
        new ChannelError('exhausted', 111, `gave up after 2 attempts; last: ${r}`),
      );
    });
  });

  it('frame-ping mode: PING frames keep the link alive; silence beyond interval + pingTimeoutMs reconnects', () => {
    scheduler.run(({ expectObservable }) => {
      const { fake, channel$ } = channel({ pingIntervalMs: 100, pingTimeoutMs: 50 });
      // pings at 100 and 200 keep it alive; after 200 nothing comes: dead at 200 + 150 = 350
      scheduler.schedule(() => fake.sockets[0]!.ping(), 100);
      scheduler.schedule(() => fake.sockets[0]!.ping(), 200);
      expectObservable(channel$, '^ 400ms !').toBe('a b c 347ms d', {
        a: connecting(1),
        b: connected(),
        c: subscribed,
        d: disconnected('no frame or ping within 150 ms', 500),
      });
      scheduler.flush();
      expect(fake.sockets[0]!.closedByClient).toEqual({ code: 1000, reason: 'client closed' });
      // the client never sends {} in frame-ping mode
      expect(fake.sockets[0]!.sent.filter((c) => c.raw === '{}')).toEqual([]);
    });
  });

  it('frame-ping mode: any frame counts as a sign of life', () => {
    scheduler.run(({ expectObservable }) => {
      const { fake, channel$ } = channel({ pingIntervalMs: 100, pingTimeoutMs: 50 });
      scheduler.schedule(() => fake.sockets[0]!.receive(push([1])), 140);
      expectObservable(channel$, '^ 300ms !').toBe('a b c 137ms d 149ms e', {
        a: connecting(1),
        b: connected(),
        c: subscribed,
        d: pub([1]),
        e: disconnected('no frame or ping within 150 ms', 500),
      });
    });
  });

  it('app-ping mode: answers each {} with {} and times out after ping + pingTimeoutMs of silence', () => {
    scheduler.run(({ expectObservable }) => {
      const script: FakeServerScript = (c) =>
        c.method === 'connect'
          ? [{ id: c.id, connect: { client: 'c', version: '5.2.0', ping: 1, pong: true } }]
          : c.method === 'subscribe'
            ? [{ id: c.id, subscribe: {} }]
            : undefined;
      const { fake, channel$ } = channel({ script, pingTimeoutMs: 200 });
      scheduler.schedule(() => fake.sockets[0]!.receive({}), 1000);
      // silent after 1000: dead at 1000 + 1000 + 200
      expectObservable(channel$, '^ 2300ms !').toBe('a b c 2197ms d', {
        a: connecting(1),
        b: connected(),
        c: subscribed,
        d: disconnected('no frame or ping within 1200 ms', 500),
      });
      scheduler.flush();
      expect(fake.sockets[0]!.sent.map((c) => c.raw)).toEqual([
        '{"id":1,"connect":{"token":"tok-1"}}',
        '{"id":2,"subscribe":{"channel":"pws:#abc"}}',
        '{}',
      ]);
    });
  });

  it('refreshes the token at refreshAt × ttl with a fresh token, and again after each refresh', () => {
    scheduler.run(({ expectObservable }) => {
      const script: FakeServerScript = (c) =>
        c.method === 'connect'
          ? [{ id: c.id, connect: { client: 'c', expires: true, ttl: 10 } }]
          : c.method === 'subscribe'
            ? [{ id: c.id, subscribe: {} }]
            : c.method === 'refresh'
              ? [{ id: c.id, refresh: { expires: true, ttl: 10 } }]
              : undefined;
      const { fake, t, channel$ } = channel({ script, refreshAt: 0.8, pingIntervalMs: 60_000 });
      // connected at 1 with ttl 10 s → refresh sent at 8001, reply at 8002; next at 16002, reply 16003
      expectObservable(channel$, '^ 17s !').toBe('a b c 7999ms d 8000ms e', {
        a: connecting(1),
        b: connected(10),
        c: subscribed,
        d: st({ state: 'refreshed', ttl: 10 }),
        e: st({ state: 'refreshed', ttl: 10 }),
      });
      scheduler.flush();
      expect(fake.sockets).toHaveLength(1);
      expect(t.count()).toBe(3);
      expect(fake.sockets[0]!.sent.filter((c) => c.method === 'refresh').map((c) => c.params)).toEqual([
        { token: 'tok-2' },
        { token: 'tok-3' },
      ]);
    });
  });

  it('falls back to a reconnect with a new token when a refresh is refused', () => {
    scheduler.run(() => {
      const script: FakeServerScript = (c) =>
        c.method === 'connect'
          ? [{ id: c.id, connect: { client: 'c', expires: true, ttl: 10 } }]
          : c.method === 'subscribe'
            ? [{ id: c.id, subscribe: {} }]
            : c.method === 'refresh'
              ? [{ id: c.id, error: { code: 109, message: 'token expired' } }]
              : undefined;
      const { fake, channel$ } = channel({ script, refreshAt: 0.5, pingIntervalMs: 60_000 });
      const seen = timeline(channel$, 5010);
      scheduler.flush();
      expect(seen).toEqual([
        [0, connecting(1)],
        [1, connected(10)],
        [2, subscribed],
        [5002, disconnected('refresh refused: token expired (109)', 0, 109)],
        [5002, connecting(1)],
        [5003, connected(10)],
        [5004, subscribed],
      ]);
      expect(fake.sockets[1]!.sent[0]!.params).toEqual({ token: 'tok-3' });
    });
  });

  it('error 109 on connect: takes a new token and retries at once, then backs off if it repeats', () => {
    scheduler.run(() => {
      let expired = 2;
      const script: FakeServerScript = (c) =>
        c.method === 'connect'
          ? expired-- > 0
            ? [{ id: c.id, error: { code: 109, message: 'token expired' } }]
            : [{ id: c.id, connect: { client: 'c' } }]
          : c.method === 'subscribe'
            ? [{ id: c.id, subscribe: {} }]
            : undefined;
      const { fake, t, channel$ } = channel({ script });
      const r = 'connect refused: token expired (109)';
      const seen = timeline(channel$, 1000);
      scheduler.flush();
      expect(seen).toEqual([
        [0, connecting(1)],
        [1, disconnected(r, 0, 109)],
        [1, connecting(2)],
        [2, disconnected(r, 500, 109)],
        [502, connecting(3)],
        [503, connected()],
        [504, subscribed],
      ]);
      expect(t.count()).toBe(3);
      // the client closed each refused socket itself
      expect(fake.sockets[0]!.closedByClient).toEqual({ code: 1000, reason: 'client closed' });
    });
  });

  it('a reply that does not come within requestTimeoutMs counts as a dead link', () => {
    scheduler.run(({ expectObservable }) => {
      const script: FakeServerScript = (c) =>
        c.method === 'connect' ? [{ id: c.id, connect: { client: 'c' } }] : undefined;
      const { fake, channel$ } = channel({ script, requestTimeoutMs: 300 });
      expectObservable(channel$, '^ 400ms !').toBe('a b 299ms c', {
        a: connecting(1),
        b: connected(),
        c: disconnected('subscribe got no reply within 300 ms', 500),
      });
      scheduler.flush();
      expect(fake.sockets[0]!.closedByClient?.code).toBe(1000);
    });
  });

  it.each([
    [
      'subscribe refused 103',
      'subscribe',
      { code: 103, message: 'permission denied' },
      new ChannelError('permission', 103, 'subscribe refused: permission denied (103)'),
    ],
    [
      'connect refused 101',
      'connect',
      { code: 101, message: 'unauthorized' },
      new ChannelError('permission', 101, 'connect refused: unauthorized (101)'),
    ],
  ])('terminal reply error: %s → ChannelError, no retry', (_name, method, error, expected) => {
    scheduler.run(({ expectObservable }) => {
      const script: FakeServerScript = (c) =>
        c.method === method
          ? [{ id: c.id, error }]
          : c.method === 'connect'
            ? [{ id: c.id, connect: { client: 'c' } }]
            : undefined;
      const { fake, channel$ } = channel({ script });
      expectObservable(channel$).toBe(
        method === 'connect' ? 'a #' : 'a b #',
        { a: connecting(1), b: connected() },
        expected,
      );
      scheduler.flush();
      expect(fake.sockets).toHaveLength(1);
      expect(fake.sockets[0]!.closedByClient?.code).toBe(1000);
    });
  });

  it.each([
    [3501, 'bad request', 'server'],
    [3500, 'invalid token', 'token'],
    [4501, 'custom stop', 'server'],
  ] as const)('terminal close code %i → ChannelError(%s)', (code, reason, kind) => {
    scheduler.run(({ expectObservable }) => {
      const { fake, channel$ } = channel({});
      scheduler.schedule(() => fake.sockets[0]!.close(code, reason), 5);
      expectObservable(channel$).toBe(
        'a b c 2ms #',
        { a: connecting(1), b: connected(), c: subscribed },
        new ChannelError(kind, code, reason),
      );
    });
  });

  it.each([3000, 3005, 3012, 4000, 4499, 5000, 1001, 1006])('close code %i → reconnect', (code) => {
    scheduler.run(({ expectObservable }) => {
      const { fake, channel$ } = channel({});
      scheduler.schedule(() => fake.sockets[0]!.close(code, 'bye'), 5);
      expectObservable(channel$, '^ 510ms !').toBe('a b c 2ms d 499ms a b c', {
        a: connecting(1),
        b: connected(),
        c: subscribed,
        d: disconnected('bye', 500, code),
      });
    });
  });

  it('close 1009 (message too big) is terminal', () => {
    scheduler.run(({ expectObservable }) => {
      const { fake, channel$ } = channel({});
      scheduler.schedule(() => fake.sockets[0]!.close(1009, ''), 5);
      expectObservable(channel$).toBe(
        'a b c 2ms #',
        { a: connecting(1), b: connected(), c: subscribed },
        new ChannelError('server', 1009, 'message too big'),
      );
    });
  });

  it('a disconnect push is handled like a close with its code', () => {
    scheduler.run(({ expectObservable }) => {
      const { fake, channel$ } = channel({});
      scheduler.schedule(
        () => fake.sockets[0]!.receive({ push: { disconnect: { code: 3001, reason: 'shutdown' } } }),
        5,
      );
      expectObservable(channel$, '^ 6ms !').toBe('a b c 2ms d', {
        a: connecting(1),
        b: connected(),
        c: subscribed,
        d: disconnected('shutdown', 500, 3001),
      });
    });
  });

  it('a non-retryable token failure errors at once without opening a socket', () => {
    scheduler.run(({ expectObservable }) => {
      const fake = fakeWebSocketFactory({ scheduler });
      const failure = new TokenRequestError(
        'bad_sign',
        'Token request refused: Invalid credentials. Bad sign. (bad_sign)',
        false,
        { status: 200 },
      );
      const channel$ = privateChannel({
        token$: throwError(() => failure),
        webSocket: fake.factory,
        scheduler,
      });
      expectObservable(channel$).toBe(
        '(a#)',
        { a: connecting(1) },
        // the token error's own words, once; an HTTP 200 is not a server code
        new ChannelError('token', undefined, failure.message),
      );
      scheduler.flush();
      expect(fake.sockets).toHaveLength(0);
    });
  });

  it('a retryable token failure backs off like the connection does', () => {
    scheduler.run(() => {
      const fake = fakeWebSocketFactory({ scheduler, replyDelayMs: 1 });
      let calls = 0;
      const token$ = new Observable<PrivateToken>((s) => {
        calls += 1;
        if (calls === 1)
          s.error(new TokenRequestError('http', 'Token request got HTTP 503', true, { status: 503 }));
        else {
          s.next(tok(calls));
          s.complete();
        }
      });
      const channel$ = privateChannel({
        token$,
        webSocket: fake.factory,
        scheduler,
        reconnect: { random: () => 0 },
      });
      const seen = timeline(channel$, 600);
      scheduler.flush();
      expect(seen).toEqual([
        [0, connecting(1)],
        [0, disconnected('Token request got HTTP 503', 500)],
        [500, connecting(2)],
        [501, connected()],
        [502, subscribed],
      ]);
    });
  });

  it('reports malformed lines with their raw text and keeps the good lines of the frame', () => {
    scheduler.run(({ expectObservable }) => {
      const problems: unknown[] = [];
      const { fake, channel$ } = channel({ onInvalid: (p) => problems.push(p) });
      scheduler.schedule(
        () =>
          fake.sockets[0]!.receive(
            `${JSON.stringify(push([1]))}\n{oops\n\n${JSON.stringify(push([2]))}\n[1]`,
          ),
        5,
      );
      expectObservable(channel$, '^ 6ms !').toBe('a b c 2ms (de)', {
        a: connecting(1),
        b: connected(),
        c: subscribed,
        d: pub([1]),
        e: pub([2]),
      });
      scheduler.flush();
      expect(problems).toEqual([
        { raw: '{oops', reason: expect.stringContaining('not JSON') },
        { raw: '[1]', reason: 'not a JSON object' },
      ]);
    });
  });

  it('switches onto each new token that token$ emits (a new connection per token)', () => {
    scheduler.run(({ expectObservable, cold }) => {
      const fake = fakeWebSocketFactory({ scheduler, replyDelayMs: 1 });
      const token$ = cold('a 9ms b', { a: tok(1), b: tok(2) });
      const channel$ = privateChannel({ token$, webSocket: fake.factory, scheduler });
      expectObservable(channel$, '^ 20ms !').toBe('a b c 8ms b c', {
        a: connecting(1),
        b: connected(),
        c: subscribed,
      });
      scheduler.flush();
      expect(fake.sockets.map((s) => s.sent[0]!.params)).toEqual([{ token: 'tok-1' }, { token: 'tok-2' }]);
      expect(fake.sockets[0]!.closedByClient?.code).toBe(1000);
    });
  });
});
