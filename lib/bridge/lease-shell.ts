import type { KvWatchEntry } from '@nats-io/kv';
import { Observable, Subscription, bufferTime, filter, map, repeat, retry, type SchedulerLike } from 'rxjs';
import { backoff } from '../util/backoff';
import { safeTimer } from '../util/safe-timer';
import type { LinkEvent } from './account-link';
import type { BridgeAccount } from './accounts-file';
import type { BridgeBus } from './bus-connection';
import { holdAccount, type HeldAccount, type HoldOptions } from './held-account';
import { isRevisionConflict, within } from './lease-errors';
import { PRESENCE_PREFIX } from './lease-plan';
import type { BucketEntry, LeaseEffect, LeaseEvent, LeaseNotice } from './lease-state';
import type { BridgeMeter } from './meter';

/** What the lease shell needs. @internal */
export interface LeaseShellOptions {
  readonly id: string;
  readonly bus: BridgeBus;
  readonly accounts: ReadonlyMap<string, BridgeAccount>;
  readonly scheduler: SchedulerLike;
  /** The bound of one KV write, ms. */
  readonly opMs: number;
  /** The value of the presence key. */
  readonly fingerprint: string;
  readonly emit: (
    event:
      | LeaseNotice
      | LinkEvent
      | { readonly type: 'stopped'; readonly id: string; readonly drained: true }
      | { readonly type: 'stopped'; readonly id: string; readonly drained: false; readonly dropped: number },
  ) => void;
  readonly meter?: BridgeMeter;
  readonly hold: Pick<HoldOptions, 'maxBuffer' | 'reconcile' | 'client' | 'bus' | 'recheckFailedMs'>;
  /** Called once the `finish` effect is done (leases deleted or left to expire, NATS closed). */
  readonly onFinished: () => void;
}

/** The shell of the lease machine: `perform` for `runMachine`, and its pending timers. @internal */
export interface LeaseShell {
  readonly perform: (effect: LeaseEffect, dispatch: (event: LeaseEvent) => void) => void;
  readonly timers: Subscription;
}

const noop = (): undefined => undefined;

/**
 * Performs the lease step's effects: KV writes (each bounded by `opMs`, its result dispatched
 * back, a revision conflict told apart by the error's class and code), the account links (one
 * {@link holdAccount} each), timers on the scheduler, and the bounded stop. It decides nothing.
 *
 * ## Example
 * ```ts
 * const shell = performLease(options);
 * const machine = runMachine(leaseStep(config), initialLease(), shell.perform);
 * ```
 * @internal
 */
