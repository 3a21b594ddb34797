import { Subject, filter, map, share, takeUntil, type Observable } from 'rxjs';
import { pipelineFromChannel, type PrivateClient } from '../client';
import type { ChannelMessage } from '../protocol/messages';
import type { OrderStateOptions } from '../orders';
import { natsConnectOptions, type NatsSecurity } from './connect-options';
import { isBusName } from './names';
import type { NatsConnection } from './nats';
import type { OpenNatsConnection } from './open-connection';
import { busSource, type BusItem } from './source';

/** What {@link fromJetStream} reads, whichever way it reaches NATS. */
export interface FromJetStreamBase {
  /** The account's name, as in the bridge's accounts file (`[A-Za-z0-9_-]+`). */
  readonly account: string;
  /** The stream to read (default `INDODAX_ORDERS`). */
  readonly stream?: string;
  /** A name for the NATS connection. */
  readonly name?: string;
  /** Options of the order-state store. */
  readonly store?: OrderStateOptions;
}

/**
 * Reading through a connection of its own: the servers, and how to authenticate and encrypt
 * (user/password, token, creds or nkey file, TLS files; see {@link NatsSecurity}).
 */
export interface FromJetStreamServers extends FromJetStreamBase, NatsSecurity {
  /** The NATS server(s), e.g. `nats://127.0.0.1:4222` or `tls://nats.example:4222`. */
  readonly servers: string | readonly string[];
  readonly connection?: undefined;
}

/** Reading through a connection the caller opened (and closes: `close()` leaves it open). */
export interface FromJetStreamConnection extends FromJetStreamBase {
  /** An open nats.js connection (`@nats-io/transport-node` `connect(...)`). */
  readonly connection: OpenNatsConnection;
  readonly servers?: undefined;
}

/** Options of {@link fromJetStream}: `servers` (with any {@link NatsSecurity}) or an open `connection`. */
export type FromJetStreamOptions = FromJetStreamServers | FromJetStreamConnection;

/** What {@link fromJetStream} returns: the client's streams, read from the bus. */
export interface BusClient extends Omit<PrivateClient, 'reconciliation$'> {
  /** Completes every stream and resolves once the NATS connection is closed (its own; a given `connection` stays open). */
  close(): Promise<void>;
}

/**
 * The client's shape over NATS JetStream: one account's updates, as the bridges published
 * them, folded from the stream's first message through the same store as
 * `createPrivateClient`. Strategy code changes one line to read from the bus instead of the
 * exchange. Payloads that do not decode reach `invalid$` with their subject and raw text; the
 * stream goes on. `status$` is the bridge's view of the account's exchange connection.
 * A server with authentication or TLS takes the same settings as the NATS CLI
 * (`natsSecurityFromEnv(process.env)` reads its variables); a bad file, two ways of
 * authenticating, or a password/token for a `nats://` URL to a host that is not loopback
 * throw a `NatsSecurityError` here, before anything connects.
 *
 * ```text
 * INDODAX_ORDERS  ─NEW─FILL─FILL──DONE─────  (subjects indodax.orders.acct0.>)
 * orderUpdates$   ─NEW─FILL─FILL──DONE─────
 * orders$         S0─S1──S2───S3───S4──────
 * ```
 *
 * ## Example
 * ```ts
 * import { fromJetStream, natsSecurityFromEnv } from 'indodax-pws/bus';
 *
 * const client = fromJetStream({ servers: 'nats://127.0.0.1:4222', account: 'acct0' });
 * client.byStatus.FILL.subscribe((f) => console.log('filled', f.order.orderId));
 * client.orders$.subscribe((s) => console.log(s.orders.size, 'orders'));
 * // later
 * await client.close();
 *
 * // a server with users and TLS, settings from NATS_USER, NATS_PASSWORD, NATS_CA, …
 * const secured = fromJetStream({
 *   servers: 'tls://nats.example:4222',
 *   account: 'acct0',
 *   ...natsSecurityFromEnv(process.env),
 * });
 * ```
 */
export function fromJetStream(options: FromJetStreamOptions): BusClient {
  if (!isBusName(options.account)) {
    throw new Error(`fromJetStream: account must match [A-Za-z0-9_-]+, got "${options.account}"`);
  }
  if (options.connection === undefined && options.servers === undefined) {
    throw new Error('fromJetStream needs servers or an open connection');
  }
  const closed = new Subject<void>();
  const closing = new Set<Promise<void>>();
  const source$: Observable<BusItem> = busSource({
    account: options.account,
    ...(options.stream === undefined ? {} : { stream: options.stream }),
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.connection === undefined
      ? { servers: options.servers, connectOptions: natsConnectOptions(options.servers, options) }
      : // what connect() gives; the type names only the members that tell it apart
        { connection: options.connection as unknown as NatsConnection }),
    onClosing: (done) => {
      closing.add(done);
      void done.then(() => closing.delete(done));
    },
  }).pipe(takeUntil(closed), share());
  const channel$ = source$.pipe(
    filter((i): i is Extract<BusItem, { kind: 'status' }> => i.kind === 'status'),
    map((i): ChannelMessage => ({ type: 'status', status: i.status })),
  );
  const pipeline = pipelineFromChannel(channel$, {
    extraUpdates: () =>
      source$.pipe(
        filter((i): i is Extract<BusItem, { kind: 'update' }> => i.kind === 'update'),
        map((i) => i.update),
      ),
    problems: source$.pipe(
      filter((i): i is Extract<BusItem, { kind: 'invalid' }> => i.kind === 'invalid'),
      map((i) => i.problem),
    ),
    ...(options.store ? { store: options.store } : {}),
  });
  return {
    ...pipeline,
    close: async () => {
      closed.next();
      closed.complete();
      await Promise.all([...closing]);
    },
  };
}
