import { filter, firstValueFrom, timeout, type Subscription } from 'rxjs';
import { createPrivateClient, type PrivateClient } from '../../lib/client';
import type { ReconciliationEvent } from '../../lib/reconcile/reconciler';
import { addDecimals, compareDecimals } from '../../lib/util/decimal';
import { cancelled, done, fill, newOrder, pushData } from '../../lib/testing/builders';
import { foldOrderLog, type FakeRestControls } from '../../lib/testing/fake-rest';
import type { FakeServer } from '../../lib/testing/fake-server';
import { storeDifferences } from '../../lib/testing/store-check';
import type { FetchLike } from '../../lib/util/fetch';
import { seededRandom } from '../../lib/util/random';
import { startExchange } from './exchange';

/**
 * Chaos over real loopback sockets: orders keep moving on 3 symbols while links drop,
 * connects are refused, token and REST requests fail, hang or answer slowly; then quiet.
 * The store must end equal to the exchange. Scale it with CHAOS_ORDERS, CHAOS_MS,
 * CHAOS_SEED and CHAOS_REALISTIC=1 (the exchange's own REST rate limits, 2 requests/s);
 * CHAOS_TRACE=1 prints every reconciliation event with its time.
 */
const ORDERS = Number(process.env.CHAOS_ORDERS ?? 60);
const CHAOS_MS = Number(process.env.CHAOS_MS ?? 2_000);
const SEED = Number(process.env.CHAOS_SEED ?? 7);
const REALISTIC = process.env.CHAOS_REALISTIC === '1';
const SYMBOLS = ['btcidr', 'ethidr', 'usdtidr'];

interface Live {
  readonly orderId: string;
  readonly symbol: string;
  readonly origQty: string;
  filled: string;
  trades: number;
}

