import { asyncScheduler, repeat, type SchedulerLike, type Subscription } from 'rxjs';
import { loadNats, type NatsConnection } from '../bus/nats';
import { MAX_TIMER_MS, safeTimer } from '../util/safe-timer';
import { BusPublishError, LOST_CODES } from './publish-errors';

/** What waits for its ack: how to settle it, and the sweep it was sent in. */
interface Pending {
  readonly resolve: (seq: number) => void;
  readonly reject: (error: BusPublishError) => void;
  readonly sweep: number;
}

/** Sweeps per timeout: an unacknowledged publish fails between `timeoutMs` and 5/4 of it after it was sent. */
const SWEEPS = 4;

/** A JetStream publisher on one connection. @internal */
export interface JetStreamPublisher {
  /**
   * Publishes `payload` to `subject` with the header `Nats-Msg-Id: msgId` and resolves on the
   * JetStream ack (a duplicate's ack too). Rejects with a {@link BusPublishError}: `lost` when no
   * stream takes the subject (no responders, stream not found, JetStream not enabled),
   * `transient` on a timeout, a closed connection, another JetStream error or an ack it cannot
   * read; what `nc.publish` itself refuses (a payload over `max_payload`) rejects with that error.
   */
  publish(subject: string, payload: string, msgId: string): Promise<void>;
  /**
   * Writes `payload` to `subject` only if the subject's last message is `revision` (header
   * `Nats-Expected-Last-Subject-Sequence`; 0: no message yet), and resolves its new sequence: a
   * KV update when `subject` is the key's (`$KV.<bucket>.<key>`). A write that lost the race
   * rejects with a `transient` {@link BusPublishError} whose `code` is 10071 (wrong last sequence).
   */
  update(subject: string, payload: string, revision: number): Promise<number>;
  /** How many publishes wait for their ack. */
  pending(): number;
  /** Fails every pending publish (`transient`) and stops listening; later publishes fail too. */
  close(): void;
}

/**
 * JetStream publishing with acks, lean: every publish's reply subject is one token under a
 * single inbox subscription of its own, and one sweep timer (armed only while something waits)
 * times out what was not acknowledged. The NATS client's `js.publish` makes a request per
 * publish instead: a promise race, a timer, a cancelled-request error and a headers map each
 * time, most of which outlive a young-generation collection at a few hundred publishes a second
 * (that is the bridge's pause). The ack is read as JetStream writes it: `{"stream","seq"}` or
 * `{"error":{"code","err_code","description"}}`; a 503 status with no body is "no responders".
 *
 * ```text
 * publish   a──b──c─────────────d──
 * acks      ──a──b──────────────d──      (c's never comes)
 * settled   ──a──b──────[c: transient, timed out]──d──
 * ```
 *
 * ## Example
 * ```ts
 * const js = jetStreamPublisher(nc, { timeoutMs: 5_000 });
 * await js.publish('indodax.orders.acct0.btcidr.NEW', '{"status":"NEW"}', 'acct0:btcidr-limit-1:NEW:0');
 * ```
 * @internal
 */
