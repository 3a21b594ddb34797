import { LEASE_BUCKET, ORDERS_STREAM, ORDERS_SUBJECTS } from '../bus/names';
import { natsConnectOptions, type NatsSecurity } from '../bus/connect-options';
import { loadNats, type NatsConnection } from '../bus/nats';
import type { BusPublisher } from './account-link';

/** How long the stream keeps updates by default: 7 days. */
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/** What a bridge holds open on NATS. @internal */
export interface BridgeBus {
  readonly nc: NatsConnection;
  readonly kv: Awaited<ReturnType<InstanceType<ReturnType<typeof loadNats>['kv']['Kvm']>['create']>>;
  readonly publisher: BusPublisher;
  /** The bucket's TTL: the lease every bridge on it uses (the first bridge's `--lease-ms` made it). */
  readonly leaseMs: number;
}

/**
 * Connects (reconnecting forever), makes sure the stream `INDODAX_ORDERS` (subjects
 * `indodax.orders.>`, file storage, `maxAgeMs`) and the KV bucket `indodax_leases` (TTL = the
 * lease) exist, and returns a publisher whose updates resolve on the JetStream ack.
 * @internal
 */
export async function openBridgeBus(options: {
  readonly servers: string | readonly string[];
  /** Authentication and TLS; a bad setting throws `NatsSecurityError` before connecting. */
  readonly security?: NatsSecurity;
  readonly name: string;
  readonly leaseMs: number;
  readonly maxAgeMs?: number;
  readonly publishTimeoutMs?: number;
}): Promise<BridgeBus> {
  const { transport, jetstream, kv: kvModule } = loadNats();
  const nc = await transport.connect({
    servers: typeof options.servers === 'string' ? options.servers : [...options.servers],
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    ...natsConnectOptions(options.servers, options.security ?? {}),
  });
  const jsm = await jetstream.jetstreamManager(nc);
  try {
    await jsm.streams.info(ORDERS_STREAM);
  } catch {
    try {
      await jsm.streams.add({
        name: ORDERS_STREAM,
        subjects: [ORDERS_SUBJECTS],
        storage: jetstream.StorageType.File,
        max_age: (options.maxAgeMs ?? DEFAULT_MAX_AGE_MS) * 1e6,
      });
    } catch (e) {
      // another bridge may have created it meanwhile
      await jsm.streams.info(ORDERS_STREAM).catch(() => {
        throw e;
      });
    }
  }
  const js = jetstream.jetstream(nc);
  const kvm = new kvModule.Kvm(js);
  // Two bridges starting together race to create the bucket: the loser sees "subjects overlap
  // with an existing stream" and opens the bucket the winner made.
  const kv = await kvm
    .create(LEASE_BUCKET, { ttl: options.leaseMs, history: 1 })
    .catch((e: unknown) =>
      kvm.open(LEASE_BUCKET).catch(() => Promise.reject(e instanceof Error ? e : new Error(String(e)))),
    );
  const timeout = options.publishTimeoutMs ?? 5_000;
  const publisher: BusPublisher = {
    publishUpdate: async (subject, payload, msgId) => {
      await js.publish(subject, payload, { msgID: msgId, timeout });
    },
    publishStatus: (subject, payload) => {
      if (!nc.isClosed()) nc.publish(subject, payload);
    },
  };
  const ttl = (await kv.status()).ttl;
  return { nc, kv, publisher, leaseMs: ttl > 0 ? ttl : options.leaseMs };
}
