import { Subject, Subscription, asyncScheduler, startWith } from 'rxjs';
import { createPrivateClient } from '../client';
import { seededRandom } from '../util/random';
import { pushData } from '../testing/builders';
import { fakeRestRoutes, foldOrderLog } from '../testing/fake-rest';
import { storeDifferences } from '../testing/store-check';
import { startFakeServer, type FakeServer } from '../testing/fake-server';
import type { Command } from './args';
import { marketItem } from './demo-item';
import { demoSteps, type DemoStep } from './demo-script';
import { sinkFor, type CliIo } from './io';
import { paced } from './pace';
import { openRecorder } from './record';
import { runClient } from './run';

/** The longest round of the script; longer runs play round after round with fresh ids. @internal */
const ROUND_MS = 45_000;

/**
 * `indodax-pws demo`: the testing kit's fake exchange with a scripted market and scripted
 * faults, watched through the real client (token endpoint, WebSocket, REST reconciliation).
 * @internal
 */
export async function runDemo(command: Extract<Command, { kind: 'demo' }>, io: CliIo): Promise<number> {
  const scheduler = io.scheduler ?? asyncScheduler;
  // Opened first: a bad --record path is a usage error before anything starts.
  const recorder =
    command.record === undefined ? undefined : openRecorder(command.record, () => scheduler.now());
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
  const sink = sinkFor(
    io,
    command.json,
    `indodax-pws demo (seed ${seed}, ${command.durationS === 0 ? 'Ctrl-C stops' : `${command.durationS} s`})`,
  );
  const subs = new Subscription();
  const durationMs = command.durationS * 1000;
  const roundMs = durationMs === 0 ? ROUND_MS : Math.min(durationMs, ROUND_MS);
  const steps = demoSteps(random, {
    roundMs,
    rounds: durationMs === 0 ? Infinity : Math.max(1, Math.floor(durationMs / roundMs)),
  });
  // Whether the store can be expected to equal the exchange right now: the channel is live
  // and no reconciliation is pending. A Ctrl-C during a scripted gap says so in the check.
  let settled = false;
  let live = false;
  subs.add(
    client.status$.subscribe((s) => {
      live = s.state === 'subscribed' || s.state === 'refreshed';
      if (!live) settled = false;
    }),
  );
  subs.add(client.reconciliation$.subscribe((e) => (settled = e.type === 'completed')));
  const started = scheduler.now();
  subs.add(
    paced(
      () => steps.next(),
      (step) => step.at - (scheduler.now() - started),
      scheduler,
    ).subscribe((step) => play(server, step, notes, scheduler.now())),
  );
  const intro =
    `seed ${seed}: a fake exchange on ${server.restBaseUrl} with a scripted market and scripted faults` +
    (durationMs === 0 ? '; runs until Ctrl-C' : `; ends after ${command.durationS} s`);
  const code = await runClient(client, sink, {
    ...(durationMs === 0 ? {} : { durationS: command.durationS }),
    ...(recorder ? { recorder } : {}),
    scheduler,
    onStop: io.onStop,
    notes$: notes.pipe(startWith(intro)),
    finalCheck: (snapshot) => {
      if (!snapshot) return 'check: the client never received a snapshot';
      const book = foldOrderLog(server.orderLog());
      const differences = storeDifferences(snapshot, book);
      const fills = [...book.values()].reduce((n, o) => n + o.fills.length, 0);
      return differences.length === 0
        ? `check: the store equals the exchange (${book.size} orders, ${fills} fills)`
        : `check: the store differs from the exchange in ${differences.length} ways: ${differences
            .slice(0, 5)
            .map((d) => `${d.orderId} ${d.what}`)
            .join('; ')}` +
            (live && settled ? '' : ' (stopped during a scripted gap, before reconciliation caught up)');
    },
    stderr: io.stderr,
  });
  subs.unsubscribe();
  notes.complete();
  await client.close(); // the socket closes with 1000 before the fake exchange goes
  await server.close();
  return code;
}

function play(server: FakeServer, step: DemoStep, notes: Subject<string>, now: number): void {
  if (step.kind !== 'fault') {
    server.publish(pushData(marketItem(step, now)));
    return;
  }
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
