import { Observable } from 'rxjs';
import type { ConnectionStatus } from '../protocol/messages';
import type { InvalidMessage, OrderUpdate } from '../orders';
import { decodeBusPayload } from './decode';
import { ORDERS_STREAM, accountOrdersFilter, statusSubject } from './names';
import type { NatsConnectOptions } from './connect-options';
import { loadNats, type NatsConnection } from './nats';

/** One item read from the bus for an account. @internal */
export type BusItem =
  | { readonly kind: 'update'; readonly update: OrderUpdate }
  | { readonly kind: 'invalid'; readonly problem: InvalidMessage }
  | { readonly kind: 'status'; readonly status: ConnectionStatus };

/** Where and what {@link busSource} reads. @internal */
export interface BusSourceOptions {
  /** The server(s) to connect to; ignored when {@link BusSourceOptions.connection} is given. */
  readonly servers?: string | readonly string[];
  /** How to authenticate and encrypt (what `natsConnectOptions` made). */
  readonly connectOptions?: NatsConnectOptions;
  /** An open connection to read through instead; it stays open on unsubscribe. */
  readonly connection?: NatsConnection;
  readonly account: string;
  readonly stream?: string;
  /** A name for the NATS connection (shows in the server's monitoring). */
  readonly name?: string;
  /** Called with the closing of each connection, so `close()` can wait for it. */
  readonly onClosing?: (closed: Promise<void>) => void;
}

/**
 * A cold Observable of one account's bus traffic: an ordered consumer over
 * `indodax.orders.<account>.>` from the stream's first message (JetStream keeps it in order and
 * recreates it after a server restart), and the core subscription to `indodax.status.<account>`.
 * Each subscription opens its own connection and closes it on unsubscribe (or error); given an
 * open `connection`, it reads through it and only stops its own subscriptions.
 * @internal
 */
export function busSource(options: BusSourceOptions): Observable<BusItem> {
  return new Observable<BusItem>((subscriber) => {
    const { transport, jetstream } = loadNats();
    let nc: NatsConnection | undefined;
    let stopped = false;
    const owned = options.connection === undefined;
    const stops: (() => void)[] = [];
    const open = async (): Promise<void> => {
      if (options.connection) nc = options.connection;
      else {
        const servers = options.servers ?? [];
        nc = await transport.connect({
          servers: typeof servers === 'string' ? servers : [...servers],
          name: options.name ?? `indodax-pws bus ${options.account}`,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 250,
          ...options.connectOptions,
        });
      }
      if (stopped) {
        if (!owned) return;
        const done = nc.close().catch(() => undefined);
        options.onClosing?.(done);
        return done;
      }
      const status = nc.subscribe(statusSubject(options.account), {
        callback: (error, msg) => {
          if (error) return;
          subscriber.next(decodeStatus(msg.string(), msg.subject));
        },
      });
      stops.push(() => status.unsubscribe());
      const js = jetstream.jetstream(nc);
      const stream = options.stream ?? ORDERS_STREAM;
      const consumer = await js.consumers
        .get(stream, {
          filter_subjects: accountOrdersFilter(options.account),
          deliver_policy: jetstream.DeliverPolicy.All,
        })
        .catch((e: unknown) => {
          const why = e instanceof Error ? e.message : String(e);
          throw new Error(
            /stream not found/i.test(why)
              ? `the stream ${stream} does not exist yet: start a bridge (indodax-pws bridge) first`
              : `cannot read the stream ${stream}: ${why}`,
          );
        });
      if (stopped) return;
      const messages = await consumer.consume();
      stops.push(() => void messages.stop());
      for await (const m of messages) {
        if (stopped) break;
        const decoded = decodeBusPayload(m.string(), m.subject);
        subscriber.next(decoded);
      }
    };
    open().then(
      () => undefined,
      (error: unknown) => {
        if (!stopped) subscriber.error(error);
      },
    );
    return () => {
      stopped = true;
      for (const stop of stops) stop();
      const conn = nc;
      // close, not drain: a reader has nothing in flight, and a drain cut by a server going away
      // would leave the client reconnecting forever
      if (owned && conn && !conn.isClosed()) options.onClosing?.(conn.close().catch(() => undefined));
    };
  });
}

/**
 * A status message of `indodax.status.<account>`: a `ConnectionStatus`, or the bridge's
 * `{ state: 'failed', reason, recheckInMs }` (a permanent failure: bad key, permission denied),
 * shown as a disconnection whose reason says `account failed: …` and when the bridge checks again.
 * @internal
 */
export function decodeStatus(text: string, subject: string): BusItem {
  try {
    const status = JSON.parse(text) as unknown;
    const failed = status as { state?: unknown; reason?: unknown; recheckInMs?: unknown };
    if (failed?.state === 'failed' && typeof failed.reason === 'string') {
      const retry = typeof failed.recheckInMs === 'number' ? { retryInMs: failed.recheckInMs } : {};
      return {
        kind: 'status',
        status: { state: 'disconnected', reason: `account failed: ${failed.reason}`, ...retry },
      };
    }
    if (
      typeof status === 'object' &&
      status !== null &&
      typeof (status as { state?: unknown }).state === 'string'
    ) {
      return { kind: 'status', status: status as ConnectionStatus };
    }
  } catch {
    // reported below
  }
  return {
    kind: 'invalid',
    problem: { raw: text, rawText: text, reason: `${subject}: not a connection status` },
  };
}
