import { connect, type NatsConnection } from '@nats-io/transport-node';
import { TestScheduler } from 'rxjs/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { ackError, jetStreamPublisher } from '../../lib/bridge/js-publisher';
import { isRevisionConflict } from '../../lib/bridge/lease-errors';
import { BusPublishError, publishFailureKind } from '../../lib/bridge/publish-errors';
import { ORDERS_STREAM, ORDERS_SUBJECTS } from '../../lib/bus/names';
import { startNats, storedFor, type TestNats } from '../bus/support/nats-server';

const bytes = (text: string) => new TextEncoder().encode(text);
/** What a publish came to: 'ok', or the kind it failed with and its message. */
const outcome = (p: Promise<void>) =>
  p.then(
    () => 'ok',
    (e: unknown) => `${publishFailureKind(e)}: ${e instanceof Error ? e.message : String(e)}`,
  );

describe('ackError (a JetStream ack, read)', () => {
  it.each([
    { ack: '{"stream":"INDODAX_ORDERS","seq":7}', said: undefined },
    { ack: '{"stream":"INDODAX_ORDERS","seq":7,"duplicate":true}', said: undefined },
    {
      ack: '{"error":{"code":404,"err_code":10059,"description":"stream not found"}}',
      said: 'lost: JetStream: stream not found (err_code 10059)',
    },
    {
      ack: '{"error":{"code":503,"err_code":10039,"description":"jetstream not enabled"}}',
      said: 'lost: JetStream: jetstream not enabled (err_code 10039)',
    },
    {
      ack: '{"error":{"code":400,"err_code":10077,"description":"maximum messages exceeded"}}',
      said: 'transient: JetStream: maximum messages exceeded (err_code 10077)',
    },
    { ack: '{"error":{}}', said: 'transient: JetStream: no description (err_code undefined)' },
    { ack: 'not json', said: 'transient: an ack that is not JSON (8 bytes)' },
    { ack: '42', said: 'transient: an ack that is not an object' },
    { ack: '{"seq":1}', said: 'transient: an ack that names no stream' },
    { ack: '{"stream":""}', said: 'transient: an ack that names no stream' },
  ])('$ack → $said', ({ ack, said }) => {
    const error = ackError(undefined, bytes(ack));
    expect(error === undefined ? undefined : `${error.kind}: ${error.message}`).toBe(said);
  });

  it('a 503 status with no body is "no responders": no stream takes the subject', () => {
    expect(ackError(503, new Uint8Array())).toEqual(
      new BusPublishError('lost', 'no stream takes the subject (no responders)'),
    );
  });

  it('reads a body that is a view into a larger buffer (as the NATS parser hands it)', () => {
    const whole = bytes('xx{"stream":"S","seq":1}yy');
    expect(ackError(undefined, whole.subarray(2, whole.length - 2))).toBeUndefined();
  });
});

