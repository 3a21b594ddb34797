import { TestScheduler } from 'rxjs/testing';
import { filter, firstValueFrom, map } from 'rxjs';
import { startExchange } from './exchange';
import { createPrivateClient, pipelineFromChannel } from '../../lib/client';
import { healthOf, healthStep, initialHealth } from '../../lib/client/health';
import { quietOutcome } from '../../lib/client/core';
import { createOrderState } from '../../lib/orders';
import type { ChannelMessage, ConnectionStatus } from '../../lib/protocol/messages';
import { newOrder } from '../../lib/testing/builders';

const status = (s: ConnectionStatus): ChannelMessage => ({ type: 'status', status: s });
const values: Record<string, ChannelMessage> = {
  c: status({ state: 'connecting', attempt: 1 }),
  s: status({ state: 'subscribed', channel: 'c' }),
  d: status({ state: 'disconnected', reason: 'gone', retryInMs: 5 }),
  p: { type: 'publication', channel: 'c', data: [newOrder({ orderId: 'btcidr-limit-1' })] },
};

describe('health$', () => {
  let ts: TestScheduler;
  beforeEach(() => (ts = new TestScheduler((a, b) => expect(a).toEqual(b))));

  it('emits on every change of state and on every tick, with ages counted at the emission', () => {
    ts.run(({ cold, expectObservable }) => {
      const channel$ = cold<ChannelMessage>('c 9ms s 14ms p 24ms |', values);
      const { health$ } = pipelineFromChannel(channel$, { scheduler: ts, healthIntervalMs: 20 });
      const view = health$.pipe(
        map((h) => `${h.state}:${h.stateForMs}:${h.lastPublicationAgoMs ?? '-'}:${h.lastFrameAgoMs ?? '-'}`),
      );
      expectObservable(view).toBe('a 9ms b 9ms c 19ms d 9ms |', {
        a: 'connecting:0:-:-',
        b: 'subscribed:0:-:-',
        c: 'subscribed:10:-:-', // the tick at 20 ms
        d: 'subscribed:30:15:15', // the tick at 40 ms: the publication came at 25 ms
      });
    });
  });

  it('counts outages: a link lost while up, never a failed attempt to bring it back', () => {
    ts.run(({ cold, expectObservable }) => {
      const channel$ = cold<ChannelMessage>('cdcsdcdcs|', values);
      const { health$ } = pipelineFromChannel(channel$, { scheduler: ts, healthIntervalMs: 1000 });
      expectObservable(health$.pipe(map((h) => `${h.state[0]}${h.reconnects}`))).toBe('abcdefghi|', {
        a: 'c0',
        b: 'd0',
        c: 'c0',
        d: 's0',
        e: 'd1',
        f: 'c1',
        g: 'd1',
        h: 'c1',
        i: 's1',
      });
    });
  });

  it('the fold: activity, reconciliation outcomes and ticks (pure)', () => {
    const seed = quietOutcome(createOrderState());
    let m = initialHealth(0);
    m = healthStep(m, { type: 'outcome', outcome: { ...seed, activityAt: 100 }, now: 150 });
    m = healthStep(m, {
      type: 'outcome',
      outcome: {
        ...seed,
        event: {
          type: 'completed',
          reason: 'start',
          gapMs: 0,
          orders: 1,
          fills: 0,
          unresolved: [],
          calls: 7,
          durationMs: 12,
        } as never,
      },
      now: 200,
    });
    m = healthStep(m, { type: 'tick', now: 1200 });
    expect(healthOf(m)).toEqual({
      state: 'idle',
      stateForMs: 1200,
      lastFrameAgoMs: 1100,
      lastPublicationAgoMs: undefined,
      lastReconciliation: { type: 'completed', agoMs: 1000, calls: 7 },
      lastCheck: undefined,
      reconnects: 0,
    });
  });

  it('a check shows as lastCheck (its calls, what it changed), not as the last reconciliation', () => {
    const seed = quietOutcome(createOrderState());
    const completed = (reason: 'start' | 'check', calls: number, changed: number) => ({
      ...seed,
      event: {
        type: 'completed' as const,
        reason,
        gapMs: 0,
        orders: 0,
        fills: 0,
        unresolved: [],
        calls,
        durationMs: 1,
        changed,
      },
    });
    let m = initialHealth(0);
    m = healthStep(m, { type: 'outcome', outcome: completed('start', 3, 0), now: 100 });
    m = healthStep(m, { type: 'outcome', outcome: completed('check', 1, 0), now: 60_000 });
    expect(healthOf(m).lastCheck).toEqual({ agoMs: 0, calls: 1, changed: 0, full: false });
    m = healthStep(m, { type: 'outcome', outcome: completed('check', 5, 4), now: 120_000 });
    m = healthStep(m, { type: 'tick', now: 121_000 });
    const h = healthOf(m);
    expect(h.lastCheck).toEqual({ agoMs: 1_000, calls: 5, changed: 4, full: false });
    expect(h.lastReconciliation).toEqual({ type: 'completed', agoMs: 120_900, calls: 3 });
  });
});

describe('health$ against the fake exchange', () => {
  it('shows the subscribed link, the time since the last frame and the first reconciliation', async () => {
    const { server, rest } = await startExchange();
    const client = createPrivateClient({
      credentials: server.credentials,
      environment: server.environment,
      healthIntervalMs: 10,
    });
    try {
      const health = await firstValueFrom(
        client.health$.pipe(filter((h) => h.state === 'subscribed' && h.lastReconciliation !== undefined)),
      );
      expect(health.lastFrameAgoMs).toBeGreaterThanOrEqual(0);
      expect(health.lastReconciliation?.type).toBe('completed');
      expect(health.reconnects).toBe(0);
    } finally {
      await client.close();
      rest.release();
      await server.close();
    }
  });
});
