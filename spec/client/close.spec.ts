import { filter, firstValueFrom, lastValueFrom, take, toArray, type Observable } from 'rxjs';
import { createPrivateClient } from '../../lib/client';
import type { FakeRestControls } from '../../lib/testing/fake-rest';
import type { FakeServer, FakeServerEvent } from '../../lib/testing/fake-server';
import type { FetchLike } from '../../lib/util/fetch';
import { startExchange } from './exchange';

describe('client.close() against the fake exchange (issue 13, item 4)', () => {
  let server: FakeServer;
  let rest: FakeRestControls;
  beforeEach(async () => {
    ({ server, rest } = await startExchange());
  });
  afterEach(async () => {
    rest.release();
    await server.close();
  });

  it('completes every stream, closes the socket with 1000, cancels the REST read in flight; idempotent', async () => {
    const signals: AbortSignal[] = [];
    const fetch: FetchLike = (url, init) => {
      signals.push(init.signal);
      return (globalThis.fetch as unknown as FetchLike)(url, init);
    };
    rest.hangNext(1); // the first reconciliation's first read never answers
    const client = createPrivateClient({
      credentials: server.credentials,
      environment: server.environment,
      fetch,
      reconnect: { minDelayMs: 10, maxDelayMs: 20 },
    });
    const streams: Observable<unknown>[] = [
      client.messages$,
      client.status$,
      client.orderUpdates$,
      client.byStatus.FILL,
      client.orders$,
      client.invalid$,
      client.reconciliation$,
    ];
    const ends = streams.map((s$) => lastValueFrom(s$.pipe(toArray())).then(() => 'complete'));
    const closes = firstValueFrom(
      server.events$.pipe(
        filter((e): e is Extract<FakeServerEvent, { type: 'close' }> => e.type === 'close'),
      ),
    );
    await server.until((s) => s.subscribed === 1);
    await firstValueFrom(client.reconciliation$.pipe(take(1))); // started: a REST read is in flight
    const first = client.close();
    expect(client.close()).toBe(first);
    await first;
    expect(await Promise.all(ends)).toEqual(streams.map(() => 'complete'));
    expect(await closes).toMatchObject({ code: 1000, by: 'client' });
    expect(server.stats().openSockets).toBe(0);
    const restSignals = signals.slice(1); // the first is the token request
    expect(restSignals.length).toBeGreaterThan(0);
    expect(restSignals.every((s) => s.aborted)).toBe(true);
    // nothing reconnects, and a late subscriber completes at once
    const accepted = server.stats().connectionsAccepted;
    expect(await lastValueFrom(client.orders$.pipe(toArray()))).toHaveLength(1);
    expect(server.stats().connectionsAccepted).toBe(accepted);
  });

  it('resolves at once when no socket is open, and closes a client that never connected', async () => {
    const client = createPrivateClient({
      credentials: server.credentials,
      environment: server.environment,
      reconcile: false,
    });
    await client.close();
    expect(await lastValueFrom(client.status$.pipe(toArray()))).toEqual([]);
    expect(server.stats().connectionsAccepted).toBe(0);
  });
});
