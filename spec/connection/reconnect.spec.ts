import { of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { privateChannel } from '../../lib/connection/private-channel';
import {
  initialReconnect,
  reconnectStep,
  type ReconnectConfig,
  type ReconnectEffect,
  type ReconnectEvent,
  type ReconnectState,
} from '../../lib/connection/reconnect-step';
import { SessionEnd } from '../../lib/connection/session-end';
import { ChannelError, type ChannelMessage, type ConnectionStatus } from '../../lib/connection/types';
import { fakeWebSocketFactory, type FakeServerScript } from '../../lib/testing/fake-socket';
import type { PrivateToken } from '../../lib/token/codecs';
import type { WebSocketFactory } from '../../lib/transport/socket';
import { InsecureTransportError } from '../../lib/util/transport-security';
import { deepFreeze } from '../orders/freeze';

const CH = 'pws:#abc';
const tok: PrivateToken = { connToken: 'tok', channel: CH };
const st = (status: ConnectionStatus): ChannelMessage => ({ type: 'status', status });
const connecting = (attempt: number) => st({ state: 'connecting', attempt });
const connected = st({ state: 'connected', client: 'c' });
const subscribed = st({ state: 'subscribed', channel: CH });
const refusing: FakeServerScript = (c) =>
  c.method === 'connect' ? [{ id: c.id, error: { code: 100, message: 'internal server error' } }] : undefined;

describe('reconnectStep (the pure policy)', () => {
  const config: ReconnectConfig = { minDelayMs: 500, maxDelayMs: 20_000, maxAttempts: 3 };
  const end = (action: 'reconnect' | 'new-token' | 'terminal', code?: number) =>
    new SessionEnd(action, 'server', code, `why ${code ?? ''}`);

  interface Row {
    readonly name: string;
    readonly from: ReconnectState;
    readonly event: ReconnectEvent;
    readonly to: ReconnectState;
    /** What the step does, summarised: `emit:<status or type>`, `connect`, `retry:<ms>`, `fail:<kind>`. */
    readonly effects: readonly string[];
  }
  const summary = (effect: ReconnectEffect): string => {
    switch (effect.type) {
      case 'emit':
        return `emit:${effect.message.type === 'status' ? effect.message.status.state : effect.message.type}`;
      case 'connect':
        return 'connect';
      case 'retry':
        return `retry:${effect.inMs}`;
      case 'fail':
        return `fail:${effect.error.kind}`;
    }
  };
  const rows: readonly Row[] = [
    {
      name: 'start: counts the attempt, says connecting, connects',
      from: { attempt: 0, newTokenStreak: 0 },
      event: { type: 'start' },
      to: { attempt: 1, newTokenStreak: 0 },
      effects: ['emit:connecting', 'connect'],
    },
    {
      name: 'subscribed resets the count',
      from: { attempt: 2, newTokenStreak: 1 },
      event: { type: 'message', message: subscribed },
      to: initialReconnect,
      effects: ['emit:subscribed'],
    },
    {
      name: 'connected keeps counting',
      from: { attempt: 2, newTokenStreak: 0 },
      event: { type: 'message', message: connected },
      to: { attempt: 2, newTokenStreak: 0 },
      effects: ['emit:connected'],
    },
    {
      name: 'temporary: backoff step 0',
      from: { attempt: 1, newTokenStreak: 0 },
      event: { type: 'ended', end: end('reconnect', 100), jitter: 0.5 },
      to: { attempt: 1, newTokenStreak: 0 },
      effects: ['emit:disconnected', 'retry:750'],
    },
    {
      name: 'temporary: backoff step 1',
      from: { attempt: 2, newTokenStreak: 0 },
      event: { type: 'ended', end: end('reconnect', 3012), jitter: 0.5 },
      to: { attempt: 2, newTokenStreak: 0 },
      effects: ['emit:disconnected', 'retry:1000'],
    },
    {
      name: 'first 109: at once',
      from: { attempt: 1, newTokenStreak: 0 },
      event: { type: 'ended', end: end('new-token', 109), jitter: 0.5 },
      to: { attempt: 1, newTokenStreak: 1 },
      effects: ['emit:disconnected', 'retry:0'],
    },
    {
      name: 'second 109 in a row: backoff',
      from: { attempt: 2, newTokenStreak: 1 },
      event: { type: 'ended', end: end('new-token', 109), jitter: 0 },
      to: { attempt: 2, newTokenStreak: 2 },
      effects: ['emit:disconnected', 'retry:500'],
    },
    {
      name: 'terminal: fails with the server kind',
      from: { attempt: 1, newTokenStreak: 0 },
      event: { type: 'ended', end: end('terminal', 3501), jitter: 0 },
      to: { attempt: 1, newTokenStreak: 0 },
      effects: ['fail:server'],
    },
    {
      name: 'maxAttempts reached: exhausted',
      from: { attempt: 3, newTokenStreak: 0 },
      event: { type: 'ended', end: end('reconnect', 100), jitter: 0 },
      to: { attempt: 3, newTokenStreak: 0 },
      effects: ['fail:exhausted'],
    },
  ];

  it.each(rows)('$name', ({ from, event, to, effects }) => {
    const [state, out] = reconnectStep(config)(deepFreeze(from), event);
    expect({ state, effects: out.map(summary) }).toEqual({ state: to, effects });
  });

  it('a message that changes nothing keeps the state object', () => {
    const from = deepFreeze({ attempt: 1, newTokenStreak: 0 });
    expect(reconnectStep(config)(from, { type: 'message', message: connected })[0]).toBe(from);
  });
});

describe('privateChannel reconnects (rxjs retry-spec style)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  });

  it('a temporary refusal: one token$ subscription per attempt, each after the backoff, until maxAttempts', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions, time }) => {
      const delay = time('     -----|');
      const token$ = cold('    -(t|)', { t: tok });
      const subs = [
        '                      ^!',
        '                      -------^!',
        '                      --------------^!',
      ];
      const expected = '       a-b----c-d----e-#';
      const fake = fakeWebSocketFactory({ scheduler, replyDelayMs: 1, script: refusing });
      const channel$ = privateChannel({
        token$,
        webSocket: fake.factory,
        scheduler,
        reconnect: { minDelayMs: delay, maxDelayMs: delay, maxAttempts: 3, random: () => 0 },
      });
      const refused = 'connect refused: internal server error (100)';
      const disconnected = st({ state: 'disconnected', code: 100, reason: refused, retryInMs: delay });
      expectObservable(channel$).toBe(
        expected,
        { a: connecting(1), b: disconnected, c: connecting(2), d: disconnected, e: connecting(3) },
        new ChannelError('exhausted', 100, `gave up after 3 attempts; last: ${refused}`),
      );
      expectSubscriptions(token$.subscriptions).toBe(subs);
    });
  });

  it('a successful subscribe resets the backoff: the same delay after each dropped link', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions, time }) => {
      const backoff = time('   ----------|'); // 5 + floor(0.999 × 6): step 0 again, never step 1 (15)
      const token$ = cold('    -(t|)', { t: tok });
      const unsub = '          ^-------------------------------!';
      const expected = '       a-bc-d---------a-bc-d---------a-';
      const subs = [
        '                      ^!',
        '                      ---------------^!',
        '                      ------------------------------^!',
      ];
      const fake = fakeWebSocketFactory({ scheduler, replyDelayMs: 1 });
      scheduler.schedule(() => fake.sockets[0]!.close(1006, 'link lost'), 5);
      scheduler.schedule(() => fake.sockets[1]!.close(1006, 'link lost'), 20);
      const channel$ = privateChannel({
        token$,
        webSocket: fake.factory,
        scheduler,
        reconnect: { minDelayMs: 5, maxDelayMs: 50, random: () => 0.999 },
      });
      const d = st({ state: 'disconnected', code: 1006, reason: 'link lost', retryInMs: backoff });
      expectObservable(channel$, unsub).toBe(expected, {
        a: connecting(1),
        b: connected,
        c: subscribed,
        d,
      });
      expectSubscriptions(token$.subscriptions).toBe(subs);
    });
  });

  it('a terminal close code: one subscription, no retry', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const token$ = cold('    -(t|)', { t: tok });
      const subs = '           ^!';
      const expected = '       a-bc-#';
      const fake = fakeWebSocketFactory({ scheduler, replyDelayMs: 1 });
      scheduler.schedule(() => fake.sockets[0]!.close(3501, 'bad request'), 5);
      const channel$ = privateChannel({ token$, webSocket: fake.factory, scheduler });
      expectObservable(channel$).toBe(
        expected,
        { a: connecting(1), b: connected, c: subscribed },
        new ChannelError('server', 3501, 'bad request'),
      );
      expectSubscriptions(token$.subscriptions).toBe(subs);
    });
  });
});

