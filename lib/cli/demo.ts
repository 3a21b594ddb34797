import { Subject, Subscription, timer } from 'rxjs';
import { createPrivateClient } from '../client';
import { seededRandom } from '../util/random';
import { cancelled, done, fill, newOrder, pushData, rejected } from '../testing/builders';
import { fakeRestRoutes, foldOrderLog } from '../testing/fake-rest';
import { storeDifferences } from '../testing/store-check';
import { startFakeServer, type FakeServer } from '../testing/fake-server';
import type { Command } from './args';
import { demoScript, type DemoOrder, type DemoStep } from './demo-script';
import { sinkFor, type CliIo } from './io';
import { runClient } from './run';

/** How long one round of the script lasts when no --duration is given. @internal */
const ROUND_MS = 45_000;

/**
 * `indodax-pws demo`: the testing kit's fake exchange with a scripted market and scripted
 * faults, watched through the real client (token endpoint, WebSocket, REST reconciliation).
 * @internal
 */
export async function runDemo(command: Extract<Command, { kind: 'demo' }>, io: CliIo): Promise<number> {
  const seed = command.seed ?? Math.floor(Math.random() * 1_000_000);
  const random = seededRandom(seed);
  const notes = new Subject<string>();
  const server: FakeServer = await startFakeServer({
    pingIntervalMs: 1_000,
    pongTimeoutMs: 1_000,
    expireGraceMs: 1_000,
    tokenTtlSeconds: 4,
    routes: (s) =>
      fakeRestRoutes({
        orderLog: (key) => s.orderLog(s.accountByKey(key)?.id ?? '') ?? [],
        secretOf: (key) => s.accountByKey(key)?.keys.find((k) => k.apiKey === key)?.apiSecret,
      }).routes,
  });
  const client = createPrivateClient({
    credentials: server.credentials,
    environment: server.environment,
    pingTimeoutMs: 1_500,
    requestTimeoutMs: 2_000,
    reconnect: { minDelayMs: 200, maxDelayMs: 2_000 },
    // The fake exchange has no rate limits: the demo's REST client may go faster than the real one.
    reconcile: {
      marginMs: 2_000,
      minDelayMs: 200,
      maxDelayMs: 2_000,
      tradeApi: {
        rateLimits: { legacy: { perSecond: 20 }, tapi: { perSecond: 20 }, api: { perSecond: 20 } },
      },
    },
  });
  const sink = sinkFor(io, command.json, `indodax-pws demo (seed ${seed})`);
  const subs = new Subscription();
  subs.add(
    client.reconciliation$.subscribe((e) => {
      if (e.type === 'completed' && (e.reason === 'reconnect' || e.orders > 0)) {
        notes.next(
          e.reason === 'start'
            ? `reconciled ${e.orders} orders at start (${e.calls} REST calls)`
            : `reconciled ${e.orders} orders and ${e.fills} fills after a ${(e.gapMs / 1000).toFixed(1)} s gap (${e.calls} REST calls)`,
        );
      }
      if (e.type === 'failed') notes.next(`reconciliation failed: ${e.reason}; retry in ${e.retryInMs} ms`);
    }),
  );
  const durationMs = command.durationS === undefined ? undefined : command.durationS * 1000;
  const round = (index: number): void => {
    const length = durationMs ?? ROUND_MS;
    const orders = new Map<string, DemoOrder>();
    for (const step of demoScript(random, length)) {
      subs.add(timer(step.at).subscribe(() => play(server, step, orders, notes)));
    }
    if (durationMs === undefined) subs.add(timer(length).subscribe(() => round(index + 1)));
  };
  round(0);
  notes.next(
    `seed ${seed}: a fake exchange on ${server.restBaseUrl} with a scripted market and scripted faults`,
  );
  const code = await runClient(client, sink, {
    ...(command.durationS === undefined ? {} : { durationS: command.durationS }),
    onStop: io.onStop,
    notes$: notes,
    finalCheck: (snapshot) => {
      const book = foldOrderLog(server.orderLog());
      const differences = storeDifferences(snapshot, book);
      const fills = [...book.values()].reduce((n, o) => n + o.fills.length, 0);
      return differences.length === 0
        ? `check: the store equals the exchange (${book.size} orders, ${fills} fills)`
        : `check: the store differs from the exchange in ${differences.length} ways: ${differences
            .slice(0, 5)
            .map((d) => `${d.orderId} ${d.what}`)
            .join('; ')}`;
    },
    stderr: io.stderr,
  });
  subs.unsubscribe();
  notes.complete();
  await server.close();
  return code;
}

function play(
  server: FakeServer,
  step: DemoStep,
  orders: Map<string, DemoOrder>,
  notes: Subject<string>,
): void {
  const now = Date.now();
  const spec = (o: DemoOrder) => ({
    orderId: o.orderId,
    symbol: o.symbol,
    side: o.side,
    price: o.price,
    origQty: o.qty,
    transactionTime: now,
  });
  switch (step.kind) {
    case 'place':
      orders.set(step.order.orderId, step.order);
      server.publish(pushData(newOrder(spec(step.order))));
      return;
    case 'fill': {
      const o = orders.get(step.orderId);
      if (!o) return;
      server.publish(
        pushData(
          fill({
            ...spec(o),
            qty: step.qty,
            filledQty: step.executed,
            tradeId: step.tradeId,
            participant: step.maker ? 'MAKER' : 'TAKER',
          }),
        ),
      );
      return;
    }
    case 'done': {
      const o = orders.get(step.orderId);
      if (o) server.publish(pushData(done(spec(o))));
      return;
    }
    case 'cancel': {
      const o = orders.get(step.orderId);
      if (o) server.publish(pushData(cancelled({ ...spec(o), executedQty: executedOf(server, o.orderId) })));
      return;
    }
    case 'reject': {
      const o = orders.get(step.orderId);
      if (o) server.publish(pushData(rejected(spec(o))));
      return;
    }
    case 'fault':
      switch (step.fault) {
        case 'bad-frame':
          notes.next('fault: a malformed frame line and an order event without an orderId');
          server.sendRaw(
            '{not json\n' +
              JSON.stringify({
                push: {
                  channel: server.account.channel,
                  pub: { data: [{ eventType: 'order_update', order: { status: 'NEW' } }] },
                },
              }),
          );
          return;
        case 'drop-link':
          notes.next('fault: dropping the TCP link');
          server.dropConnections();
          return;
        case 'gap-start':
          notes.next('fault: link down for ~3 s (token endpoint failing) while the market moves');
          server.failNextTokenRequests(4, { status: 503 });
          server.dropConnections();
          return;
        case 'gap-end':
          return;
        case 'expire-token':
          notes.next('fault: every token expires now (the server closes with 3005 after its grace)');
          server.expireTokensNow();
          return;
      }
  }
}

/** The executed quantity of an order as its last published event says. */
function executedOf(server: FakeServer, orderId: string): string {
  const log = server.orderLog() as readonly { order?: { orderId?: string; executedQty?: string } }[];
  for (let i = log.length - 1; i >= 0; i--) {
    const order = log[i]?.order;
    if (order?.orderId === orderId && typeof order.executedQty === 'string') return order.executedQty;
  }
  return '0';
}