describe('chaos: the store ends equal to the exchange', () => {
  let server: FakeServer;
  let rest: FakeRestControls;
  let client: PrivateClient;
  const timers: NodeJS.Timeout[] = [];
  const subs: Subscription[] = [];
  afterEach(async () => {
    timers.forEach((t) => clearInterval(t));
    subs.forEach((s) => s.unsubscribe());
    rest.release();
    await client.close();
    await server.close();
  });

  it(
    `${ORDERS} orders on 3 symbols through ${CHAOS_MS} ms of faults, then quiet`,
    async () => {
      ({ server, rest } = await startExchange({ pingIntervalMs: 500, pongTimeoutMs: 500 }));
      const random = seededRandom(SEED);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
      // slow REST: every answer takes 25–400 ms
      const slowFetch: FetchLike = async (url, init) => {
        const res = await (globalThis.fetch as unknown as FetchLike)(url, init);
        await new Promise((r) => setTimeout(r, 25 + Math.floor(random() * 375)));
        return res;
      };
      client = createPrivateClient({
        credentials: server.credentials,
        environment: server.environment,
        fetch: slowFetch,
        pingTimeoutMs: 500,
        requestTimeoutMs: 1_000,
        reconnect: { minDelayMs: 20, maxDelayMs: 300 },
        reconcile: {
          marginMs: 2_000,
          lookbackMs: 60_000,
          minDelayMs: 50,
          maxDelayMs: 500,
          tradeApi: {
            timeoutMs: 1_000,
            retry: { maxAttempts: 2, minDelayMs: 50, maxDelayMs: 200 },
            ...(REALISTIC
              ? {}
              : {
                  rateLimits: { legacy: { perSecond: 20 }, tapi: { perSecond: 20 }, api: { perSecond: 20 } },
                }),
          },
        },
      });
      const events: ReconciliationEvent[] = [];
      let lastSubscribedAt = 0;
      const t0 = Date.now();
      subs.push(
        client.reconciliation$.subscribe((e) => {
          events.push(e);
          if (process.env.CHAOS_TRACE === '1')
            process.stderr.write(`${Date.now() - t0} ${JSON.stringify(e)}\n`);
        }),
      );
      subs.push(
        client.status$.subscribe((s) => {
          if (s.state === 'subscribed') lastSubscribedAt = Date.now();
        }),
      );
      let latest = await firstValueFrom(client.orders$);
      subs.push(client.orders$.subscribe((s) => (latest = s)));
      await server.until((s) => s.subscribed === 1);

      // the market: place, fill in parts, cancel or complete, on 3 symbols
      const live: Live[] = [];
      let placed = 0;
      let tradeIds = 1_000_000;
      const step = (): void => {
        const now = Date.now();
        if (placed < ORDERS && (live.length < 12 || random() < 0.3)) {
          placed += 1;
          const symbol = pick(SYMBOLS);
          const o: Live = {
            orderId: `${symbol}-limit-${placed}`,
            symbol,
            origQty: '0.004',
            filled: '0',
            trades: 0,
          };
          live.push(o);
          server.publish(pushData(newOrder({ ...o, transactionTime: now })));
          return;
        }
        const o = live.length > 0 ? pick(live) : undefined;
        if (!o) return;
        const r = random();
        if (r < 0.6) {
          const qty = compareDecimals(addDecimals(o.filled, '0.001'), o.origQty) <= 0 ? '0.001' : '0';
          if (qty === '0') return;
          o.filled = addDecimals(o.filled, qty);
          o.trades += 1;
          tradeIds += 1;
          server.publish(
            pushData(
              fill({ ...o, qty, filledQty: o.filled, tradeId: String(tradeIds), transactionTime: now }),
            ),
          );
          if (compareDecimals(o.filled, o.origQty) === 0) {
            server.publish(pushData(done({ ...o, transactionTime: now })));
            live.splice(live.indexOf(o), 1);
          }
        } else if (r < 0.75) {
          server.publish(pushData(cancelled({ ...o, executedQty: o.filled, transactionTime: now })));
          live.splice(live.indexOf(o), 1);
        }
      };
      timers.push(
        setInterval(() => [0, 1, 2].forEach(step), Math.max(5, Math.floor(CHAOS_MS / (ORDERS * 2)))),
      );

      // the faults
      let faults = 0;
      const fault = (): void => {
        faults += 1;
        switch (Math.floor(random() * 6)) {
          case 0:
            server.dropConnections();
            break;
          case 1:
            server.rejectConnect(111, 'too many requests', { times: 2 });
            server.dropConnections();
            break;
          case 2:
            server.failNextTokenRequests(2, { status: 503 });
            server.dropConnections();
            break;
          case 3:
            rest.failNext(3, { status: 500 });
            break;
          case 4:
            rest.hangNext(1);
            break;
          default:
            server.disconnect(3001, 'shutdown');
        }
      };
      timers.push(setInterval(fault, Math.max(50, Math.floor(CHAOS_MS / 12))));
      await new Promise((r) => setTimeout(r, CHAOS_MS));

      // quiet: the market and the faults stop
      timers.forEach((t) => clearInterval(t));
      const tradedUntil = Date.now();
      while (placed < ORDERS || live.length > 0) {
        // finish the script quietly so the count of orders is exact (these pushes arrive)
        if (placed < ORDERS) step();
        else
          live
            .splice(0)
            .forEach((o) =>
              server.publish(
                pushData(cancelled({ ...o, executedQty: o.filled, transactionTime: Date.now() })),
              ),
            );
      }
      rest.release();
      await server.until((s) => s.subscribed === 1, 10_000);
      const book = () => foldOrderLog(server.orderLog());
      const equal = () => storeDifferences(latest, book()).length === 0;
      if (!equal()) {
        // bounded, so a failure shows the differences (the target is 10 s after the last resubscribe)
        await firstValueFrom(
          client.orders$.pipe(
            filter(() => equal()),
            timeout({ first: 20_000 }),
          ),
        ).catch(() => undefined);
      }
      const convergedAt = Date.now();
      const differences = storeDifferences(latest, book());
      const completed = events.filter(
        (e): e is Extract<ReconciliationEvent, { type: 'completed' }> => e.type === 'completed',
      );
      const byEndpoint: Record<string, number> = {};
      for (const c of rest.calls) byEndpoint[c.endpoint] = (byEndpoint[c.endpoint] ?? 0) + 1;
      const fills = [...book().values()].reduce((n, o) => n + o.fills.length, 0);
      console.log(
        `chaos (seed ${SEED}${REALISTIC ? ', 2 req/s' : ''}): ${book().size} orders, ${fills} fills on 3 symbols, ` +
          `${faults} faults in ${CHAOS_MS} ms; equal to the exchange ${convergedAt - Math.max(lastSubscribedAt, tradedUntil)} ms ` +
          `after the last resubscribe or push; ${rest.calls.length} REST requests ${JSON.stringify(byEndpoint)}; ` +
          `${completed.length} reconciliations, ${events.filter((e) => e.type === 'failed').length} failed attempts, ` +
          `calls per reconciliation ${completed.map((e) => e.calls).join('/')}, longest ${Math.max(0, ...completed.map((e) => e.durationMs))} ms`,
      );
      expect(differences).toEqual([]);
      expect(book().size).toBe(ORDERS);
    },
    CHAOS_MS + 40_000,
  );
});
