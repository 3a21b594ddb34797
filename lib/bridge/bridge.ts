import { Subject, asyncScheduler, defaultIfEmpty, firstValueFrom, takeUntil, type SchedulerLike } from 'rxjs';
import type { PrivateClientOptions, ReconcileOptions } from '../client';
import { safeTimer } from '../util/safe-timer';
import type { LinkEvent } from './account-link';
import type { BridgeAccount } from './accounts-file';
import type { NatsSecurity } from '../bus/connect-options';
import { openBridgeBus, type BridgeBus } from './bus-connection';
import { healthOf, healthTracker } from './bridge-health';
import { holdAccount, type HeldAccount } from './held-account';
import type { BridgeHealth, BridgeMeter } from './meter';
import { PRESENCE_PREFIX, accountsFingerprint, leaseView, planLeases, type LeaseEntry } from './lease-plan';

/** Options of {@link startBridge}. */
export interface BridgeOptions {
  readonly servers: string | readonly string[];
  /** How to authenticate and encrypt on NATS (user/password, token, creds, nkey, TLS files). */
  readonly security?: NatsSecurity;
  /** This bridge's id (`[A-Za-z0-9_-]+`), the value of its leases. */
  readonly id: string;
  readonly accounts: readonly BridgeAccount[];
  /** The lease: the bucket's TTL; renewed every third of it (default 10 000 ms). */
  readonly leaseMs?: number;
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
  readonly scheduler?: SchedulerLike;
  readonly onEvent?: (event: BridgeEvent) => void;
  /** Told of publishes, retries, reconciliations, reconnects and lease changes (e.g. Prometheus). */
  readonly meter?: BridgeMeter;
}

/** What a bridge reports. */
export type BridgeEvent =
  | LinkEvent
  | { readonly type: 'ready'; readonly id: string; readonly accounts: number; readonly leaseMs: number }
  | { readonly type: 'claimed' | 'released'; readonly account: string }
  | { readonly type: 'lost'; readonly account: string; readonly reason: string }
  | { readonly type: 'lease-error'; readonly account: string; readonly reason: string }
  | { readonly type: 'stopped'; readonly id: string; readonly drained: boolean };

/** A running bridge. */
export interface Bridge {
  /** The accounts it runs now. */
  held(): string[];
  /** Where it stands, for `/healthz` and `/readyz`. */
  health(): BridgeHealth;
  /** Stops: lets every socket go, drains the buffers, deletes its own leases, closes NATS. */
  stop(): Promise<void>;
}

