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

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;
const STATUSES = new Set(['NEW', 'FILL', 'CANCELLED', 'DONE', 'REJECTED']);

interface HandOrder {
  status: string;
  executedQty: string;
  fills: Set<string>;
}

/** The decode-and-fold a user of a bare client writes by hand: type checks, then a Map. */
export function handFold(orders: Map<string, HandOrder>, item: unknown): number | undefined {
  if (typeof item !== 'object' || item === null) return undefined;
  const { eventType, order } = item as { eventType?: unknown; order?: Record<string, unknown> };
  if (eventType !== 'order_update' || typeof order !== 'object' || order === null) return undefined;
  const { orderId, status, executedQty, origQty, unfilledQty, price, transactionTime, tradeId } = order;
  if (typeof orderId !== 'string' || typeof status !== 'string' || !STATUSES.has(status)) return undefined;
  for (const d of [executedQty, origQty, unfilledQty, price])
    if (typeof d !== 'string' || !DECIMAL.test(d)) return undefined;
  if (typeof transactionTime !== 'number' || typeof order['symbol'] !== 'string') return undefined;
  let tracked = orders.get(orderId);
  if (tracked === undefined)
    orders.set(orderId, (tracked = { status, executedQty: executedQty as string, fills: new Set() }));
  tracked.status = status;
  tracked.executedQty = executedQty as string;
  if (status === 'FILL') {
    const fill = order['fillInformation'] as Record<string, unknown> | undefined;
    if (typeof tradeId !== 'string' || typeof fill !== 'object' || fill === null) return undefined;
    for (const k of ['qty', 'fee', 'tax', 'clearing', 'filledQty'])
      if (typeof fill[k] !== 'string' || !DECIMAL.test(fill[k] as string)) return undefined;
    tracked.fills.add(tradeId);
  }
  return transactionTime;
}

/** (b) The official `centrifuge` client, its publications folded by {@link handFold}. */
export const centrifugeClient: ClientFactory = (wsUrl, token, onEvent) => {
  const client = new Centrifuge(wsUrl, { websocket: WebSocket, token: token.connToken });
  const orders = new Map<string, HandOrder>();
  const sub = client.newSubscription(token.channel);
  sub.on('publication', (ctx) => {
    const data = ctx.data as unknown;
    if (!Array.isArray(data)) return;
    for (const item of data) {
      const time = handFold(orders, item);
      if (time !== undefined) onEvent(time);
    }
  });
  const ready = new Promise<void>((resolve) => sub.on('subscribed', () => resolve()));
  sub.subscribe();
  client.connect();
  return { ready, close: () => client.disconnect() };
};

/** (c) Ours: `privateChannel → orderUpdates → orderState`; counts the store's emissions. */
export const ourClient: ClientFactory = (wsUrl, token, onEvent) => {
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  let last = 0;
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
      tap((u) => (last = u.order.transactionTime)),
      orderState(),
      // Measured at the store's emission, with the time of the update it folded.
      tap(() => onEvent(last)),
    )
    .subscribe();
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