export function performLease(o: LeaseShellOptions): LeaseShell {
  const { bus, scheduler } = o;
  const links = new Map<string, HeldAccount>();
  const timers = new Subscription();

  const write = (
    account: string,
    run: () => Promise<number>,
    dispatch: (event: LeaseEvent) => void,
  ): void => {
    const sentAt = scheduler.now();
    within(new Promise<number>((resolve) => resolve(run())), o.opMs, scheduler, `lease ${account}`).then(
      (revision) => dispatch({ type: 'written', account, revision, sentAt }),
      (e: unknown) =>
        dispatch({
          type: 'write-failed',
          account,
          conflict: isRevisionConflict(e),
          reason: e instanceof Error ? e.message : String(e),
        }),
    );
  };
  const remove = (account: string, revision: number): Promise<unknown> =>
    within(bus.kv.delete(account, { previousSeq: revision }), o.opMs, scheduler, `release ${account}`).catch(
      noop,
    );
  const take = (account: string): HeldAccount | undefined => {
    const held = links.get(account);
    links.delete(account);
    return held;
  };

  /** Stops a link, draining at most `ms` (bounded even when its start hangs); resolves how many updates it dropped. */
  const letGo = (held: HeldAccount | undefined, ms: number): Promise<number> =>
    held
      ? within(held.stop(ms), ms + 100, scheduler, 'drain').then(
          (drained) => (drained ? 0 : held.buffered()),
          () => held.buffered(),
        )
      : Promise.resolve(0);

  const linkEvents = (account: string, dispatch: (event: LeaseEvent) => void) => (event: HoldEvent) => {
    o.emit(event);
    const type: string = event.type; // `reconciliation` comes from links that report it
    if (type === 'reconciliation') dispatch({ type: 'link', account, report: 'reconciled' });
    else if (event.type === 'status') {
      const state = event.status.state;
      if (state === 'subscribed') dispatch({ type: 'link', account, report: 'subscribed' });
      else if (state === 'disconnected' || state === 'connecting')
        dispatch({ type: 'link', account, report: 'unsubscribed' });
    }
  };

  const perform = (effect: LeaseEffect, dispatch: (event: LeaseEvent) => void): void => {
    switch (effect.kind) {
      case 'claim': {
        const { account, revision } = effect;
        write(
          account,
          () =>
            revision === undefined
              ? bus.kv.create(account, o.id)
              : // take over the key we saw expire; gone meanwhile (the TTL): create it
                bus.leaseUpdate(account, o.id, revision).catch((e: unknown) => {
                  if (isRevisionConflict(e)) return bus.kv.create(account, o.id);
                  throw e;
                }),
          dispatch,
        );
        return;
      }
      case 'renew': {
        const { account, revision } = effect;
        write(
          account,
          () =>
            bus.leaseUpdate(account, o.id, revision).catch(async (e: unknown) => {
              // The key is gone (the bucket came back empty, or was deleted and made again): take
              // it again with create; a peer that took it meanwhile makes that a conflict too.
              if (!isRevisionConflict(e)) throw e;
              const now = await bus.kv.get(account);
              if (now === null || now.operation !== 'PUT') return bus.kv.create(account, o.id);
              // our own write that landed after we stopped waiting for it (a reset, a timeout)
              if (now.string() === o.id) return now.revision;
              throw e;
            }),
          dispatch,
        );
        return;
      }
      case 'release': {
        const { account, revision, drainMs } = effect;
        void letGo(take(account), drainMs).then((dropped) =>
          remove(account, revision).then(() => dispatch({ type: 'released', account, dropped })),
        );
        return;
      }
      case 'delete':
        void remove(effect.account, effect.revision);
        return;
      case 'announce':
        void within(
          bus.kv.put(`${PRESENCE_PREFIX}${o.id}`, o.fingerprint),
          o.opMs,
          scheduler,
          'announce',
        ).catch(noop);
        return;
      case 'start-link': {
        const account = o.accounts.get(effect.account);
        if (!account || links.has(effect.account)) return;
        links.set(
          effect.account,
          holdAccount(account, {
            nc: bus.nc,
            publisher: bus.publisher,
            scheduler,
            ...o.hold,
            ...(o.meter ? { meter: o.meter } : {}),
            onEvent: linkEvents(effect.account, dispatch),
          }),
        );
        return;
      }
      case 'abort-link': {
        const { account } = effect;
        void letGo(take(account), 0).then((dropped) => dispatch({ type: 'aborted', account, dropped }));
        return;
      }
      case 'drain': {
        const { ms } = effect;
        const counts = effect.accounts.map((account) => letGo(take(account), ms));
        void Promise.all(counts).then((n) =>
          dispatch({ type: 'drained', dropped: n.reduce((a, b) => a + b, 0) }),
        );
        return;
      }
      case 'finish': {
        timers.unsubscribe();
        const deletes = effect.leases.map(([account, revision]) => remove(account, revision));
        const presence = bus.kv.delete(`${PRESENCE_PREFIX}${o.id}`).catch(noop);
        const bound = Math.min(o.opMs, 500);
        void within(Promise.all([...deletes, presence]), bound, scheduler, 'release')
          .catch(noop)
          .then(() => within(bus.nc.drain(), 300, scheduler, 'drain'))
          .catch(() => within(bus.nc.close(), 200, scheduler, 'close'))
          .catch(noop)
          .then(() => {
            o.emit(
              effect.dropped === 0
                ? { type: 'stopped', id: o.id, drained: true }
                : { type: 'stopped', id: o.id, drained: false, dropped: effect.dropped },
            );
            o.onFinished();
          });
        return;
      }
      case 'emit':
        o.emit(effect.notice);
        if (effect.notice.type !== 'lease-error')
          o.meter?.leaseChanged(effect.notice.type, effect.notice.account);
        return;
      case 'timer': {
        const sub = safeTimer(effect.ms, scheduler).subscribe(() => {
          timers.remove(sub);
          dispatch({ type: 'tick', now: scheduler.now() });
        });
        timers.add(sub);
        return;
      }
    }
  };
  return { perform, timers };
}

type HoldEvent = Parameters<HoldOptions['onEvent']>[0];

/**
 * The lease bucket's changes in batches of `batchMs`, as the lease step reads them (`now` is
 * added by the caller), each entry numbered by the watch that delivered it:
 * a watch of every key, started again after it ends or fails (`repeat`/`retry` with a delay on
 * the scheduler), so a NATS restart or a re-created bucket is followed.
 *
 * ## Example
 * ```ts
 * watchLeases(bus.kv, scheduler, 50).subscribe((entries) => machine.dispatch({ type: 'entries', entries, now: scheduler.now() }));
 * ```
 * @internal
 */
export function watchLeases(
  kv: BridgeBus['kv'],
  scheduler: SchedulerLike,
  batchMs: number,
): Observable<BucketEntry[]> {
  let watches = 0; // which watch delivered an entry: a new one starts from the bucket as it is now
  return new Observable<KvWatchEntry & { readonly watch: number }>((subscriber) => {
    let stop: (() => void) | undefined;
    let closed = false;
    const watch = ++watches;
    kv.watch({ key: '>' })
      .then(async (entries) => {
        stop = () => entries.stop();
        if (closed) return stop();
        for await (const e of entries) subscriber.next(Object.assign(e, { watch }));
        subscriber.complete();
      })
      .catch((e: unknown) => subscriber.error(e));
    return () => {
      closed = true;
      stop?.();
    };
  }).pipe(
    map((e): BucketEntry => ({
      key: e.key,
      owner: e.operation === 'PUT' ? e.string() : undefined,
      revision: e.revision,
      watch: e.watch,
    })),
    repeat({ delay: () => safeTimer(1_000, scheduler) }),
    retry({ delay: (_e: unknown, count: number) => safeTimer(backoff(count - 1, 250, 5_000), scheduler) }),
    // one step per batch: 1,000 accounts renew about 300 keys a second between them
    bufferTime(batchMs, scheduler),
    filter((batch) => batch.length > 0),
  );
}
