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

const gapOnly: ReconcilerConfig = {
  lookbackMs: 1_000,
  marginMs: 10,
  minDelayMs: 100,
  maxDelayMs: 1_000,
  checkEveryMs: 0,
  fullCheckEveryMs: 0,
  checkPhaseMs: 0,
};
const checking: ReconcilerConfig = {
  ...gapOnly,
  checkEveryMs: 1_000,
  fullCheckEveryMs: 3_000,
  checkPhaseMs: 250,
};
const S: ConnectionStatus = { state: 'subscribed', channel: 'c' };
const D: ConnectionStatus = { state: 'disconnected', reason: 'x', retryInMs: 1 };
const findings = (to: number, calls = 3): ReconcileFindings => ({
  orders: [],
  fills: [],
  unresolved: [],
  calls,
  window: { from: 0, to },
});

const status = (s: ConnectionStatus, now: number): ReconcilerEvent => ({ type: 'status', status: s, now });
const read = (now: number, calls = 3): ReconcilerEvent => ({
  type: 'read',
  findings: findings(now, calls),
  now,
});
const check = (now: number): ReconcilerEvent => ({ type: 'check', now });
/**
 * The effects, in short: `started:reason:from-to`, `read:from-to` (`check:from-to` when cheap),
 * `wait:ms`, `arm:ms`, `findings`, `completed:reason:gap:duration:calls`, `failed:…`.
 */
const short = (effects: readonly ReconcilerEffect[]): string[] =>
  effects.map((e) => {
    if (e.type === 'read') return `${e.cheap ? 'check' : 'read'}:${e.window.from}-${e.window.to}`;
    if (e.type === 'wait') return `wait:${e.ms}`;
    if (e.type === 'arm') return `arm:${e.ms}`;
    const o = e.output;
    if (o.kind === 'findings') return 'findings';
    const ev = o.event;
    const full = 'full' in ev && ev.full ? ':full' : '';
    if (ev.type === 'started') return `started:${ev.reason}${full}:${ev.from}-${ev.to}`;
    if (ev.type === 'completed')
      return `completed:${ev.reason}${full}:${ev.gapMs}:${ev.durationMs}ms:${ev.calls}calls`;
    return `failed:${ev.attempt}:${ev.terminal ? 'terminal' : ev.retryInMs}`;
  });

const fold = (
  config: ReconcilerConfig,
  events: readonly ReconcilerEvent[],
): { state: ReconcilerState; effects: string[][] } => {
  const step = reconcilerStep(config);
  let state = initialReconcilerState;
  const effects: string[][] = [];
  for (const e of events) {
    const [next, out] = step(state, e);
    state = next;
    effects.push(short(out));
  }
  return { state, effects };
};

interface Row {
  readonly name: string;
  readonly config?: ReconcilerConfig;
  readonly events: readonly ReconcilerEvent[];
  /** The effects of each event, in short (see `short`). */
  readonly effects: readonly (readonly string[])[];
  readonly phase: ReconcilerState['phase'];
}

