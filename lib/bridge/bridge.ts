import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import type { PrivateClientOptions, ReconcileOptions } from '../client';
import { runMachine } from '../util/machine';
import type { LinkEvent } from './account-link';
import type { NatsSecurity } from '../bus/connect-options';
import type { BridgeAccount } from './accounts-file';
import { openBridgeBus } from './bus-connection';
import { DEFAULT_LEASE_MS, LeaseMismatchError, checkLeaseMs, within } from './lease-errors';
import { accountsFingerprint } from './lease-plan';
import { initialLease, leaseTiming, type LeaseEvent, type LeaseNotice } from './lease-state';
import { leaseStep } from './lease-step';
import { performLease, watchLeases } from './lease-shell';
import type { BridgeHealth, BridgeMeter } from './meter';

/** Options of {@link startBridge}. */
export interface BridgeOptions {
  readonly servers: string | readonly string[];
  /** How to authenticate and encrypt (`natsSecurityFromEnv`); none by default. */
  readonly security?: NatsSecurity;
  /** This bridge's id (`[A-Za-z0-9_-]+`), the value of its leases. */
  readonly id: string;
  readonly accounts: readonly BridgeAccount[];
  /**
   * The lease, a whole number of ms from 500 to 600 000: the bucket's TTL, renewed every third
   * of it. Given, it must equal the TTL of an existing bucket (else `lease-mismatch` and a
   * {@link LeaseMismatchError}); left out, the bridge follows the bucket (10 000 for a new one).
   */
  readonly leaseMs?: number;
  /** How long `stop()` lets buffered updates drain before it drops them (default 5 000 ms). */
  readonly drainTimeoutMs?: number;
  /** Replicas of the stream and buckets when the bridge creates them (default 1; 3 on a 3-node cluster). */
  readonly replicas?: number;
  /** After a permanent failure of an account (bad key, permission): the wait before one new try (default 300 000 ms). */
  readonly recheckFailedMs?: number;
  /** How long the stream keeps updates when the bridge creates it (default 7 days). */
  readonly maxAgeMs?: number;
  /** Per-account bound of unacknowledged updates (default 10 000). */
  readonly maxBuffer?: number;
  /** Reconcile with the REST APIs after every (re)connect (default true), or how. */
  readonly reconcile?: boolean | ReconcileOptions;
  /** More options of each account's client (timeouts, a `webSocket`, `fetch`…). */
  readonly client?: Partial<Omit<PrivateClientOptions, 'credentials' | 'environment' | 'reconcile'>>;
  /** Told every publish, retry, reconciliation, reconnect and lease change (metrics). */
  readonly meter?: BridgeMeter;
  readonly scheduler?: SchedulerLike;
  readonly onEvent?: (event: BridgeEvent) => void;
}

/** What a bridge reports. */
export type BridgeEvent =
  | LinkEvent
  | LeaseNotice
  | { readonly type: 'ready'; readonly id: string; readonly accounts: number; readonly leaseMs: number }
  | {
      readonly type: 'lease-mismatch';
      readonly id: string;
      readonly leaseMs: number;
      readonly bucketLeaseMs: number;
    }
  | { readonly type: 'stopped'; readonly id: string; readonly drained: true }
  | { readonly type: 'stopped'; readonly id: string; readonly drained: false; readonly dropped: number };

/** A running bridge. */
export interface Bridge {
  /** The accounts it runs now. */
  held(): string[];
  /** Where it stands, for `/healthz` and `/readyz`. */
  health(): BridgeHealth;
  /**
   * Stops: claims nothing more, drains the buffers (at most `drainTimeoutMs`), deletes its
   * leases (so the others claim them at once), closes NATS; within the drain timeout + 2 s
   * even when NATS is away.
   */
  stop(): Promise<void>;
}

