import { jetstreamManager } from '@nats-io/jetstream';
import { NEVER, Subject } from 'rxjs';
import { startAccountLink, type LinkEvent } from '../../lib/bridge/account-link';
import { openBridgeBus, type BridgeBus } from '../../lib/bridge/bus-connection';
import { BusPublishError } from '../../lib/bridge/publish-errors';
import { ORDERS_STREAM } from '../../lib/bus/names';
import { decodeOrderItem } from '../../lib/orders/decode';
import type { OrderUpdate } from '../../lib/orders';
import { orderLifecycle } from '../../lib/testing/builders';
import { eventually, startNats, storedFor, type TestNats } from '../bus/support/nats-server';

describe('openBridgeBus', () => {
  let nats: TestNats;
  beforeEach(async () => {
    nats = await startNats();
  });
  afterEach(async () => {
    await nats.stop();
  });

  it('bridges starting together all get the stream and the lease bucket (no creation race)', async () => {
    const buses: BridgeBus[] = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        openBridgeBus({ servers: nats.url, name: `b${i}`, leaseMs: 2_000 }),
      ),
    );
    try {
      expect(buses.map((b) => b.leaseMs)).toEqual(Array(12).fill(2_000));
    } finally {
      await Promise.all(buses.map((b) => b.nc.close()));
    }
  });
});

describe('openBridgeBus: many publishes at once', () => {
  let nats: TestNats;
  beforeAll(async () => {
    nats = await startNats();
  });
  afterAll(async () => {
    await nats.stop();
  });

  it('each is acknowledged on its own, stored in the order asked; one that fails fails alone', async () => {
    const bus = await openBridgeBus({ servers: nats.url, name: 'turn', leaseMs: 2_000 });
    try {
      const subject = (i: number) => `indodax.orders.acct${i % 3}.btcidr.NEW`;
      // 300 in one synchronous loop, one of them on a subject no stream takes (no responders)
      const asked = Array.from({ length: 300 }, (_, i) =>
        bus.publisher
          .publishUpdate(i === 150 ? 'elsewhere.not.stored' : subject(i), `{"n":${i}}`, `turn-${i}`)
          .then(
            () => 'ok',
            (e: unknown) => (e instanceof BusPublishError ? e.kind : 'other'),
          ),
      );
      const results = await Promise.all(asked);
      expect(results.filter((r) => r !== 'ok')).toEqual(['lost']);
      expect(results[150]).toBe('lost');
      // and a publish of a later turn is not held back by anything
      await bus.publisher.publishUpdate(subject(0), '{"n":300}', 'turn-300');

      const jsm = await jetstreamManager(bus.nc);
      const stored: number[] = [];
      for (let seq = 1; seq <= 300; seq++) {
        const m = await jsm.streams.getMessage(ORDERS_STREAM, { seq });
        stored.push((m!.json() as { n: number }).n);
      }
      expect(stored).toEqual([...Array.from({ length: 300 }, (_, i) => i).filter((i) => i !== 150), 300]);
    } finally {
      await bus.nc.close();
    }
  });
});

describe('openBridgeBus against a server with a small max_payload', () => {
  let nats: TestNats;
  beforeAll(async () => {
    nats = await startNats({ config: 'max_payload: 4096' });
  });
  afterAll(async () => {
    await nats.stop();
  });

  it('reads max_payload from the server; an update over it is skipped, the next one is stored', async () => {
    const bus = await openBridgeBus({ servers: nats.url, name: 'small', leaseMs: 2_000 });
    const events: LinkEvent[] = [];
    const updates$ = new Subject<OrderUpdate>();
    try {
      expect(bus.maxPayload()).toBe(4096);
      const link = startAccountLink({
        account: 'acct0',
        source: () => ({ orderUpdates$: updates$, status$: NEVER }),
        publisher: bus.publisher,
        maxPayload: () => bus.maxPayload(),
        onEvent: (e) => events.push(e),
      });
      const [a, b] = orderLifecycle({ orderId: 'btcidr-limit-1' })
        .map((i) => decodeOrderItem(i))
        .flatMap((d) => (d.kind === 'update' ? [d.update] : [])) as [OrderUpdate, OrderUpdate];
      updates$.next({ ...a, order: { ...a.order, description: 'x'.repeat(5_000) } } as OrderUpdate);
      updates$.next(b);
      await eventually('the next update stored', async () =>
        (await storedFor(nats.url, 'acct0')) === 1 ? true : undefined,
      );
      expect(events).toEqual([
        expect.objectContaining({ type: 'skipped', orderId: 'btcidr-limit-1', status: 'NEW' }),
      ]);
      expect(await link.stop()).toBe(true);
    } finally {
      await bus.nc.close();
    }
  });
});
