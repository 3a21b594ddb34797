import {
  initialSession,
  sessionStep,
  type SessionConfig,
  type SessionEffect,
  type SessionEvent,
  type SessionState,
} from '../../lib/connection/session-step';
import { TokenRequestError } from '../../lib/token/error';
import { deepFreeze } from '../orders/freeze';

const CH = 'pws:#abc';
const config: SessionConfig = {
  token: { connToken: 'tok-1', channel: CH },
  pingIntervalMs: 25_000,
  pingTimeoutMs: 15_000,
  requestTimeoutMs: 10_000,
  refresh: { share: 0.85, marginMs: 500 },
};

/** Runs events from the initial state; returns the last state and every effect, ends summarised. */
function run(events: readonly SessionEvent[], from: SessionState = initialSession(0)) {
  let state = deepFreeze(from);
  const effects: unknown[] = [];
  for (const event of events) {
    const [next, out] = sessionStep(config)(state, event);
    state = deepFreeze(next);
    effects.push(...out.map(summary));
  }
  return { state, effects };
}
const summary = (e: SessionEffect): unknown =>
  e.type === 'end' ? { end: [e.end.action, e.end.kind, e.end.code, e.end.reason] } : e;

const frame = (value: object | object[], now = 1): SessionEvent => ({
  type: 'frame',
  now,
  text: Array.isArray(value) ? value.map((v) => JSON.stringify(v)).join('\n') : JSON.stringify(value),
});
const open: SessionEvent = { type: 'open' };
const connectOk = (extra: object = {}, now = 1) => frame({ id: 1, connect: { client: 'c', ...extra } }, now);
const subscribeOk = (now = 2) => frame({ id: 2, subscribe: {} }, now);
const send = (text: string) => ({ type: 'send', text });
const start = (timer: string, delayMs: number) => ({ type: 'start-timer', timer, delayMs });
const cancel = (timer: string) => ({ type: 'cancel-timer', timer });
const emitStatus = (status: object) => ({ type: 'emit', message: { type: 'status', status } });