describe('jetStreamPublisher: the timeout, in virtual time', () => {
  /** A connection that sends nothing anywhere: it notes the reply subjects and acks on demand. */
  const stubConnection = () => {
    let deliver: ((e: Error | null, m: unknown) => void) | undefined;
    const replies: string[] = [];
    const nc = {
      subscribe: (_s: string, o: { callback: (e: Error | null, m: unknown) => void }) => {
        deliver = o.callback;
        return { unsubscribe: () => undefined };
      },
      publish: (_s: string, _p: string, o: { reply: string }) => void replies.push(o.reply),
      isClosed: () => false,
      closed: () => new Promise(() => undefined),
    } as unknown as NatsConnection;
    const ack = (i: number) =>
      deliver?.(null, { subject: replies[i], data: bytes('{"stream":"S","seq":1}'), headers: undefined });
    return { nc, ack };
  };

  it('fails a publish between timeoutMs and 5/4 of it after it was sent; an acked one never', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    const { nc, ack } = stubConnection();
    const js = jetStreamPublisher(nc, { timeoutMs: 100, scheduler });
    const seen: Array<[number, number]> = [];
    const at = (t: number, f: () => void) => scheduler.schedule(f, t);
    const look = (t: number) => at(t, () => seen.push([t, js.pending()]));
    const quiet = (p: Promise<void>) => void p.catch(() => undefined);
    at(0, () => quiet(js.publish('s', '{}', 'a'))); // 0: a (the sweeper starts: every 25)
    at(30, () => quiet(js.publish('s', '{}', 'b'))); // 1: b, in the second sweep
    at(40, () => quiet(js.publish('s', '{}', 'c'))); // 2: c, acked at 60
    at(60, () => ack(2));
    [61, 99, 124, 126, 149, 151].forEach(look);
    at(300, () => quiet(js.publish('s', '{}', 'd'))); // 3: alone, the sweeper starts again
    [399, 424, 426].forEach(look);
    scheduler.flush();
    expect(seen).toEqual([
      [61, 2],
      [99, 2], // a is not failed before its timeout
      [124, 2],
      [126, 1], // a: failed at the fifth sweep (125)
      [149, 1],
      [151, 0], // b: sent after the first sweep, failed at the sixth (150)
      [399, 1],
      [424, 1],
      [426, 0],
    ]);
  });
});

