import { TestScheduler } from 'rxjs/testing';
import { defer, map, timer, type Observable, type SchedulerLike } from 'rxjs';
import { privateChannel } from '../../lib/connection/private-channel';
import { refreshDelayMs } from '../../lib/connection/refresh-delay';
import type { ChannelMessage } from '../../lib/connection/types';
import { fakeWebSocketFactory, type FakeServerScript } from '../../lib/testing/fake-socket';
import type { PrivateToken } from '../../lib/token/codecs';
import { MAX_TIMER_MS } from '../../lib/util/safe-timer';

const CH = 'pws:#abc';
const TIMING = { share: 0.85, marginMs: 500 };

describe('refreshDelayMs (pure)', () => {
  it.each([
    // ttl s, token ms, delay ms: the margin wins for short tokens, the share for long ones
    [2, 0, 500],
    [2, 100, 500],
    [10, 0, 8_500],
    [10, 400, 8_100],
    [60, 100, 51_000],
    [86_133, 100, 73_213_050],
    [3_000_000, 0, 2_550_000_000],
    [1, 0, 250],
    [0, 0, 0],
    [0.3, 0, 75], // fractional ttl (fakes only): nothing lost to truncation
    [4, 0, 2_500],
  ])('ttl %s s, token request %i ms → refresh after %i ms', (ttl, tokenMs, expected) => {
    expect(refreshDelayMs(ttl, tokenMs, TIMING)).toBe(expected);
  });

  it('never later than the earliest possible expiry minus the margin and the token time, when the ttl leaves room', () => {
    for (let ttl = 3; ttl <= 200_000; ttl = Math.ceil(ttl * 1.7)) {
      for (const tokenMs of [0, 50, 300]) {
        const delay = refreshDelayMs(ttl, tokenMs, TIMING);
        expect(delay + tokenMs + TIMING.marginMs).toBeLessThanOrEqual(ttl * 1000 - 1000);
        expect(delay).toBeLessThanOrEqual(ttl * 850);
      }
    }
  });
});

/**
 * The connect/refresh script of a server whose tokens carry `ttl` whole seconds, and which
 * records when each command reached it and the earliest expiry of each token it accepted:
 * `exp − now` was truncated, so the token may expire up to one second before `ttl` is over.
 */
function expiringServer(scheduler: TestScheduler, ttl: number) {
  const arrivals: { at: number; method: string | undefined }[] = [];
  let earliestExp = Number.NaN;
  const script: FakeServerScript = (c) => {
    const now = scheduler.now();
    arrivals.push({ at: now, method: c.method });
    if (c.method === 'connect' || c.method === 'refresh') {
      earliestExp = now + (ttl - 1) * 1000;
      return [{ id: c.id, [c.method]: { client: 'c', expires: true, ttl } }];
    }
    if (c.method === 'subscribe') return [{ id: c.id, subscribe: {} }];
    return undefined;
  };
  return { script, arrivals, earliestExp: () => earliestExp };
}

/** Tokens that take `ms` of virtual time to arrive, as a real token request does. */
const slowTokens = (ms: number, scheduler: SchedulerLike): Observable<PrivateToken> => {
  let n = 0;
  return defer(() => timer(ms, scheduler).pipe(map(() => ({ connToken: `tok-${++n}`, channel: CH }))));
};

describe('privateChannel: the refresh reaches the server before the token expires', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  });

  it.each([
    // ttl s, first refresh reaches the server at (ms), lead before the earliest expiry (ms)
    [2, 701, 399],
    [60, 51_201, 7_899],
    [86_133, 73_213_251, 12_918_849],
  ])('ttl %i s (token request 100 ms): refresh at %i ms, %i ms before the earliest exp', (ttl, at, lead) => {
    scheduler.run(() => {
      const server = expiringServer(scheduler, ttl);
      const fake = fakeWebSocketFactory({ scheduler, replyDelayMs: 1, script: server.script });
      const statuses: string[] = [];
      const sub = privateChannel({
        token$: slowTokens(100, scheduler),
        webSocket: fake.factory,
        scheduler,
        pingIntervalMs: 10 * ttl * 1000,
      }).subscribe((m: ChannelMessage) => m.type === 'status' && statuses.push(m.status.state));
      // connect reaches the server at 100 (after the token), so the first token expires at the earliest at:
      const exp = 100 + (ttl - 1) * 1000;
      scheduler.schedule(() => sub.unsubscribe(), exp + 1);
      scheduler.flush();
      const refreshes = server.arrivals.filter((a) => a.method === 'refresh');
      expect(refreshes[0]?.at).toBe(at);
      expect(exp - (refreshes[0]?.at ?? Infinity)).toBe(lead);
      expect(statuses).toEqual([
        'connecting',
        'connected',
        'subscribed',
        ...refreshes.map(() => 'refreshed'),
      ]);
      expect(fake.sockets).toHaveLength(1);
    });
  });

  it('ttl 3,000,000 s on a scheduler that clamps like Node (> 2^31−1 ms → 1 ms): exactly one refresh, on time, no storm', () => {
    scheduler.run(() => {
      const ttl = 3_000_000;
      const scheduled: number[] = [];
      // Node's setTimeout turns a delay beyond 2^31−1 ms into 1 ms: a raw timer would refresh at once, forever.
      const nodeLike: SchedulerLike = {
        now: () => scheduler.now(),
        schedule: ((work: never, delay = 0, state?: never) => {
          scheduled.push(delay);
          if (scheduled.length > 10_000) throw new Error(`timer storm: ${scheduled.length} timers`);
          return scheduler.schedule(work, delay > MAX_TIMER_MS ? 1 : delay, state);
        }) as SchedulerLike['schedule'],
      };
      const server = expiringServer(scheduler, ttl);
      const fake = fakeWebSocketFactory({ scheduler, replyDelayMs: 1, script: server.script });
      let tokens = 0;
      const token$ = defer(() => {
        tokens += 1;
        return timer(0, scheduler).pipe(map(() => ({ connToken: `tok-${tokens}`, channel: CH })));
      });
      const sub = privateChannel({
        token$,
        webSocket: fake.factory,
        scheduler: nodeLike,
        pingIntervalMs: 4_000_000_000, // the liveness deadline overflows too
      }).subscribe();
      const due = 1 + 2_550_000_000; // connected at 1, 0.85 × ttl later
      scheduler.schedule(() => sub.unsubscribe(), due + 1_000);
      scheduler.flush();
      expect(server.arrivals.filter((a) => a.method === 'refresh').map((a) => a.at)).toEqual([due]);
      expect(tokens).toBe(2);
      expect(Math.max(...scheduled)).toBeLessThanOrEqual(MAX_TIMER_MS);
      expect(fake.sockets).toHaveLength(1);
    });
  });
});