/**
 * Starts a bridge: it announces itself in the lease bucket (`bridge.<id>`), claims free accounts
 * up to its fair share, renews each held lease once a third of the lease (each account in its own
 * slot, so renewals are spread), gives back what is above its share when another bridge is short,
 * and takes over a key whose revision it saw unchanged for a whole lease. Each held account runs
 * a `createPrivateClient` whose updates go to JetStream (see `startAccountLink`). The decisions
 * are {@link leaseStep}'s; this function only performs them.
 *
 * ## Example
 * ```ts
 * const bridge = await startBridge({ servers: 'nats://127.0.0.1:4222', id: 'b1', accounts });
 * process.on('SIGTERM', () => void bridge.stop());
 * ```
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const asked = options.leaseMs === undefined ? undefined : checkLeaseMs(options.leaseMs);
  const scheduler = options.scheduler ?? asyncScheduler;
  const emit = (event: BridgeEvent) => options.onEvent?.(event);
  const bus = await openBridgeBus({
    servers: options.servers,
    ...(options.security === undefined ? {} : { security: options.security }),
    name: `indodax-pws bridge ${options.id}`,
    leaseMs: asked ?? DEFAULT_LEASE_MS,
    ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
    ...(options.replicas === undefined ? {} : { replicas: options.replicas }),
    scheduler,
  });
  const leaseMs = bus.leaseMs; // the bucket's TTL: every bridge on it must use it
  if (asked !== undefined && asked !== leaseMs) {
    emit({ type: 'lease-mismatch', id: options.id, leaseMs: asked, bucketLeaseMs: leaseMs });
    await within(bus.nc.close(), 1_000, scheduler, 'close').catch(() => undefined);
    throw new LeaseMismatchError(asked, leaseMs);
  }
  const names = options.accounts.map((a) => a.name);
  const timing = leaseTiming(leaseMs);
  const step = leaseStep({
    self: options.id,
    fingerprint: accountsFingerprint(names),
    accounts: names,
    leaseMs,
    ...timing,
    maxClaims: 100,
    drainTimeoutMs: options.drainTimeoutMs ?? 5_000,
  });
  let natsConnected = true;
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const subscriptions: Subscription[] = [];
  const shell = performLease({
    id: options.id,
    bus,
    accounts: new Map(options.accounts.map((a) => [a.name, a])),
    scheduler,
    opMs: Math.min(5_000, Math.max(250, Math.round(leaseMs / 3))),
    fingerprint: accountsFingerprint(names),
    emit,
    ...(options.meter ? { meter: options.meter } : {}),
    hold: {
      bus,
      ...(options.recheckFailedMs === undefined ? {} : { recheckFailedMs: options.recheckFailedMs }),
      ...(options.maxBuffer === undefined ? {} : { maxBuffer: options.maxBuffer }),
      ...(options.reconcile === undefined ? {} : { reconcile: options.reconcile }),
      ...(options.client ? { client: options.client } : {}),
    },
    onFinished: () => {
      machine.stop();
      subscriptions.forEach((s) => s.unsubscribe());
      resolveStopped();
    },
  });
  const machine = runMachine(step, initialLease(), shell.perform);
  const dispatch = (event: LeaseEvent) => machine.dispatch(event);
  subscriptions.push(
    watchLeases(bus.kv, scheduler, Math.min(100, timing.tickMs)).subscribe((entries) =>
      dispatch({ type: 'entries', entries, now: scheduler.now() }),
    ),
    shell.timers,
  );
  void (async () => {
    for await (const s of bus.nc.status()) {
      if (s.type === 'disconnect') natsConnected = false;
      else if (s.type === 'reconnect') natsConnected = true;
    }
  })().catch(() => undefined);
  emit({ type: 'ready', id: options.id, accounts: names.length, leaseMs });
  dispatch({ type: 'start', now: scheduler.now() });

  return {
    held: () => [...machine.state().held.keys()],
    health: () => {
      const state = machine.state();
      const held = [...state.held.keys()];
      return {
        natsConnected: natsConnected && !bus.nc.isClosed(),
        held,
        // before its first plan a bridge does not know its share: not ready until it has planned
        fairShare: state.phase === 'running' ? state.fairShare : names.length,
        readyAccounts: held.filter((a) => state.subscribed.has(a) && state.reconciled.has(a)),
      };
    },
    stop: async () => {
      dispatch({ type: 'stop', now: scheduler.now() });
      await stopped;
    },
  };
}