describe('jetStreamPublisher against nats-server', () => {
  let nats: TestNats;
  let nc: NatsConnection;
  beforeAll(async () => {
    nats = await startNats({ config: 'max_payload: 4096' });
    nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: ORDERS_STREAM, subjects: [ORDERS_SUBJECTS] });
  });
  afterAll(async () => {
    await nc.close();
    await nats.stop();
  });

  it('stores with the msg id, resolves on the ack; a duplicate id resolves and is stored once', async () => {
    const js = jetStreamPublisher(nc, { timeoutMs: 5_000 });
    const subject = 'indodax.orders.dup0.btcidr.NEW';
    await js.publish(subject, '{"n":1}', 'dup0:1');
    await js.publish(subject, '{"n":1}', 'dup0:1');
    await js.publish(subject, '{"n":2}', 'dup0:2');
    expect(await storedFor(nats.url, 'dup0')).toBe(2);
    expect(js.pending()).toBe(0);
    js.close();
  });

  it('tells each answer apart: stored, no stream, a JetStream error, an unreadable ack', async () => {
    // a responder in JetStream's place on `fake.>`, answering as the subject asks
    const seen: string[] = [];
    const fake = nc.subscribe('fake.>', {
      callback: (_e, m) => {
        seen.push(m.headers?.get('Nats-Msg-Id') ?? '(none)');
        const kind = m.subject.split('.')[1];
        if (kind === 'ok') m.respond('{"stream":"FAKE","seq":1}');
        if (kind === 'gone')
          m.respond('{"error":{"code":404,"err_code":10059,"description":"stream not found"}}');
        if (kind === 'full') m.respond('{"error":{"code":503,"err_code":10077,"description":"full"}}');
        if (kind === 'garbage') m.respond('<html>');
      },
    });
    await nc.flush();
    const js = jetStreamPublisher(nc, { timeoutMs: 5_000 });
    try {
      const results = await Promise.all(
        ['ok', 'gone', 'full', 'garbage'].map((k) => outcome(js.publish(`fake.${k}`, '{}', `id-${k}`))),
      );
      expect(results).toEqual([
        'ok',
        'lost: JetStream: stream not found (err_code 10059)',
        'transient: JetStream: full (err_code 10077)',
        'transient: an ack that is not JSON (6 bytes)',
      ]);
      expect(seen).toEqual(['id-ok', 'id-gone', 'id-full', 'id-garbage']);
      // no responders at all: a subject nothing listens on
      expect(await outcome(js.publish('nowhere.at.all', '{}', 'id-none'))).toBe(
        'lost: no stream takes the subject (no responders)',
      );
    } finally {
      fake.unsubscribe();
      js.close();
    }
  });

  it('updates only from the revision given (a KV update), resolving the new one; a lost race is a conflict', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'KV_cas', subjects: ['$KV.cas.>'], max_msgs_per_subject: 1 });
    const js = jetStreamPublisher(nc, { timeoutMs: 5_000 });
    try {
      const first = await js.update('$KV.cas.acct0', 'bridge-a', 0); // 0: no message yet
      const second = await js.update('$KV.cas.acct0', 'bridge-a', first);
      expect(second).toBeGreaterThan(first);
      // another bridge wrote from `first` too late: it lost the race
      const late = await js.update('$KV.cas.acct0', 'bridge-b', first).catch((e: unknown) => e);
      expect(late).toBeInstanceOf(BusPublishError);
      expect(late).toMatchObject({ kind: 'transient', code: 10071 });
      expect(isRevisionConflict(late)).toBe(true);
      expect(isRevisionConflict(new BusPublishError('transient', 'x', { code: 10077 }))).toBe(false);
      expect(isRevisionConflict(new BusPublishError('transient', 'x'))).toBe(false);
      const last = await jsm.streams.getMessage('KV_cas', { last_by_subj: '$KV.cas.acct0' });
      expect([last?.seq, last?.string()]).toEqual([second, 'bridge-a']);
    } finally {
      js.close();
    }
  });

  it('times out an ack that never comes (transient) and ignores it when it comes late', async () => {
    const late: Array<() => void> = [];
    const silent = nc.subscribe('slow.>', {
      callback: (_e, m) => void late.push(() => m.respond('{"stream":"FAKE","seq":1}')),
    });
    await nc.flush();
    const js = jetStreamPublisher(nc, { timeoutMs: 60 });
    try {
      const started = performance.now();
      expect(await outcome(js.publish('slow.a', '{}', 'slow-a'))).toBe(
        'transient: no JetStream ack within 60 ms',
      );
      const took = performance.now() - started;
      expect(took).toBeGreaterThanOrEqual(55); // never before the timeout (timer granularity aside)
      expect(js.pending()).toBe(0);
      // the answer arrives after all: nothing is settled twice, nothing breaks
      late.forEach((answer) => answer());
      await nc.flush();
      expect(await outcome(js.publish('indodax.orders.late0.btcidr.NEW', '{}', 'late0:1'))).toBe('ok');
    } finally {
      silent.unsubscribe();
      js.close();
    }
  });

  it('refuses what the client will not send (over max_payload): nothing waits for it', async () => {
    const js = jetStreamPublisher(nc, { timeoutMs: 5_000 });
    const result = await outcome(js.publish('indodax.orders.big0.btcidr.NEW', 'x'.repeat(5_000), 'big0:1'));
    expect(result).toMatch(/^refused: /);
    expect(js.pending()).toBe(0);
    js.close();
  });

  it('fails what waits when closed, and every publish after', async () => {
    const hold = nc.subscribe('hold.>', { callback: () => undefined });
    await nc.flush();
    const js = jetStreamPublisher(nc, { timeoutMs: 5_000 });
    const waiting = outcome(js.publish('hold.a', '{}', 'hold-a'));
    expect(js.pending()).toBe(1);
    js.close();
    expect(await waiting).toBe('transient: the publisher was closed');
    expect(await outcome(js.publish('hold.b', '{}', 'hold-b'))).toBe('transient: the publisher is closed');
    hold.unsubscribe();
  });

  it('fails what waits when the connection closes', async () => {
    const own = await connect({ servers: nats.url });
    const hold = own.subscribe('hold.>', { callback: () => undefined });
    await own.flush();
    const js = jetStreamPublisher(own, { timeoutMs: 5_000 });
    const waiting = outcome(js.publish('hold.c', '{}', 'hold-c'));
    await own.flush();
    hold.unsubscribe();
    await own.close();
    expect(await waiting).toBe('transient: the NATS connection closed');
    expect(js.pending()).toBe(0);
    expect(await outcome(js.publish('hold.d', '{}', 'hold-d'))).toBe(
      'transient: the NATS connection is closed',
    );
  });
});
