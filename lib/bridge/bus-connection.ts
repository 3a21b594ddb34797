import {
  Subject,
  asyncScheduler,
  repeat,
  type Observable,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { IDENTITY_BUCKET, LEASE_BUCKET, ORDERS_STREAM, ORDERS_SUBJECTS } from '../bus/names';
import { natsConnectOptions, type NatsSecurity } from '../bus/connect-options';
import { loadNats, type NatsConnection } from '../bus/nats';
import { safeTimer } from '../util/safe-timer';
import type { BusPublisher, IdentityAnswer } from './account-link';
import { bindIdentity } from './identity';
import { jetStreamPublisher } from './js-publisher';
import { BusPublishError, publishFailureKind } from './publish-errors';

/** How long the stream keeps updates by default: 7 days. */
export const DEFAULT_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

type Kv = Awaited<ReturnType<InstanceType<ReturnType<typeof loadNats>['kv']['Kvm']>['create']>>;

/** What a bridge holds open on NATS. @internal */
export interface BridgeBus {
  readonly nc: NatsConnection;
  readonly kv: Kv;
  readonly publisher: BusPublisher;
  /** The bucket's TTL: the lease every bridge on it uses (the first bridge's `--lease-ms` made it). */
  readonly leaseMs: number;
  /** Replicas of the stream and buckets this bridge creates. */
  readonly replicas: number;
  /**
   * Emits the names re-created (or found re-created by another bridge) each time the stream or a
   * bucket was lost: NATS came back empty, or someone deleted them. Leases must be taken again
   * (with create: the bucket is empty) and every held account's store published again.
   */
  readonly reset$: Observable<readonly string[]>;
  /** Checks the stream and buckets now; re-creates what is missing (same config). Never rejects. */
  ensure(): Promise<void>;
  /**
   * Renews (or takes over) `account`'s lease: writes `value` to its key in the lease bucket only
   * if the key's revision is still `revision`, resolving the new revision (what `kv.update` does,
   * on the bridge's lean publisher). A lost race rejects so that `isRevisionConflict` says yes.
   */
  leaseUpdate(account: string, value: string, revision: number): Promise<number>;
  /** Binds `account` to the exchange user `channel` names (create-if-absent); `mismatch` if bound to another. */
  identity(account: string, channel: string): Promise<IdentityAnswer>;
  /** The server's `max_payload` (bytes), when known. */
  maxPayload(): number | undefined;
}

/** Options of {@link openBridgeBus}. @internal */
export interface BridgeBusOptions {
  readonly servers: string | readonly string[];
  /** Authentication and TLS; a bad setting throws `NatsSecurityError` before connecting. */
  readonly security?: NatsSecurity;
  readonly name: string;
  readonly leaseMs: number;
  readonly maxAgeMs?: number;
  readonly publishTimeoutMs?: number;
  /** Replicas of the stream and buckets when this bridge creates them (default 1; 3 or 5 on a cluster). */
  readonly replicas?: number;
  /** How often the stream and buckets are checked (default 5 000 ms; also on every reconnect and on a lost publish). */
  readonly checkEveryMs?: number;
  readonly scheduler?: SchedulerLike;
}

/**
 * Connects (reconnecting forever), makes sure the stream `INDODAX_ORDERS` (subjects
 * `indodax.orders.>`, file storage, `maxAgeMs`, `replicas`), the KV bucket `indodax_leases` (TTL =
 * the lease) and `indodax_identities` exist, and returns a publisher whose updates resolve on the
 * JetStream ack (rejecting with a classified `BusPublishError`). It keeps checking them (every
 * `checkEveryMs`, after every reconnect, after a publish that found no stream) and re-creates what
 * was lost, telling `reset$`.
 *
 * ## Example
 * ```ts
 * const bus = await openBridgeBus({ servers: 'nats://127.0.0.1:4222', name: 'b1', leaseMs: 10_000 });
 * bus.reset$.subscribe(() => console.log('NATS came back empty'));
 * ```
 * @internal
 */
export async function openBridgeBus(options: BridgeBusOptions): Promise<BridgeBus> {
  const { transport, jetstream, kv: kvModule } = loadNats();
  const replicas = options.replicas ?? 1;
  const nc = await transport.connect({
    servers: typeof options.servers === 'string' ? options.servers : [...options.servers],
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    // Without it every NATS request (KV reads and creates, stream checks; publishes and renewals
    // go through `jetStreamPublisher`, which makes none) builds two errors with stack traces up
    // front, in case it fails. Failures are classified by class and code.
    noAsyncTraces: true,
    ...natsConnectOptions(options.servers, options.security ?? {}),
  });
  const jsm = await jetstream.jetstreamManager(nc);
  const js = jetstream.jetstream(nc);
  const kvm = new kvModule.Kvm(js);
  let maxAgeNs = (options.maxAgeMs ?? DEFAULT_MAX_AGE_MS) * 1e6;
  let leaseMs = options.leaseMs;
  // When each was created, as last seen: a different one means it was lost and made again.
  const created = new Map<string, string>();
  const reset = new Subject<readonly string[]>();

  const infoOf = (name: string) =>
    jsm.streams.info(name).catch((e: unknown) => {
      if (e instanceof jetstream.JetStreamApiError && e.code === 10059) return undefined;
      throw e;
    });
  const makers: Record<string, () => Promise<unknown>> = {
    [ORDERS_STREAM]: () =>
      jsm.streams.add({
        name: ORDERS_STREAM,
        subjects: [ORDERS_SUBJECTS],
        storage: jetstream.StorageType.File,
        max_age: maxAgeNs,
        num_replicas: replicas,
      }),
    [`KV_${LEASE_BUCKET}`]: () => kvm.create(LEASE_BUCKET, { ttl: leaseMs, history: 1, replicas }),
    [`KV_${IDENTITY_BUCKET}`]: () => kvm.create(IDENTITY_BUCKET, { history: 1, replicas }),
  };
  // Two bridges starting (or repairing) together race to create: the loser reads what the winner made.
  const ensureOne = async (name: string) => {
    const seen = await infoOf(name);
    if (seen) return seen;
    await makers[name]!().catch(() => undefined);
    const made = await infoOf(name);
    if (!made) throw new Error(`cannot create ${name}`);
    return made;
  };
  const check = async (): Promise<readonly string[]> => {
    const lost: string[] = [];
    for (const name of Object.keys(makers)) {
      const info = await ensureOne(name);
      const before = created.get(name);
      if (before !== undefined && before !== info.created) lost.push(name);
      created.set(name, info.created);
    }
    return lost;
  };

  const first = await infoOf(ORDERS_STREAM);
  if (first) maxAgeNs = first.config.max_age;
  await check();
  const kv = await kvm.open(LEASE_BUCKET);
  const ttl = (await kv.status()).ttl;
  if (ttl > 0) leaseMs = ttl; // an existing bucket keeps its TTL: every bridge on it follows it
  const identities = await kvm.open(IDENTITY_BUCKET);

  let checking: Promise<void> | undefined;
  const ensure = (): Promise<void> =>
    (checking ??= check()
      .then((lost) => {
        if (lost.length > 0) reset.next(lost);
      })
      .catch(() => undefined) // NATS away or not ready: the next check tries again
      .finally(() => (checking = undefined)));
  const every = options.checkEveryMs ?? 5_000;
  const periodic: Subscription = safeTimer(every, options.scheduler ?? asyncScheduler)
    .pipe(repeat())
    .subscribe(() => void ensure());
  void (async () => {
    for await (const s of nc.status()) if (s.type === 'reconnect') void ensure();
  })().catch(() => undefined);
  void nc.closed().then(() => {
    periodic.unsubscribe();
    reset.complete();
  });

  const acked = jetStreamPublisher(nc, {
    timeoutMs: options.publishTimeoutMs ?? 5_000,
    ...(options.scheduler ? { scheduler: options.scheduler } : {}),
  });
  // Classified (the publisher's own errors keep their kind); a lost stream is looked for at once.
  const failed = (e: unknown): never => {
    const kind = publishFailureKind(e);
    if (kind === 'lost') void ensure();
    if (e instanceof BusPublishError) throw e;
    const name = e instanceof Error ? e.name : 'Error';
    throw new BusPublishError(kind, e instanceof Error ? `${name}: ${e.message}` : String(e), { cause: e });
  };
  const publisher: BusPublisher = {
    publishUpdate: (subject, payload, msgId) => acked.publish(subject, payload, msgId).catch(failed),
    publishStatus: (subject, payload) => {
      if (!nc.isClosed()) nc.publish(subject, payload);
    },
  };
  return {
    nc,
    kv,
    publisher,
    leaseMs,
    replicas,
    reset$: reset.asObservable(),
    ensure,
    // the bucket is the bridge's own (no mirror, no domain): a key's subject is $KV.<bucket>.<key>
    leaseUpdate: (account, value, revision) =>
      acked.update(`$KV.${LEASE_BUCKET}.${account}`, value, revision),
    identity: (account, channel) => bindIdentity(identities, account, channel),
    maxPayload: () => nc.info?.max_payload,
  };
}