describe('sessionStep (the pure lifecycle)', () => {
  it('open → connect; connect reply → connected, liveness, subscribe; subscribe reply → subscribed', () => {
    expect(run([open, connectOk(), subscribeOk()]).effects).toEqual([
      start('reply:1', 10_000),
      send('{"id":1,"connect":{"token":"tok-1"}}'),
      cancel('reply:1'),
      emitStatus({ state: 'connected', client: 'c' }),
      start('liveness', 40_000),
      start('reply:2', 10_000),
      send(`{"id":2,"subscribe":{"channel":"${CH}"}}`),
      cancel('reply:2'),
      emitStatus({ state: 'subscribed', channel: CH }),
    ]);
  });

  it.each([
    { name: 'frame-ping mode (no ping fields): never sends {}', fields: {}, liveness: 40_000, answer: [] },
    {
      name: 'app-ping mode (ping 10, pong true): answers {} with {}',
      fields: { ping: 10, pong: true },
      liveness: 25_000,
      answer: [send('{}')],
    },
  ])('$name', ({ fields, liveness, answer }) => {
    const { effects } = run([open, connectOk(fields), subscribeOk(), frame({}, 5)]);
    expect(effects).toContainEqual(start('liveness', liveness));
    expect(effects.slice(9)).toEqual(answer);
  });

  it.each([
    {
      name: 'silence ≥ liveness ends the session',
      now: 40_001,
      lastFrame: 1,
      effect: { end: ['reconnect', 'server', undefined, 'no frame or ping within 40000 ms'] },
    },
    {
      name: 'a recent frame re-arms for the rest',
      now: 40_001,
      lastFrame: 30_001,
      effect: start('liveness', 30_000),
    },
  ])('liveness timer: $name', ({ now, lastFrame, effect }) => {
    const live = run([open, connectOk(), subscribeOk(), { type: 'ping', now: lastFrame }]).state;
    expect(run([{ type: 'timer', timer: 'liveness', now }], live).effects).toEqual([effect]);
  });

  it.each([
    { ttl: 2, tokenMs: 0, delay: 500 },
    { ttl: 60, tokenMs: 100, delay: 51_000 },
    { ttl: 86_133, tokenMs: 100, delay: 73_213_050 },
  ])(
    'connect with ttl $ttl s (token took $tokenMs ms) starts the refresh timer at $delay ms',
    ({ ttl, tokenMs, delay }) => {
      const { effects } = run([open, connectOk({ expires: true, ttl })], initialSession(0, tokenMs));
      expect(effects).toContainEqual(start('refresh', delay));
    },
  );

  it('refresh timer → fetch-token; the token → refresh command; its reply → refreshed and the next timer (shortened by the token time)', () => {
    const live = run([open, connectOk({ expires: true, ttl: 10 }), subscribeOk()]).state;
    const { effects } = run(
      [
        { type: 'timer', timer: 'refresh', now: 8_501 },
        { type: 'token', token: { connToken: 'tok-2', channel: CH }, now: 8_901 },
        frame({ id: 3, refresh: { expires: true, ttl: 10 } }, 8_902),
      ],
      live,
    );
    expect(effects).toEqual([
      { type: 'fetch-token' },
      start('reply:3', 10_000),
      send('{"id":3,"refresh":{"token":"tok-2"}}'),
      cancel('reply:3'),
      emitStatus({ state: 'refreshed', ttl: 10 }),
      start('refresh', 8_100), // 10 000 − 1 000 − 500 − 400 (the token took 400 ms)
    ]);
  });

  it.each([
    {
      name: 'connect refused 109',
      what: 'connect',
      error: { code: 109, message: 'token expired' },
      action: 'new-token',
      kind: 'server',
    },
    {
      name: 'connect refused 100',
      what: 'connect',
      error: { code: 100, message: 'internal' },
      action: 'reconnect',
      kind: 'server',
    },
    {
      name: 'connect refused 111',
      what: 'connect',
      error: { code: 111, message: 'too many' },
      action: 'reconnect',
      kind: 'server',
    },
    {
      name: 'connect refused 101',
      what: 'connect',
      error: { code: 101, message: 'unauthorized' },
      action: 'terminal',
      kind: 'permission',
    },
    {
      name: 'subscribe refused 103',
      what: 'subscribe',
      error: { code: 103, message: 'permission denied' },
      action: 'terminal',
      kind: 'permission',
    },
    {
      name: 'refresh refused 3500 → a reconnect',
      what: 'refresh',
      error: { code: 3500, message: 'invalid token' },
      action: 'reconnect',
      kind: 'token',
    },
  ] as const)('reply error: $name', ({ what, error, action, kind }) => {
    const code = error.code;
    const id = what === 'connect' ? 1 : what === 'subscribe' ? 2 : 3;
    const before =
      what === 'connect'
        ? [open]
        : what === 'subscribe'
          ? [open, connectOk()]
          : [
              open,
              connectOk({ expires: true, ttl: 10 }),
              subscribeOk(),
              { type: 'timer', timer: 'refresh', now: 9 } as const,
              { type: 'token', token: config.token, now: 9 } as const,
            ];
    const { state, effects } = run([...before, frame({ id, error }, 10)]);
    expect(effects.at(-1)).toEqual({
      end: [action, kind, code, `${what} refused: ${error.message} (${code})`],
    });
    expect(state.ended).toBe(true);
  });

  it.each([
    { code: 3000, action: 'reconnect' },
    { code: 3005, action: 'reconnect' },
    { code: 1006, action: 'reconnect' },
    { code: 4499, action: 'reconnect' },
    { code: 5000, action: 'reconnect' },
    { code: 1009, action: 'terminal' },
    { code: 3501, action: 'terminal' },
    { code: 4501, action: 'terminal' },
  ] as const)('close $code → $action', ({ code, action }) => {
    const { effects } = run([open, connectOk(), { type: 'close', code, reason: 'bye' }]);
    expect(effects.at(-1)).toEqual({ end: [action, expect.any(String), code, 'bye'] });
  });

  it('server text in a reason is cleaned of the token and anything shaped like a secret', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln';
    const withToken: SessionConfig = { ...config, token: { connToken: 'opaque-token-42', channel: CH } };
    const opened = sessionStep(withToken)(initialSession(0), open)[0];
    const reply = frame({ id: 1, error: { code: 101, message: `bad token opaque-token-42 / ${jwt}` } });
    expect(sessionStep(withToken)(opened, reply)[1].map(summary)).toEqual([
      cancel('reply:1'),
      { end: ['terminal', 'permission', 101, 'connect refused: bad token [redacted] / [redacted] (101)'] },
    ]);
    expect(run([open, { type: 'close', code: 3500, reason: `invalid ${jwt}` }]).effects.at(-1)).toEqual({
      end: ['terminal', 'token', 3500, 'invalid [redacted]'],
    });
  });

  it('a close without a reason carries the last transport error', () => {
    const { effects } = run([
      open,
      { type: 'socket-error', message: 'ECONNRESET' },
      { type: 'close', code: 1006, reason: '' },
    ]);
    expect(effects.at(-1)).toEqual({ end: ['reconnect', 'server', 1006, 'ECONNRESET'] });
  });

  it('a bad line is reported with its raw text; the rest of the frame is still used; after an end nothing happens', () => {
    const live = run([open, connectOk(), subscribeOk()]).state;
    const text = `{oops\n${JSON.stringify({ push: { channel: CH, pub: { data: [1] } } })}\n${JSON.stringify({ push: { disconnect: { code: 3001, reason: 'shutdown' } } })}\n${JSON.stringify({ push: { channel: CH, pub: { data: [2] } } })}`;
    const { state, effects } = run(
      [
        { type: 'frame', text, now: 5 },
        { type: 'close', code: 1006, reason: '' },
      ],
      live,
    );
    expect(effects).toEqual([
      { type: 'invalid', problem: { raw: '{oops', reason: expect.stringContaining('not JSON') } },
      { type: 'emit', message: { type: 'publication', channel: CH, data: [1] } },
      { end: ['reconnect', 'server', 3001, 'shutdown'] },
    ]);
    expect(state.ended).toBe(true);
  });

  it('a reply timer ends the session only while its command is pending', () => {
    expect(run([open, { type: 'timer', timer: 'reply:1', now: 10_000 }]).effects.at(-1)).toEqual({
      end: ['reconnect', 'server', undefined, 'connect got no reply within 10000 ms'],
    });
    const answered = run([open, connectOk()]).state;
    expect(run([{ type: 'timer', timer: 'reply:1', now: 10_000 }], answered).effects).toEqual([]);
  });

  it('a reply to an unknown id is reported, the state is the same object', () => {
    const live = run([open, connectOk(), subscribeOk()]).state;
    const [next, effects] = sessionStep(config)(live, frame({ id: 99, subscribe: {} }));
    expect(effects).toEqual([
      { type: 'invalid', problem: { raw: '{"id":99}', reason: 'reply to unknown command id 99' } },
    ]);
    expect(next.pending).toBe(live.pending);
  });

  it('a failed refresh token ends the session as the token error says', () => {
    const { effects } = run([{ type: 'token-failed', error: new Error('offline') }]);
    expect(effects).toEqual([{ end: ['reconnect', 'token', undefined, 'token refresh: offline'] }]);
    const refused = new TokenRequestError(
      'bad_sign',
      'The exchange refused the token request: Bad sign. (bad_sign)',
      false,
    );
    expect(run([{ type: 'token-failed', error: refused }]).effects).toEqual([
      { end: ['terminal', 'token', undefined, `token refresh: ${refused.message}`] },
    ]);
  });
});
