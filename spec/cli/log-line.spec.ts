import { eventLine } from '../../lib/cli/bridge';
import { bridgeEventLevel, type BridgeLogEvent } from '../../lib/cli/bridge-log';
import type { CliEvent } from '../../lib/cli/events';
import { cliEventLevel, logLine, stampedJsonSink } from '../../lib/cli/log-line';

const T = Date.UTC(2026, 11, 7, 12, 0, 0);

describe('logLine', () => {
  it('puts level and time first, as pino does (with the level as a word)', () => {
    expect(logLine('warn', T, { type: 'lost', account: 'acct0' })).toBe(
      `{"level":"warn","time":${T},"type":"lost","account":"acct0"}`,
    );
  });
});

describe('bridge event levels', () => {
  const status = (state: 'subscribed' | 'disconnected'): BridgeLogEvent => ({
    type: 'status',
    account: 'a',
    status: state === 'subscribed' ? { state, channel: 'c' } : { state, reason: 'x' },
  });
  it.each([
    { event: { type: 'ready', id: 'b', accounts: 2, leaseMs: 10_000 }, level: 'info' },
    { event: { type: 'claimed', account: 'a' }, level: 'info' },
    { event: { type: 'released', account: 'a' }, level: 'info' },
    { event: { type: 'lost', account: 'a', reason: 'r' }, level: 'warn' },
    { event: { type: 'lease-error', account: 'a', reason: 'r' }, level: 'warn' },
    { event: { type: 'source-failed', account: 'a', reason: 'r' }, level: 'error' },
    { event: { type: 'paused', account: 'a', buffered: 10 }, level: 'warn' },
    { event: { type: 'resumed', account: 'a', buffered: 1 }, level: 'info' },
    { event: { type: 'publish-retry', account: 'a', attempt: 1, reason: 'r' }, level: 'warn' },
    { event: status('subscribed'), level: 'info' },
    { event: status('disconnected'), level: 'warn' },
    { event: { type: 'reconciliation', account: 'a', result: 'ok', trigger: 'start' }, level: 'info' },
    {
      event: { type: 'reconciliation', account: 'a', result: 'changed', changed: 2, trigger: 'check' },
      level: 'info',
    },
    { event: { type: 'reconciliation', account: 'a', result: 'failed', reason: 'r' }, level: 'warn' },
    { event: { type: 'skipped', account: 'a', orderId: 'x', status: 'NEW', reason: 'r' }, level: 'warn' },
    { event: { type: 'republished', account: 'a', updates: 3 }, level: 'warn' },
    { event: { type: 'account-failed', account: 'a', reason: 'r', recheckInMs: 300_000 }, level: 'error' },
    { event: { type: 'identity-mismatch', account: 'a', reason: 'r' }, level: 'error' },
    { event: { type: 'lease-mismatch', id: 'b', leaseMs: 500, bucketLeaseMs: 10_000 }, level: 'error' },
    { event: { type: 'metrics', url: 'http://127.0.0.1:9464' }, level: 'info' },
    { event: { type: 'stopped', id: 'b', drained: true }, level: 'info' },
    { event: { type: 'stopped', id: 'b', drained: false, dropped: 3 }, level: 'warn' },
  ] satisfies { event: BridgeLogEvent; level: string }[])('$event.type → $level', ({ event, level }) => {
    expect(bridgeEventLevel(event)).toBe(level);
    expect(JSON.parse(eventLine(event, true, T))).toEqual({ level, time: T, ...event });
  });

  it('text lines carry the ISO time', () => {
    expect(
      eventLine(
        { type: 'reconciliation', account: 'a', result: 'changed', changed: 2, trigger: 'check' },
        false,
        T,
      ),
    ).toBe('2026-12-07T12:00:00.000Z a: reconciliation changed (check), 2 changed');
    expect(eventLine({ type: 'metrics', url: 'http://127.0.0.1:1' }, false, T)).toContain(
      'metrics: http://127.0.0.1:1/metrics',
    );
    expect(eventLine({ type: 'claimed', account: 'a' }, false, T)).toBe(
      '2026-12-07T12:00:00.000Z a: claimed',
    );
  });
});

describe('tail lines (stampedJsonSink)', () => {
  it.each([
    { event: { type: 'status', status: { state: 'subscribed', channel: 'c' } }, level: 'info' },
    { event: { type: 'status', status: { state: 'disconnected', reason: 'x' } }, level: 'warn' },
    { event: { type: 'invalid', raw: '{', reason: 'r' }, level: 'warn' },
    { event: { type: 'note', message: 'm' }, level: 'info' },
    { event: { type: 'snapshot', snapshot: { orders: [], open: 0, total: 0 } }, level: 'info' },
    {
      event: { type: 'reconciliation', event: { type: 'failed', reason: 'r', attempt: 1, retryInMs: 5 } },
      level: 'warn',
    },
    {
      event: {
        type: 'reconciliation',
        event: { type: 'failed', reason: 'r', attempt: 1, retryInMs: 0, terminal: true },
      },
      level: 'error',
    },
  ] satisfies { event: CliEvent; level: string }[])('$event.type → $level', ({ event, level }) => {
    expect(cliEventLevel(event)).toBe(level);
    let out = '';
    stampedJsonSink({ write: (t: string) => (out += t) }, () => T).write(event);
    expect(out.endsWith('\n')).toBe(true);
    expect(JSON.parse(out)).toEqual({ level, time: T, ...event });
  });
});
