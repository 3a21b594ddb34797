/**
 * An open NATS connection as `fromJetStream({ connection })` takes it: what
 * `@nats-io/transport-node`'s `connect()` resolves to. Typed by the few members that tell such a
 * connection apart, so the published types of `indodax-pws/bus` need no NATS package's own
 * declarations (which do not compile under `exactOptionalPropertyTypes` without `skipLibCheck`).
 *
 * ## Example
 * ```ts
 * import { connect } from '@nats-io/transport-node';
 * const nc: OpenNatsConnection = await connect({ servers: 'nats://127.0.0.1:4222' });
 * ```
 */
export interface OpenNatsConnection {
  /** Closes the connection (yours to call: `fromJetStream` never closes a connection it was given). */
  close(): Promise<void>;
  /** Whether it is closed. */
  isClosed(): boolean;
  /** Resolves when it closes. */
  closed(): Promise<void | Error>;
  /** Drains and closes it. */
  drain(): Promise<void>;
}
