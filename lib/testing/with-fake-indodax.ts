import { filter, firstValueFrom, takeUntil } from 'rxjs';
import { safeTimer } from '../util/safe-timer';
import { createPrivateClient, type PrivateClient, type PrivateClientOptions } from '../client';
import { fakeRestRoutes, type FakeRestControls, type FakeRestOptions } from './fake-rest';
import { startFakeServer } from './fake-server';
import type { FakeServer, FakeServerOptions } from './fake-server-types';

/** What {@link withFakeIndodax} hands the test. */
export interface FakeIndodax {
  /** The fake exchange (publish, fault controls, `until`, counters). */
  readonly server: FakeServer;
  /**
   * A client of the fake's default account, already subscribed to its channel, its first
   * reconciliation done (unless `reconcile: false`).
   */
  readonly client: PrivateClient;
  /** The fake REST trade API's controls (faults, call log); absent with `rest: false`. */
  readonly rest?: FakeRestControls;
}

/** Options of {@link withFakeIndodax}. */
export interface WithFakeIndodaxOptions {
  /** Options of the fake server (default: fast pings, 50 ms). */
  readonly server?: FakeServerOptions;
  /** Options of the client (default: reconciliation on, against the fake REST API). */
  readonly client?: Omit<PrivateClientOptions, 'credentials' | 'environment'>;
  /** Serve the fake REST trade API, so reconciliation has something to ask (default `true`). */
  readonly rest?: boolean | FakeRestOptions;
  /** How long to wait for the subscribe and the first reconciliation before failing (default 5 000 ms). */
  readonly connectTimeoutMs?: number;
}

/**
 * Runs `test` against a fresh fake Indodax and a client connected to it, then tears both
 * down, whether the test passed or threw: `client.close()` (every stream completes, the
 * socket closes), then `server.close()`. Jest exits cleanly afterwards.
 *
 * ## Example
 * ```ts
 * import { firstValueFrom } from 'rxjs';
 * import { newOrder, withFakeIndodax } from 'indodax-pws/testing';
 *
 * it('sees a new order', () =>
 *   withFakeIndodax(async ({ server, client }) => {
 *     const first = firstValueFrom(client.orderUpdates$);
 *     server.publish([newOrder({ orderId: 'btcidr-limit-1' })]);
 *     expect((await first).status).toBe('NEW');
 *   }));
 * ```
 *
 * @param test - gets `{ server, client, rest }`; its result is returned
 * @param options - server, client and REST options
 */
export async function withFakeIndodax<T>(
  test: (fake: FakeIndodax) => Promise<T> | T,
  options: WithFakeIndodaxOptions = {},
): Promise<T> {
  let rest: FakeRestControls | undefined;
  const restOptions = typeof options.rest === 'object' ? options.rest : {};
  const server = await startFakeServer({
    pingIntervalMs: 50,
    ...options.server,
    ...(options.rest === false
      ? {}
      : {
          routes: (srv: FakeServer) => {
            const made = fakeRestRoutes(
              {
                orderLog: (key) => srv.accountByKey(key)?.orderLog ?? [],
                secretOf: (key) => srv.secretOf(key),
              },
              restOptions,
            );
            rest = made.controls;
            const own = options.server?.routes;
            return [...made.routes, ...(typeof own === 'function' ? own(srv) : (own ?? []))];
          },
        }),
  });
  const client = createPrivateClient({
    pingIntervalMs: 50,
    ...options.client,
    credentials: server.credentials,
    environment: server.environment,
  });
  const timeoutMs = options.connectTimeoutMs ?? 5_000;
  // The first reconciliation (when on) settles before the test starts, so it starts quiet.
  const settled = firstValueFrom(
    client.reconciliation$.pipe(
      filter((e) => e.type !== 'started'),
      takeUntil(safeTimer(timeoutMs)),
    ),
    { defaultValue: undefined },
  );
  // Holds the connection open (and the store live) for the whole test.
  const held = client.orders$.subscribe({ error: () => undefined });
  try {
    await server.until((s) => s.subscribed >= 1, timeoutMs);
    if (options.client?.reconcile !== false && (await settled) === undefined) {
      throw new Error(`withFakeIndodax: the first reconciliation did not end within ${timeoutMs} ms`);
    }
    return await test({ server, client, ...(rest ? { rest } : {}) });
  } finally {
    // Every stream completes (also those the test left subscribed), the socket closes with
    // 1000, the client's timers and REST reads stop; then the fake closes.
    await client.close();
    held.unsubscribe();
    await server.close();
  }
}
