import { Centrifuge, type PublicationContext, type Subscription } from 'centrifuge';
import { firstValueFrom } from 'rxjs';
import { WebSocket } from 'ws';
import { requestToken } from '../../lib/token/request-token';
import { startFakeServer, type FakeServer, type FakeServerOptions } from '../../lib/testing/fake-server';

// The official Centrifugo client (centrifuge-js) against the fake: if it works with the fake the
// way it works with Centrifugo, the fake speaks the protocol faithfully.

interface Rig {
  readonly server: FakeServer;
  readonly client: Centrifuge;
  readonly sub: Subscription;
  readonly publications: unknown[];
  /** Resolves with the next publication's data. */
  nextPublication(): Promise<unknown>;
  getTokenCalls(): number;
}

async function rig(options: FakeServerOptions, url: (s: FakeServer) => string): Promise<Rig> {
  const server = await startFakeServer(options);
  let calls = 0;
  let channel = '';
  const getToken = async (): Promise<string> => {
    calls += 1;
    const token = await firstValueFrom(requestToken(server.credentials, { restBaseUrl: server.restBaseUrl }));
    channel = token.channel;
    return token.connToken;
  };
  await getToken(); // learn the channel, as an application would
  calls = 0;
  const client = new Centrifuge(url(server), {
    websocket: WebSocket,
    getToken,
    minReconnectDelay: 5,
    maxReconnectDelay: 20,
    timeout: 2000,
  });
  // No subscription token: the connection token authorizes the user's own pws:#<sub> channel.
  const sub = client.newSubscription(channel);
  const publications: unknown[] = [];
  const waiting: ((data: unknown) => void)[] = [];
  sub.on('publication', (ctx: PublicationContext) => {
    const w = waiting.shift();
    if (w) w(ctx.data);
    else publications.push(ctx.data);
  });
  sub.subscribe();
  client.connect();
  return {
    server,
    client,
    sub,
    publications,
    nextPublication: () => {
      const data = publications.shift();
      return data !== undefined ? Promise.resolve(data) : new Promise((resolve) => waiting.push(resolve));
    },
    getTokenCalls: () => calls,
  };
}

const order = (n: number) => ({
  eventType: 'order_update',
  order: { orderId: `btcidr-limit-${n}`, status: 'NEW' },
});

describe('the fake server driven by the official centrifuge client', () => {
  let r: Rig | undefined;
  afterEach(async () => {
    if (!r) return;
    r.client.disconnect();
    await r.server.until((s) => s.openSockets === 0, 5000);
    await r.server.close();
    r = undefined;
  });

  it('connects with a token from the token endpoint, subscribes without a subscription token, receives pushes', async () => {
    r = await rig({}, (s) => s.wsUrl);
    await r.sub.ready(2000);
    expect(r.server.stats().subscribed).toBe(1);
    expect(r.client.state).toBe('connected');
    expect(r.sub.state).toBe('subscribed');
    expect(r.server.publish([order(1), order(2)])).toBe(1);
    r.server.publishBatch([[order(3)], [order(4)]]);
    expect(await r.nextPublication()).toEqual([order(1), order(2)]);
    expect(await r.nextPublication()).toEqual([order(3)]);
    expect(await r.nextPublication()).toEqual([order(4)]);
    expect(r.server.stats().commands).toMatchObject({ connect: 1, subscribe: 1, pong: 0 });
  });

  it('answers app-level pings, so the link stays up over many ping intervals', async () => {
    r = await rig({ pingIntervalMs: 30, pongTimeoutMs: 100 }, (s) => s.appPingWsUrl);
    await r.server.until((s) => s.commands.pong >= 5, 5000);
    expect(r.server.stats()).toMatchObject({ connectionsAccepted: 1, subscribed: 1 });
    expect(r.client.state).toBe('connected');
  });

  it('stays up in frame-ping mode (ws answers PING frames) and never sends {}', async () => {
    r = await rig({ pingIntervalMs: 30 }, (s) => s.wsUrl);
    await r.server.until((s) => s.pingsSent >= 4, 5000);
    expect(r.server.stats()).toMatchObject({ connectionsAccepted: 1, subscribed: 1 });
    expect(r.server.stats().commands.pong).toBe(0);
  });

  it('refreshes the token in place before the ttl runs out (getToken again, then refresh)', async () => {
    r = await rig({ tokenTtlSeconds: 0.3, expireGraceMs: 2000 }, (s) => s.wsUrl);
    await r.server.until((s) => s.commands.refresh >= 2, 5000);
    expect(r.getTokenCalls()).toBeGreaterThanOrEqual(3);
    expect(r.server.stats()).toMatchObject({ connectionsAccepted: 1, subscribed: 1 });
    expect(r.server.publish([order(1)])).toBe(1);
    expect(await r.nextPublication()).toEqual([order(1)]);
  });

  it('reconnects and resubscribes after a close code in the reconnect range', async () => {
    r = await rig({}, (s) => s.wsUrl);
    await r.server.until((s) => s.subscribed === 1);
    r.server.disconnect(3001, 'shutdown');
    await r.server.until((s) => s.connectionsAccepted === 2 && s.subscribed === 1, 5000);
    expect(r.server.publish([order(5)])).toBe(1);
    expect(await r.nextPublication()).toEqual([order(5)]);
  });

  it('after an expiry close (3005) it retries with its old token, gets 109, takes a new token and reconnects', async () => {
    r = await rig({ expireGraceMs: 20 }, (s) => s.wsUrl);
    await r.server.until((s) => s.subscribed === 1);
    const calls = r.getTokenCalls();
    r.server.expireTokensNow();
    await r.server.until((s) => s.connectionsAccepted >= 3 && s.subscribed === 1, 5000);
    expect(r.getTokenCalls()).toBe(calls + 1);
    expect(r.server.stats().commands.connect).toBe(3);
  });

  it('stops for good after 3500 "invalid token"', async () => {
    r = await rig({}, (s) => s.wsUrl);
    await r.server.until((s) => s.subscribed === 1);
    const disconnected = new Promise<{ code: number; reason: string }>((resolve) =>
      r?.client.on('disconnected', (ctx) => resolve({ code: ctx.code, reason: ctx.reason })),
    );
    r.server.disconnect(3500, 'invalid token');
    expect(await disconnected).toEqual({ code: 3500, reason: 'invalid token' });
    expect(r.client.state).toBe('disconnected');
  });
});