const rows: readonly Row[] = [
  {
    name: 'the first subscribed reads the look-back',
    events: [status(S, 5_000)],
    effects: [['started:start:4000-5000', 'read:4000-5000']],
    phase: 'reading',
  },
  {
    name: 'a read lands: findings, then completed',
    events: [status(S, 0), read(7)],
    effects: [
      ['started:start:-1000-0', 'read:-1000-0'],
      ['findings', 'completed:start:0:7ms:3calls'],
    ],
    phase: 'idle',
  },
  {
    name: 'a reconnect reads from the first disconnected, less the margin',
    events: [status(S, 0), read(1), status(D, 100), status(D, 120), status(S, 150)],
    effects: [
      ['started:start:-1000-0', 'read:-1000-0'],
      ['findings', 'completed:start:0:1ms:3calls'],
      [],
      [],
      ['started:reconnect:90-150', 'read:90-150'],
    ],
    phase: 'reading',
  },
  {
    name: 'statuses other than subscribed and disconnected change nothing',
    events: [status({ state: 'connecting', attempt: 1 }, 0), status({ state: 'connected', client: 'x' }, 1)],
    effects: [[], []],
    phase: 'idle',
  },
  {
    name: 'gaps during a read coalesce into one more read over their joint window',
    events: [status(S, 0), status(D, 5), status(S, 6), status(D, 8), status(S, 9), read(20)],
    effects: [
      ['started:start:-1000-0', 'read:-1000-0'],
      [],
      [],
      [],
      [],
      ['findings', 'completed:start:0:20ms:3calls', 'started:reconnect:-5-20', 'read:-5-20'],
    ],
    phase: 'reading',
  },
  {
    name: 'a failure waits with backoff, then reads again without a new started',
    events: [
      status(S, 0),
      { type: 'failed', error: new Error('HTTP 503'), now: 1, jitter: 0 },
      { type: 'retry', now: 101 },
    ],
    effects: [['started:start:-1000-0', 'read:-1000-0'], ['failed:1:100', 'wait:100'], ['read:-1000-101']],
    phase: 'reading',
  },
  {
    name: 'failed attempts count in the calls and the time to converge',
    events: [
      status(S, 0),
      { type: 'failed', error: new Error('x'), now: 1, jitter: 0 },
      { type: 'retry', now: 101 },
      read(150),
    ],
    effects: [
      ['started:start:-1000-0', 'read:-1000-0'],
      ['failed:1:100', 'wait:100'],
      ['read:-1000-101'],
      ['findings', 'completed:start:0:150ms:4calls'],
    ],
    phase: 'idle',
  },
  {
    name: 'a missing permission is terminal: one failed, no wait, and nothing after',
    events: [
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
    effects: [['started:start:-1000-0', 'read:-1000-0'], ['failed:1:terminal'], [], []],
    phase: 'stopped',
  },
  {
    name: 'a late answer after a retry is scheduled changes nothing',
    events: [status(S, 0), { type: 'failed', error: new Error('x'), now: 1, jitter: 0 }, read(2)],
    effects: [['started:start:-1000-0', 'read:-1000-0'], ['failed:1:100', 'wait:100'], []],
    phase: 'waiting',
  },
  {
    name: 'with checks off, a check tick does nothing',
    events: [status(S, 0), read(1), check(1_000)],
    effects: [['started:start:-1000-0', 'read:-1000-0'], ['findings', 'completed:start:0:1ms:3calls'], []],
    phase: 'idle',
  },
  // checks: every 1 000 ms on the grid 250 + k·1 000; a full pass when coverage is 3 000 ms old
  {
    name: 'subscribed arms the first check on the grid, then the check reads the open orders since the last read',
    config: checking,
    events: [status(S, 100), read(140), check(250), check(1_250), read(1_260, 1)],
    effects: [
      ['arm:150', 'started:start:-900-100', 'read:-900-100'],
      ['findings', 'completed:start:0:40ms:3calls'],
      ['arm:1000'], // the start read landed 110 ms ago: it counts as this check
      ['arm:1000', 'started:check:130-1250', 'check:130-1250'],
      ['findings', 'completed:check:0:10ms:1calls'],
    ],
    phase: 'idle',
  },
  {
    name: 'a check due while a run is busy is skipped, not queued',
    config: checking,
    events: [status(S, 0), check(250), check(1_250), read(1_300)],
    effects: [
      ['arm:250', 'started:start:-1000-0', 'read:-1000-0'],
      ['arm:1000'],
      ['arm:1000'],
      ['findings', 'completed:start:0:1300ms:3calls'],
    ],
    phase: 'idle',
  },
  {
    name: 'a check is a full pass once the last full coverage is fullCheckEveryMs old',
    config: checking,
    events: [status(S, 0), read(0), check(1_250), read(1_250, 1), check(2_250), read(2_250, 1), check(3_250)],
    effects: [
      ['arm:250', 'started:start:-1000-0', 'read:-1000-0'],
      ['findings', 'completed:start:0:0ms:3calls'],
      ['arm:1000', 'started:check:-10-1250', 'check:-10-1250'],
      ['findings', 'completed:check:0:0ms:1calls'],
      ['arm:1000', 'started:check:1240-2250', 'check:1240-2250'],
      ['findings', 'completed:check:0:0ms:1calls'],
      ['arm:1000', 'started:check:full:-10-3250', 'read:-10-3250'],
    ],
    phase: 'reading',
  },
  {
    name: 'no check while disconnected; the next subscribed arms the grid again',
    config: checking,
    events: [status(S, 0), read(0), status(D, 500), check(1_250), status(S, 1_600)],
    effects: [
      ['arm:250', 'started:start:-1000-0', 'read:-1000-0'],
      ['findings', 'completed:start:0:0ms:3calls'],
      [],
      [],
      ['arm:650', 'started:reconnect:490-1600', 'read:490-1600'],
    ],
    phase: 'reading',
  },
  {
    name: 'a failed check backs off as a gap run does, and a gap during its wait joins it',
    config: checking,
    events: [
      status(S, 0),
      read(0),
      check(1_250),
      { type: 'failed', error: new Error('HTTP 500'), now: 1_260, jitter: 0 },
      check(2_250),
      status(D, 1_300),
      status(S, 1_320),
      { type: 'retry', now: 1_360 },
    ],
    effects: [
      ['arm:250', 'started:start:-1000-0', 'read:-1000-0'],
      ['findings', 'completed:start:0:0ms:3calls'],
      ['arm:1000', 'started:check:-10-1250', 'check:-10-1250'],
      ['failed:1:100', 'wait:100'],
      ['arm:1000'],
      [],
      ['arm:930'],
      ['read:-10-1360'],
    ],
    phase: 'reading',
  },
  {
    name: 'a check that fails for a missing permission stops checks too',
    config: checking,
    events: [
      status(S, 0),
      read(0),
      check(1_250),
      {
        type: 'failed',
        error: new TradeApiError('x', 'no', false, 'v2:myTrades', { status: 401 }),
        now: 1_260,
        jitter: 0,
      },
      check(2_250),
    ],
    effects: [
      ['arm:250', 'started:start:-1000-0', 'read:-1000-0'],
      ['findings', 'completed:start:0:0ms:3calls'],
      ['arm:1000', 'started:check:-10-1250', 'check:-10-1250'],
      ['failed:1:terminal'],
      [],
    ],
    phase: 'stopped',
  },
];

describe('reconcilerStep (table)', () => {
  it.each(rows)('$name', ({ config, events, effects, phase }) => {
    const out = fold(config ?? gapOnly, events);
    expect(out.effects).toEqual(effects);
    expect(out.state.phase).toBe(phase);
  });

  it('returns the same state for an event that changes nothing', () => {
    const step = reconcilerStep(gapOnly);
    const [next] = step(initialReconcilerState, status({ state: 'connecting', attempt: 1 }, 0));
    expect(next).toBe(initialReconcilerState);
  });

  it('a reconnect after a hole in coverage does not move the full coverage on', () => {
    const step = reconcilerStep(checking);
    let state = initialReconcilerState;
    for (const e of [status(S, 0), read(0), status(D, 5_000), status(S, 5_100), read(5_100)])
      [state] = step(state, e);
    // the reconnect read 4 990 … 5 100, the start covered up to 0: the hole 0 … 4 990 stays to be read
    expect(state.fullTo).toBe(0);
    expect(short(step(state, check(6_250))[1])).toEqual([
      'arm:1000',
      'started:check:full:-10-6250',
      'read:-10-6250',
    ]);
  });

  it('names the missing permission in the terminal failure', () => {
    const step = reconcilerStep(gapOnly);
    const [reading, started] = step(initialReconcilerState, status(S, 0));
    expect(short(started)).toEqual(['started:start:-1000-0', 'read:-1000-0']);
    const [, out] = step(reading, {
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
