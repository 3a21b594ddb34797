import { NEVER, Subject, VirtualTimeScheduler, defer, throwError } from 'rxjs';
import { startAccountLink, type BusPublisher, type LinkEvent } from '../../lib/bridge/account-link';
import type { BridgeMeter } from '../../lib/bridge/meter';
import { ChannelError } from '../../lib/connection/types';
import type { ReconciliationEvent } from '../../lib/reconcile/events';
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

  it('an id that would break the header is skipped and said (escaped); the next update flows', async () => {
    const { gate, updates$, events, link } = setup({ autoAck: true });
    const [a, b] = updates(2) as [OrderUpdate, OrderUpdate];
    updates$.next({ ...a, order: { ...a.order, orderId: 'evil\r\nNats-Msg-Id: x' } } as OrderUpdate);
    updates$.next(b);
    await gate.published$(1);
    expect(gate.published.map((p) => p.msgId)).toEqual([
      expect.stringMatching(/^acct0:btcidr-limit-0:FILL:/),
    ]);
    expect(events).toEqual([
      {
        type: 'skipped',
        account: 'acct0',
        reason: 'the message id holds a control character or is too long',
        orderId: 'evil\\r\\nNats-Msg-Id: x',
        status: 'NEW',
      },
    ]);
    expect(await link.stop()).toBe(true);
  });

  it('a payload over the server’s max_payload is skipped; the next update flows', async () => {
    const gate = gatedPublisher(true);
    const updates$ = new Subject<OrderUpdate>();
    const events: LinkEvent[] = [];
    const [a, b] = updates(2) as [OrderUpdate, OrderUpdate];
    const link = startAccountLink({
      account: 'acct0',
      source: () => ({ orderUpdates$: updates$, status$: NEVER }),
      publisher: gate.publisher,
      maxPayload: () => 1_000,
      onEvent: (e) => events.push(e),
    });
    updates$.next({ ...a, order: { ...a.order, description: 'x'.repeat(2_000) } } as OrderUpdate);
    updates$.next(b);
    await gate.published$(1);
    expect(gate.published).toHaveLength(1);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'skipped',
        orderId: 'btcidr-limit-0',
        reason: expect.stringMatching(/max_payload \(1000\)/),
      }),
    ]);
    await link.stop();
  });

  it('a permanent failure is said once, published as status failed, and re-checked only every recheckFailedMs (virtual time)', () => {
    const scheduler = new VirtualTimeScheduler(undefined, 30 * 60_000);
    let tokenRequests = 0;
    const events: LinkEvent[] = [];
    const statuses: string[] = [];
    // each source is one token request that answers "invalid credentials" (ChannelError kind token)
    const failing = defer(() => {
      tokenRequests += 1;
      return throwError(() => new ChannelError('token', undefined, 'invalid_credentials: bad key'));
    });
    const link = startAccountLink({
      account: 'acct0',
      source: () => ({ orderUpdates$: NEVER, status$: failing }),
      publisher: { publishUpdate: () => Promise.resolve(), publishStatus: (_s, p) => statuses.push(p) },
      scheduler,
      onEvent: (e) => events.push(e),
    });
    scheduler.flush(); // 30 virtual minutes
    expect(tokenRequests).toBe(1 + 6); // at 0, then every 5 minutes: never every 2 s
    expect(events.filter((e) => e.type === 'account-failed')).toEqual([
      {
        type: 'account-failed',
        account: 'acct0',
        reason: 'token: invalid_credentials: bad key',
        recheckInMs: 300_000,
      },
    ]);
    expect(JSON.parse(statuses[0]!)).toEqual({
      state: 'failed',
      reason: 'token: invalid_credentials: bad key',
      recheckInMs: 300_000,
    });
    void link.stop(0);
  });

  it('tells the meter each ack, retry, reconnect and reconciliation, and emits each finished reconciliation', async () => {
    const gate = gatedPublisher(true);
    gate.failNext(1);
    const updates$ = new Subject<OrderUpdate>();
    const status$ = new Subject<ConnectionStatus>();
    const reconciliation$ = new Subject<ReconciliationEvent>();
    const facts: string[] = [];
    const meter: BridgeMeter = {
      published: (a, s) => facts.push(`published ${a} ${s >= 0}`),
      publishRetried: (a) => facts.push(`retried ${a}`),
      reconnected: (a) => facts.push(`reconnected ${a}`),
      reconciled: (a, r) => facts.push(`reconciled ${a} ${r}`),
      leaseChanged: () => undefined,
    };
    const events: LinkEvent[] = [];
    const link = startAccountLink({
      account: 'acct0',
      source: () => ({ orderUpdates$: updates$, status$, reconciliation$ }),
      publisher: gate.publisher,
      retry: { minMs: 1, maxMs: 2 },
      meter,
      onEvent: (e) => events.push(e),
    });
    status$.next({ state: 'connected', client: 'c1' });
    reconciliation$.next({
      type: 'completed',
      reason: 'start',
      gapMs: 0,
      orders: 1,
      fills: 0,
      unresolved: [],
      calls: 2,
      durationMs: 5,
      changed: 0,
    });
    status$.next({ state: 'connected', client: 'c2' });
    reconciliation$.next({
      type: 'completed',
      reason: 'reconnect',
      gapMs: 9,
      orders: 1,
      fills: 1,
      unresolved: [],
      calls: 2,
      durationMs: 5,
      changed: 2,
    });
    reconciliation$.next({ type: 'failed', reason: 'http 500', attempt: 1, retryInMs: 100 });
    updates$.next(updates(1)[0]!);
    await gate.published$(1);
    await new Promise((r) => setImmediate(r)); // the link's own then() after the ack
    expect(facts).toEqual([
      'reconciled acct0 ok',
      'reconnected acct0',
      'reconciled acct0 changed',
      'reconciled acct0 failed',
      'retried acct0',
      'published acct0 true',
    ]);
    expect(events.filter((e) => e.type === 'reconciliation')).toEqual([
      { type: 'reconciliation', account: 'acct0', result: 'ok', changed: 0, trigger: 'start' },
      { type: 'reconciliation', account: 'acct0', result: 'changed', changed: 2, trigger: 'reconnect' },
      { type: 'reconciliation', account: 'acct0', result: 'failed', reason: 'http 500' },
    ]);
    await link.stop();
  });

  it('publishes nothing before the bus binds the account to its exchange user, and nothing at all on a mismatch', async () => {
    const gate = gatedPublisher(true);
    const updates$ = new Subject<OrderUpdate>();
    const status$ = new Subject<ConnectionStatus>();
    const events: LinkEvent[] = [];
    let answer: (a: 'ok' | 'mismatch') => void = () => undefined;
    const link = startAccountLink({
      account: 'acct0',
      source: () => ({ orderUpdates$: updates$, status$ }),
      publisher: gate.publisher,
      identity: () => new Promise((resolve) => (answer = resolve)),
      onEvent: (e) => events.push(e),
    });
    status$.next({ state: 'subscribed', channel: 'pws:#other' });
    for (const u of updates(2)) updates$.next(u);
    await new Promise((r) => setImmediate(r));
    expect(gate.published).toHaveLength(0);
    answer('mismatch');
    await new Promise((r) => setImmediate(r));
    expect(gate.published).toHaveLength(0);
    expect(gate.statuses).toEqual([]); // not even its connection status
    expect(updates$.observed).toBe(false);
    expect(events.filter((e) => e.type === 'identity-mismatch')).toEqual([
      { type: 'identity-mismatch', account: 'acct0', reason: expect.stringMatching(/another exchange user/) },
    ]);
    expect(await link.stop()).toBe(true);
  });
});
