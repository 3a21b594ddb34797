import { firstValueFrom, filter } from 'rxjs';
import { startBridge, type BridgeEvent } from '../../lib/bridge/bridge';
import { fromJetStream } from '../../lib/bus';
import { decodeStatus } from '../../lib/bus/source';
import { startExchange, type TestExchange } from '../bus/support/exchange';
import { eventually, startNats, storedFor, type TestNats } from '../bus/support/nats-server';

describe('decodeStatus (what tail shows)', () => {
  it.each([
    {
      name: 'a failed account: a disconnection saying why and when it is checked again',
      text: '{"state":"failed","reason":"token: invalid_credentials","recheckInMs":300000}',
      status: {
        state: 'disconnected',
        reason: 'account failed: token: invalid_credentials',
        retryInMs: 300000,
      },
    },
    {
      name: 'a connection status as it is',
      text: '{"state":"subscribed","channel":"pws:#1"}',
      status: { state: 'subscribed', channel: 'pws:#1' },
    },
  ])('$name', ({ text, status }) => {
    expect(decodeStatus(text, 'indodax.status.a')).toEqual({ kind: 'status', status });
  });
});

// Bad credentials for one account: one account-failed event, status failed on the bus (so tail
// shows it), a new token request only every recheckFailedMs; the other account goes on.
describe('a permanent failure is permanent (real nats-server, the fake exchange)', () => {
  let nats: TestNats;
  let exchange: TestExchange;
  beforeAll(async () => {
    nats = await startNats();
    exchange = await startExchange(2);
  });
  afterAll(async () => {
    await exchange?.server.close();
    await nats?.stop();
  });

  it('bad secret: one account-failed, tail sees it failed, no new token request before recheckFailedMs, the other account goes on', async () => {
    const env = { ...exchange.env, ACCT0_SECRET: 'not-the-secret' };
    const events: BridgeEvent[] = [];
    const bridge = await startBridge({
      servers: nats.url,
      id: 'b',
      accounts: exchange.bridgeAccounts(env),
      leaseMs: 1_000,
      recheckFailedMs: 60_000,
      onEvent: (e) => events.push(e),
    });
    const tail = fromJetStream({ servers: nats.url, account: 'acct0' });
    try {
      await eventually(
        'acct1 subscribed',
        () => exchange.server.subscribers(exchange.accountOf('acct1')) === 1 || undefined,
      );
      const failedSeen = firstValueFrom(tail.status$.pipe(filter((s) => s.state === 'disconnected')));
      const before = exchange.server.stats().tokenRequests;
      await eventually('acct0 failed', () => events.some((e) => e.type === 'account-failed') || undefined);
      const started = Date.now();
      exchange.order('acct1', 0);
      await eventually('acct1 goes on', async () =>
        (await storedFor(nats.url, 'acct1')) === 4 ? true : undefined,
      );
      expect(await failedSeen).toEqual(
        expect.objectContaining({
          state: 'disconnected',
          reason: expect.stringMatching(/^account failed: token/),
        }),
      );
      await eventually('3 s pass', () => (Date.now() - started > 3_000 ? true : undefined), 5_000, 100);
      // acct0 asked once (at most, since `before`), never again every 2 s
      expect(exchange.server.stats().tokenRequests - before).toBeLessThanOrEqual(1);
      const failed = events.filter((e) => e.type === 'account-failed');
      expect(failed).toEqual([
        {
          type: 'account-failed',
          account: 'acct0',
          reason: expect.stringMatching(/^token/),
          recheckInMs: 60_000,
        },
      ]);
      expect(JSON.stringify(events)).not.toContain(exchange.env['ACCT0_KEY']!);
    } finally {
      await tail.close();
      await bridge.stop();
    }
  }, 40_000);
});
