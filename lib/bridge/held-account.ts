import type { SchedulerLike } from 'rxjs';
import { loadAccountState } from '../bus/account-state';
import type { NatsConnection } from '../bus/nats';
import { createPrivateClient, type PrivateClientOptions, type ReconcileOptions } from '../client';
import { startAccountLink, type AccountLink, type BusPublisher, type LinkEvent } from './account-link';
import type { BridgeAccount } from './accounts-file';
import type { BridgeMeter } from './meter';

/** An account a bridge holds: being started (its store read from the bus), then running. @internal */
export interface HeldAccount {
  /**
   * Lets the socket go and drains its buffer (at most `drainMs`, default 5 s; 0: publish nothing
   * more at once); resolves whether everything was acknowledged.
   */
  stop(drainMs?: number): Promise<boolean>;
  /** Updates not acknowledged (after a `stop` that resolved `false`: how many were dropped). */
  buffered(): number;
}

/** What {@link holdAccount} needs of the bridge. @internal */
export interface HoldOptions {
  readonly nc: NatsConnection;
  readonly publisher: BusPublisher;
  readonly scheduler: SchedulerLike;
  readonly maxBuffer?: number;
  readonly reconcile?: boolean | ReconcileOptions;
  readonly client?: Partial<Omit<PrivateClientOptions, 'credentials' | 'environment' | 'reconcile'>>;
  /** Told every publish, retry, reconciliation and reconnect of the account. */
  readonly meter?: BridgeMeter;
  readonly onEvent: (event: LinkEvent | { type: 'lease-error'; account: string; reason: string }) => void;
}

/**
 * Starts running an account the bridge has just claimed: first folds the account's subjects from
 * the bus into a store, then starts a `createPrivateClient` seeded with it (so its reconciliation
 * knows the account's orders and symbols and fills exactly the gap) and links it to JetStream.
 *
 * ## Example
 * ```ts
 * const held = holdAccount(account, { nc, publisher, scheduler, onEvent });
 * await held.stop();
 * ```
 * @internal
 */
export function holdAccount(account: BridgeAccount, options: HoldOptions): HeldAccount {
  let cancelled = false;
  let link: AccountLink | undefined;
  const ready = (async () => {
    const initial = await loadAccountState(options.nc, account.name).catch((e: unknown) => {
      options.onEvent({
        type: 'lease-error',
        account: account.name,
        reason: `could not read the bus: ${String(e)}`,
      });
      return undefined;
    });
    if (cancelled) return;
    link = startAccountLink({
      account: account.name,
      publisher: options.publisher,
      scheduler: options.scheduler,
      ...(options.maxBuffer === undefined ? {} : { maxBuffer: options.maxBuffer }),
      source: () =>
        createPrivateClient({
          scheduler: options.scheduler,
          ...options.client,
          credentials: account.credentials,
          environment: account.environment,
          reconcile: reconcileOf(account, options.reconcile),
          ...(initial ? { store: { initial } } : {}),
        }),
      onEvent: options.onEvent,
    });
  })();
  return {
    stop: async (drainMs) => {
      cancelled = true;
      await ready;
      return link ? link.stop(drainMs) : true;
    },
    buffered: () => link?.buffered() ?? 0,
  };
}

/** The client's `reconcile` for an account: the bridge's setting, with the account's TAPIv2 key. @internal */
export function reconcileOf(
  account: BridgeAccount,
  setting: boolean | ReconcileOptions = true,
): boolean | ReconcileOptions {
  if (setting === false) return false;
  const base: ReconcileOptions = setting === true ? {} : setting;
  return account.v2Credentials
    ? { ...base, tradeApi: { ...base.tradeApi, v2Flavor: 'api', v2Credentials: account.v2Credentials } }
    : base;
}