export function jetStreamPublisher(
  nc: NatsConnection,
  options: {
    readonly timeoutMs: number;
    /** The inbox prefix the connection may subscribe under (default `_INBOX`). */
    readonly inboxPrefix?: string;
    readonly scheduler?: SchedulerLike;
  },
): JetStreamPublisher {
  const { transport } = loadNats();
  const prefix = transport.createInbox(options.inboxPrefix);
  const start = prefix.length + 1;
  const waiting = new Map<string, Pending>();
  const sweepMs = Math.max(1, Math.min(MAX_TIMER_MS, options.timeoutMs) / SWEEPS);
  let sweep = 0;
  let sweeper: Subscription | undefined;
  let sent = 0;
  let closed = false;

  const settle = (token: string, error?: BusPublishError, seq = 0): void => {
    const p = waiting.get(token);
    if (p === undefined) return; // timed out already, or not ours
    waiting.delete(token);
    if (error === undefined) p.resolve(seq);
    else p.reject(error);
    if (waiting.size === 0) stopSweeping();
  };
  const stopSweeping = (): void => {
    sweeper?.unsubscribe();
    sweeper = undefined;
  };
  // Insertion order is send order: the oldest are first, so a sweep stops at the first young one.
  const onSweep = (): void => {
    sweep += 1;
    for (const [token, p] of waiting) {
      if (sweep - p.sweep <= SWEEPS) break;
      settle(token, new BusPublishError('transient', `no JetStream ack within ${options.timeoutMs} ms`));
    }
  };
  const failAll = (why: string): void => {
    for (const token of [...waiting.keys()]) settle(token, new BusPublishError('transient', why));
  };

  const sub = nc.subscribe(`${prefix}.*`, {
    callback: (error, msg) => {
      if (error) return failAll(`the ack inbox failed: ${error.message}`);
      const token = msg.subject.slice(start);
      if (!waiting.has(token)) return; // a late ack of a publish that timed out
      const ack = readAck(msg.headers?.code, msg.data);
      if (typeof ack === 'number') settle(token, undefined, ack);
      else settle(token, ack);
    },
  });
  const close = (why: string): void => {
    if (closed) return;
    closed = true;
    sub.unsubscribe();
    failAll(why);
  };
  void nc.closed().then(() => close('the NATS connection closed'));

  const send = (subject: string, payload: string, header: string, value: string): Promise<number> => {
    if (closed || nc.isClosed()) {
      const why = nc.isClosed() ? 'the NATS connection is closed' : 'the publisher is closed';
      return Promise.reject(new BusPublishError('transient', why));
    }
    const token = (sent++).toString(36);
    const h = transport.headers();
    h.set(header, value);
    return new Promise<number>((resolve, reject) => {
      // throws (nothing sent) on a payload over max_payload or a bad header: rejected as it is
      nc.publish(subject, payload, { reply: `${prefix}.${token}`, headers: h });
      waiting.set(token, { resolve, reject, sweep });
      sweeper ??= safeTimer(sweepMs, options.scheduler ?? asyncScheduler)
        .pipe(repeat())
        .subscribe(onSweep);
    });
  };

  return {
    // resolves with the sequence, which a caller of `publish` does not look at
    publish: (subject, payload, msgId) =>
      send(subject, payload, 'Nats-Msg-Id', msgId) as Promise<unknown> as Promise<void>,
    update: (subject, payload, revision) =>
      send(subject, payload, 'Nats-Expected-Last-Subject-Sequence', String(revision)),
    pending: () => waiting.size,
    close: () => close('the publisher was closed'),
  };
}

/**
 * What a JetStream ack says, as an error (`undefined`: stored, or a duplicate of one stored).
 *
 * ## Example
 * ```ts
 * ackError(undefined, new TextEncoder().encode('{"stream":"S","seq":1}')); // undefined
 * ackError(503, new Uint8Array()); // BusPublishError('lost', 'no stream takes the subject …')
 * ```
 * @internal
 */
export function ackError(status: number | undefined, data: Uint8Array): BusPublishError | undefined {
  const ack = readAck(status, data);
  return typeof ack === 'number' ? undefined : ack;
}

/** A JetStream ack read: the stored message's sequence (0 when it names none), or why it failed. */
function readAck(status: number | undefined, data: Uint8Array): number | BusPublishError {
  if (status === 503 && data.length === 0)
    return new BusPublishError('lost', 'no stream takes the subject (no responders)');
  let ack: unknown;
  try {
    ack = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
  } catch {
    return new BusPublishError('transient', `an ack that is not JSON (${data.length} bytes)`);
  }
  if (typeof ack !== 'object' || ack === null)
    return new BusPublishError('transient', 'an ack that is not an object');
  const { stream, seq, error } = ack as { stream?: unknown; seq?: unknown; error?: unknown };
  if (typeof error === 'object' && error !== null) {
    const { err_code: code, description } = error as { err_code?: unknown; description?: unknown };
    const said = typeof description === 'string' ? description.slice(0, 200) : 'no description';
    const known = typeof code === 'number' ? code : undefined;
    const lost = known !== undefined && LOST_CODES.has(known);
    return new BusPublishError(lost ? 'lost' : 'transient', `JetStream: ${said} (err_code ${String(code)})`, {
      ...(known === undefined ? {} : { code: known }),
    });
  }
  if (typeof stream === 'string' && stream !== '') return typeof seq === 'number' ? seq : 0;
  return new BusPublishError('transient', 'an ack that names no stream');
}
