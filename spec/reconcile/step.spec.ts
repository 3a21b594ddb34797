import {
  initialReconcilerState,
  reconcilerStep,
  type ReconcilerConfig,
  type ReconcilerEffect,
  type ReconcilerEvent,
  type ReconcilerState,
} from '../../lib/reconcile/step';
import type { ReconcileFindings } from '../../lib/reconcile/plan';
import { TradeApiError } from '../../lib/rest/error';
import type { ConnectionStatus } from '../../lib/protocol/messages';

const config: ReconcilerConfig = { lookbackMs: 1_000, marginMs: 10, minDelayMs: 100, maxDelayMs: 1_000 };
const S: ConnectionStatus = { state: 'subscribed', channel: 'c' };
const D: ConnectionStatus = { state: 'disconnected', reason: 'x', retryInMs: 1 };
const findings: ReconcileFindings = {
  orders: [],
  fills: [],
  unresolved: [],
  calls: 3,
  window: { from: 0, to: 0 },
};

const status = (s: ConnectionStatus, now: number): ReconcilerEvent => ({ type: 'status', status: s, now });
/** The effects, in short: `started:from-to`, `read:from-to`, `wait:ms`, `findings`, `completed:gap`, `failed:…`. */
const short = (effects: readonly ReconcilerEffect[]): string[] =>
  effects.map((e) => {
    if (e.type === 'read') return `read:${e.window.from}-${e.window.to}`;
    if (e.type === 'wait') return `wait:${e.ms}`;
    const o = e.output;
    if (o.kind === 'findings') return 'findings';
    const ev = o.event;
    if (ev.type === 'started') return `started:${ev.from}-${ev.to}`;
    if (ev.type === 'completed') return `completed:${ev.gapMs}:${ev.durationMs}ms:${ev.calls}calls`;
    return `failed:${ev.attempt}:${ev.terminal ? 'terminal' : ev.retryInMs}`;
  });

const fold = (events: readonly ReconcilerEvent[]): { state: ReconcilerState; effects: string[][] } => {
  let state = initialReconcilerState;
  const effects: string[][] = [];
  for (const e of events) {
    const [next, out] = reconcilerStep(config, state, e);
    state = next;
    effects.push(short(out));
  }
  return { state, effects };
};

describe('reconcilerStep (table)', () => {
  const cases: [string, ReconcilerEvent[], string[][], ReconcilerState['phase']][] = [
    [
      'the first subscribed reads the look-back',
      [status(S, 5_000)],
      [['started:4000-5000', 'read:4000-5000']],
      'reading',
    ],
    [
      'a read lands: findings, then completed',
      [status(S, 0), { type: 'read', findings, now: 7 }],
      [
        ['started:-1000-0', 'read:-1000-0'],
        ['findings', 'completed:0:7ms:3calls'],
      ],
      'idle',
    ],
    [
      'a reconnect reads from the first disconnected, less the margin',
      [status(S, 0), { type: 'read', findings, now: 1 }, status(D, 100), status(D, 120), status(S, 150)],
      [
        ['started:-1000-0', 'read:-1000-0'],
        ['findings', 'completed:0:1ms:3calls'],
        [],
        [],
        ['started:90-150', 'read:90-150'],
      ],
      'reading',
    ],
    [
      'statuses other than subscribed and disconnected change nothing',
      [status({ state: 'connecting', attempt: 1 }, 0), status({ state: 'connected', client: 'x' }, 1)],
      [[], []],
      'idle',
    ],
    [
      'gaps during a read coalesce into one more read over their joint window',
      [
        status(S, 0),
        status(D, 5),
        status(S, 6),
        status(D, 8),
        status(S, 9),
        { type: 'read', findings, now: 20 },
      ],
      [
        ['started:-1000-0', 'read:-1000-0'],
        [],
        [],
        [],
        [],
        ['findings', 'completed:0:20ms:3calls', 'started:-5-20', 'read:-5-20'],
      ],
      'reading',
    ],
    [
      'a failure waits with backoff, then reads again without a new started',
      [
        status(S, 0),
        { type: 'failed', error: new Error('HTTP 503'), now: 1, jitter: 0 },
        { type: 'retry', now: 101 },
      ],
      [['started:-1000-0', 'read:-1000-0'], ['failed:1:100', 'wait:100'], ['read:-1000-101']],
      'reading',
    ],
    [
      'failed attempts count in the calls and the time to converge',
      [
        status(S, 0),
        { type: 'failed', error: new Error('x'), now: 1, jitter: 0 },
        { type: 'retry', now: 101 },
        { type: 'read', findings, now: 150 },
      ],
      [
        ['started:-1000-0', 'read:-1000-0'],
        ['failed:1:100', 'wait:100'],
        ['read:-1000-101'],
        ['findings', 'completed:0:150ms:4calls'],
      ],
      'idle',
    ],
    [
      'a missing permission is terminal: one failed, no wait, and nothing after',
      [
        status(S, 0),
        {
          type: 'failed',
          error: new TradeApiError('invalid_credentials', 'no', false, 'tapi:openOrders'),
          now: 1,
          jitter: 0,
        },
        status(D, 5),
        status(S, 6),
      ],
      [['started:-1000-0', 'read:-1000-0'], ['failed:1:terminal'], [], []],
      'stopped',
    ],
    [
      'a late answer after a retry is scheduled changes nothing',
      [
        status(S, 0),
        { type: 'failed', error: new Error('x'), now: 1, jitter: 0 },
        { type: 'read', findings, now: 2 },
      ],
      [['started:-1000-0', 'read:-1000-0'], ['failed:1:100', 'wait:100'], []],
      'waiting',
    ],
  ];
  it.each(cases)('%s', (_name, events, effects, phase) => {
    const out = fold(events);
    expect(out.effects).toEqual(effects);
    expect(out.state.phase).toBe(phase);
  });

  it('returns the same state for an event that changes nothing', () => {
    const [next] = reconcilerStep(
      config,
      initialReconcilerState,
      status({ state: 'connecting', attempt: 1 }, 0),
    );
    expect(next).toBe(initialReconcilerState);
  });

  it('names the missing permission in the terminal failure', () => {
    const [, [readEffect]] = reconcilerStep(config, initialReconcilerState, status(S, 0));
    expect(readEffect).toBeDefined();
    const [reading] = reconcilerStep(config, initialReconcilerState, status(S, 0));
    const [, out] = reconcilerStep(config, reading, {
      type: 'failed',
      error: new TradeApiError(
        '1001',
        'v2:myTrades refused: Invalid credentials (1001, HTTP 401)',
        false,
        'v2:myTrades',
        { status: 401 },
      ),
      now: 1,
      jitter: 0,
    });
    const event = out[0]?.type === 'emit' && out[0].output.kind === 'event' ? out[0].output.event : undefined;
    expect(event).toMatchObject({ type: 'failed', terminal: true });
    expect(event?.type === 'failed' && event.reason).toMatch(/v2:myTrades answered HTTP 401.*trade-read/);
  });
});
