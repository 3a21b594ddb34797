/**
 * The three clients the throughput and latency benches compare, each doing the same work
 * on every event: (a) a raw `ws` loop, (b) the official `centrifuge` client plus the
 * decode-and-fold written by hand, (c) our `privateChannel → orderUpdates → orderState`.
 */
import { Centrifuge } from 'centrifuge';
import { of, tap } from 'rxjs';
import WebSocket from 'ws';
import { privateChannel } from '../lib/connection/private-channel';
import { orderState, orderUpdates } from '../lib/orders';
import { HandStore } from './hand-fold';

/** A connected client: `ready` once subscribed; `onEvent` gets every event's transactionTime. */
export interface BenchClient {
  readonly ready: Promise<void>;
  close(): void;
}

/** Starts a client on `wsUrl` for `token`; it calls `onEvent(transactionTime)` once per event. */
export type ClientFactory = (
  wsUrl: string,
  token: { connToken: string; channel: string },
  onEvent: (time: number) => void,
) => BenchClient;

/** (a) A hand-written `ws` loop: split frames, `JSON.parse` each line, count the items. */
export const rawWsClient: ClientFactory = (wsUrl, token, onEvent) => {
  const ws = new WebSocket(wsUrl);
  const ready = new Promise<void>((resolve) => {
    ws.on('open', () => {
      ws.send(
        `${JSON.stringify({ id: 1, connect: { token: token.connToken } })}\n${JSON.stringify({ id: 2, subscribe: { channel: token.channel } })}`,
      );
    });
    ws.on('message', (raw) => {
      for (const line of String(raw).split('\n')) {
        if (line === '') continue;
        const msg = JSON.parse(line) as {
          id?: number;
          push?: { pub?: { data?: { order?: { transactionTime?: number } }[] } };
        };
        if (msg.id === 2) resolve();
        const data = msg.push?.pub?.data;
        if (data) for (const item of data) onEvent(item.order?.transactionTime ?? 0);
      }
    });
  });
  return { ready, close: () => ws.close(1000) };
};

/**
 * (b) The official `centrifuge` client, its publications folded by hand ({@link HandStore}:
 * the same job as `orderState()` with mutable structures, the fold bench's baseline h).
 */
export const centrifugeClient: ClientFactory = (wsUrl, token, onEvent) => {
  const client = new Centrifuge(wsUrl, { websocket: WebSocket, token: token.connToken });
  const store = new HandStore();
  const sub = client.newSubscription(token.channel);
  sub.on('publication', (ctx) => {
    const data = ctx.data as unknown;
    if (!Array.isArray(data)) return;
    for (const item of data) {
      const time = store.fold(item);
      if (time !== undefined) onEvent(time);
    }
  });
  const ready = new Promise<void>((resolve) => sub.on('subscribed', () => resolve()));
  sub.subscribe();
  client.connect();
  return { ready, close: () => client.disconnect() };
};

/**
 * (c) Ours: `privateChannel → orderUpdates → orderState`; counts the store's emissions, as
 * a user would read them: in `subscribe`, with the snapshot's clock (the largest
 * `transactionTime` folded, i.e. that of the update just folded: the bench's times rise).
 */
export const ourClient: ClientFactory = (wsUrl, token, onEvent) => {
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const subscription = privateChannel({
    token$: of(token),
    wsUrl,
    pingIntervalMs: 3_600_000,
    requestTimeoutMs: 60_000,
  })
    .pipe(
      tap((m) => {
        if (m.type === 'status' && m.status.state === 'subscribed') resolveReady();
      }),
      orderUpdates(),
      orderState(),
    )
    .subscribe((s) => onEvent(s.time));
  return { ready, close: () => subscription.unsubscribe() };
};

/** Diagnostic stage (c1): `privateChannel` alone, counting the items of each publication. */
export const channelOnlyClient: ClientFactory = (wsUrl, token, onEvent) => {
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const subscription = privateChannel({
    token$: of(token),
    wsUrl,
    pingIntervalMs: 3_600_000,
    requestTimeoutMs: 60_000,
  }).subscribe((m) => {
    if (m.type === 'status' && m.status.state === 'subscribed') resolveReady();
    if (m.type === 'publication' && Array.isArray(m.data))
      for (let i = 0; i < m.data.length; i += 1) onEvent(0);
  });
  return { ready, close: () => subscription.unsubscribe() };
};

/** Diagnostic stage (c2): `privateChannel → orderUpdates`, without the store. */
export const decodeOnlyClient: ClientFactory = (wsUrl, token, onEvent) => {
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const subscription = privateChannel({
    token$: of(token),
    wsUrl,
    pingIntervalMs: 3_600_000,
    requestTimeoutMs: 60_000,
  })
    .pipe(
      tap((m) => {
        if (m.type === 'status' && m.status.state === 'subscribed') resolveReady();
      }),
      orderUpdates(),
    )
    .subscribe((u) => onEvent(u.order.transactionTime));
  return { ready, close: () => subscription.unsubscribe() };
};
