import { Subject } from 'rxjs';
import { startAccountLink, type BusPublisher, type LinkEvent } from '../../lib/bridge/account-link';
import { decodeOrderItem } from '../../lib/orders/decode';
import type { OrderUpdate } from '../../lib/orders';
import type { ConnectionStatus } from '../../lib/protocol/messages';
import { orderLifecycle } from '../../lib/testing/builders';

function setup(options: { maxBuffer?: number; autoAck?: boolean } = {}) {
  const gate = gatedPublisher(options.autoAck);
  const updates$ = new Subject<OrderUpdate>();
  const status$ = new Subject<ConnectionStatus>();
  const events: LinkEvent[] = [];
  const link = startAccountLink({
    account: 'acct0',
    source: () => ({ orderUpdates$: updates$, status$ }),
    publisher: gate.publisher,
    retry: { minMs: 1, maxMs: 2 },
    ...(options.maxBuffer === undefined ? {} : { maxBuffer: options.maxBuffer }),
    onEvent: (e) => events.push(e),
  });
  return { gate, updates$, status$, events, link };
}

function updates(n: number): OrderUpdate[] {
  const out: OrderUpdate[] = [];
  for (let k = 0; out.length < n; k++) {
    for (const item of orderLifecycle({ orderId: `btcidr-limit-${k}` })) {
      const d = decodeOrderItem(item);
      if (d.kind === 'update') out.push(d.update);
    }
  }
  return out.slice(0, n);
}

/** A publisher whose acks the test releases one by one. */
function gatedPublisher(autoAck = false) {
  const published: { subject: string; msgId: string }[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const record = (p: { subject: string; msgId: string }) => {
    published.push(p);
    for (const w of waiters.filter((w) => published.length >= w.n)) w.resolve();
  };
  const pending: (() => void)[] = [];
  const statuses: string[] = [];
  let failNext = 0;
  const publisher: BusPublisher = {
    publishUpdate: (subject, _payload, msgId) =>
      new Promise<void>((resolve, reject) => {
        if (failNext > 0) {
          failNext -= 1;
          reject(new Error('timeout'));
          return;
        }
        if (autoAck) {
          record({ subject, msgId });
          resolve();
          return;
        }
        pending.push(() => {
          record({ subject, msgId });
          resolve();
        });
      }),
    publishStatus: (subject, payload) => statuses.push(`${subject} ${payload}`),
  };
  return {
    publisher,
    published,
    statuses,
    failNext: (n: number) => (failNext = n),
    published$: (n: number) =>
      new Promise<void>((resolve) => (published.length >= n ? resolve() : waiters.push({ n, resolve }))),
    ackAll: async () => {
      while (pending.length > 0) {
        pending.shift()!();
        await new Promise((r) => setImmediate(r));
      }
    },
  };
}

describe('startAccountLink', () => {
  it('publishes in order with subjects and msg ids, status on core NATS', async () => {
    const { gate, updates$, status$, link } = setup();
    status$.next({ state: 'subscribed', channel: 'pws:#1' });
    for (const u of updates(4)) updates$.next(u);
    await gate.ackAll();
    expect(gate.published.map((p) => p.msgId)).toEqual([
      'acct0:btcidr-limit-0:NEW:0',
      expect.stringMatching(/^acct0:btcidr-limit-0:FILL:\d+$/),
      expect.stringMatching(/^acct0:btcidr-limit-0:FILL:\d+$/),
      'acct0:btcidr-limit-0:DONE:0.01',
    ]);
    expect(gate.published[0]!.subject).toBe('indodax.orders.acct0.btcidr.NEW');
    expect(gate.statuses).toEqual(['indodax.status.acct0 {"state":"subscribed","channel":"pws:#1"}']);
    expect(await link.stop()).toBe(true);
  });

  it('a failed publish is retried, never dropped', async () => {
    const { gate, updates$, events, link } = setup({ autoAck: true });
    gate.failNext(3);
    for (const u of updates(2)) updates$.next(u);
    await gate.published$(2);
    expect(gate.published).toHaveLength(2);
    expect(
      events.filter((e) => e.type === 'publish-retry').map((e) => (e as { attempt: number }).attempt),
    ).toEqual([1, 2, 3]);
    await link.stop();
  });

  it('a full buffer stops reading the account (unsubscribes) and says so; it reads again once half is acknowledged', async () => {
    const { gate, updates$, events, link } = setup({ maxBuffer: 4 });
    for (const u of updates(4)) updates$.next(u);
    expect(link.paused()).toBe(true);
    expect(updates$.observed).toBe(false); // the socket is let go
    expect(events).toEqual([{ type: 'paused', account: 'acct0', buffered: 4 }]);
    await gate.ackAll();
    expect(events[1]).toEqual({ type: 'resumed', account: 'acct0', buffered: 2 });
    expect(updates$.observed).toBe(true);
    expect(gate.published).toHaveLength(4);
    await link.stop();
  });
});