/**
 * Starts a bridge: it announces itself in the lease bucket (`bridge.<id>`), and every third of
 * the lease renews what it holds (revision-checked), gives up what is above its fair share when
 * another bridge is short, and claims free accounts (create-if-absent). Each held account runs a
 * `createPrivateClient` whose updates go to JetStream (see `startAccountLink`).
 *
 * ## Example
 * ```ts
 * const bridge = await startBridge({ servers: 'nats://127.0.0.1:4222', id: 'b1', accounts });
 * process.on('SIGTERM', () => void bridge.stop());
 * ```
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const asked = options.leaseMs ?? 10_000;
  const scheduler = options.scheduler ?? asyncScheduler;
  const tracker = healthTracker(options.meter);
  const emit = (event: BridgeEvent) => {
    if (
      event.type === 'claimed' ||
      event.type === 'released' ||
      event.type === 'lost' ||
      event.type === 'status'
    )
      tracker.fact(event);
    options.onEvent?.(event);
  };
  const bus: BridgeBus = await openBridgeBus({
    servers: options.servers,
    ...(options.security === undefined ? {} : { security: options.security }),
    name: `indodax-pws bridge ${options.id}`,
    leaseMs: asked,
    ...(options.maxAgeMs === undefined ? {} : { maxAgeMs: options.maxAgeMs }),
    ...(options.replicas === undefined ? {} : { replicas: options.replicas }),
    scheduler,
  });
  const leaseMs = bus.leaseMs; // an existing bucket keeps its TTL: every bridge on it follows it
  const byName = new Map(options.accounts.map((a) => [a.name, a]));
  const entries = new Map<string, LeaseEntry>();
  const links = new Map<string, HeldAccount>();
  const lastRenewed = new Map<string, number>();
  const stop$ = new Subject<void>();
  const fingerprint = accountsFingerprint([...byName.keys()]);
  const announce = () =>
    bus.kv.put(`${PRESENCE_PREFIX}${options.id}`, fingerprint).then(
      () => undefined,
      () => undefined,
    );
  let stopped = false;
  let natsUp = true;
  let share = byName.size; // what the last plan says this bridge should hold (all, until it has planned)
  void (async () => {
    for await (const s of bus.nc.status()) {
      if (s.type === 'disconnect') natsUp = false;
      else if (s.type === 'reconnect') natsUp = true;
    }
  })().catch(() => undefined);

  const watcher = await bus.kv.watch({ key: '>' });
  void (async () => {
    for await (const e of watcher) {
      // our own acks may have told us a newer revision already: never go back
      if ((entries.get(e.key)?.revision ?? 0) > e.revision) continue;
      if (e.operation === 'PUT')
        entries.set(e.key, { owner: e.string(), revision: e.revision, written: e.created.getTime() });
      else entries.delete(e.key);
    }
  })().catch(() => undefined);

  const startLink = (name: string): void => {
    if (links.has(name) || stopped) return;
    emit({ type: 'claimed', account: name });
    links.set(
      name,
      holdAccount(byName.get(name)!, {
        nc: bus.nc,
        publisher: bus.publisher,
        bus,
        scheduler,
        ...(options.recheckFailedMs === undefined ? {} : { recheckFailedMs: options.recheckFailedMs }),
        onEvent: emit,
        meter: tracker.meter,
        ...(options.maxBuffer === undefined ? {} : { maxBuffer: options.maxBuffer }),
        ...(options.reconcile === undefined ? {} : { reconcile: options.reconcile }),
        ...(options.client ? { client: options.client } : {}),
      }),
    );
  };
  const stopLink = async (name: string): Promise<boolean> => {
    const held = links.get(name);
    if (!held) return true;
    links.delete(name);
    return held.stop();
  };

  const tick = async (): Promise<void> => {
    await announce(); // NATS away: decide anyway
    const view = leaseView(options.id, fingerprint, [...byName.keys()], entries, Date.now(), leaseMs);
    const actions = planLeases(view);
    share = actions.filter((a) => a.kind !== 'release').length;
    const keep = new Set<string>();
    await Promise.all(
      actions.map(async (action) => {
        const { account } = action;
        try {
          if (action.kind === 'claim') {
            const revision = await bus.kv.create(account, options.id);
            entries.set(account, { owner: options.id, revision, written: Date.now() });
          } else if (action.kind === 'renew') {
            const revision = await bus.kv.update(account, options.id, action.revision);
            entries.set(account, { owner: options.id, revision, written: Date.now() });
          } else {
            await stopLink(account);
            await bus.kv.delete(account, { previousSeq: action.revision });
            emit({ type: 'released', account });
            return;
          }
          lastRenewed.set(account, Date.now());
          keep.add(account);
          if (!stopped) startLink(account);
        } catch (e) {
          const reason = e instanceof Error ? e.message : String(e);
          if (
            links.has(account) &&
            Date.now() - (lastRenewed.get(account) ?? 0) < leaseMs &&
            !/wrong last sequence/.test(reason)
          ) {
            keep.add(account); // NATS unreachable: the lease still holds
          }
          if (action.kind !== 'claim' || links.has(account)) emit({ type: 'lease-error', account, reason });
        }
      }),
    );
    for (const name of [...links.keys()]) {
      if (!keep.has(name)) {
        void stopLink(name);
        emit({ type: 'lost', account: name, reason: 'the lease is held by another bridge or expired' });
      }
    }
  };

  const wait = (ms: number) =>
    firstValueFrom(safeTimer(ms, scheduler).pipe(takeUntil(stop$), defaultIfEmpty(0)));
  const loop = (async () => {
    await announce();
    emit({ type: 'ready', id: options.id, accounts: byName.size, leaseMs });
    await wait(Math.max(50, leaseMs / 3)); // let the others see this bridge before claiming
    while (!stopped) {
      await tick().catch(() => undefined);
      await wait(Math.max(50, leaseMs / 3));
    }
  })();

  return {
    held: () => [...links.keys()],
    health: () =>
      healthOf(tracker.state(), {
        natsConnected: natsUp && !bus.nc.isClosed(),
        held: [...links.keys()],
        fairShare: share,
      }),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      stop$.next();
      await loop;
      const names = [...links.keys()];
      const drained = (await Promise.all(names.map((n) => stopLink(n)))).every(Boolean);
      for (const name of names) {
        const entry = entries.get(name);
        if (entry?.owner === options.id)
          await bus.kv.delete(name, { previousSeq: entry.revision }).catch(() => undefined);
      }
      await bus.kv.delete(`${PRESENCE_PREFIX}${options.id}`).catch(() => undefined);
      watcher.stop();
      await bus.nc.drain().catch(() => undefined);
      emit({ type: 'stopped', id: options.id, drained });
    },
  };
}