describe('privateChannel never sends a token in plain text', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  });

  it.each(['ws://pws.indodax.com/ws/', 'ws://10.0.0.7:8000/ws', 'ws://[fd00::1]/ws'])(
    '%s: fails at once, asks for no token, opens no socket',
    (wsUrl) => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const token$ = cold('-(t|)', { t: tok });
        const opened: string[] = [];
        const webSocket: WebSocketFactory = (url) => {
          opened.push(url);
          throw new Error('must not be called');
        };
        const channel$ = privateChannel({ token$, webSocket, scheduler, wsUrl });
        expectObservable(channel$).toBe(
          '#',
          undefined,
          expect.objectContaining({ kind: 'insecure_transport' }),
        );
        expectSubscriptions(token$.subscriptions).toBe([]);
        scheduler.flush();
        expect(opened).toEqual([]);
      });
      let error: unknown;
      const never: WebSocketFactory = () => {
        throw new Error('must not be called');
      };
      privateChannel({ token$: of(tok), wsUrl, webSocket: never }).subscribe({
        error: (e: unknown) => (error = e),
      });
      expect(error).toBeInstanceOf(ChannelError);
      expect((error as ChannelError).cause).toBeInstanceOf(InsecureTransportError);
      expect((error as ChannelError).reason).toContain('allowInsecureTransport');
    },
  );

  it.each([
    ['ws://127.0.0.1:9/ws', false],
    ['ws://localhost:9/ws', false],
    ['ws://[::1]:9/ws', false],
    ['ws://proxy.lan/ws', true],
  ])('%s (allowInsecureTransport %s) is used (an injected stub, never the network)', (wsUrl, allow) => {
    scheduler.run(({ expectObservable }) => {
      const fake = fakeWebSocketFactory({ scheduler, replyDelayMs: 1 });
      const channel$ = privateChannel({
        token$: scheduler.createColdObservable('(t|)', { t: tok }),
        webSocket: fake.factory,
        scheduler,
        wsUrl,
        allowInsecureTransport: allow,
      });
      expectObservable(channel$, '^--!').toBe('abc', { a: connecting(1), b: connected, c: subscribed });
      scheduler.flush();
      expect(fake.sockets.map((s) => s.url)).toEqual([wsUrl]);
    });
  });
});
