import type { SchedulerLike } from 'rxjs';
import { loadAccountState } from '../bus/account-state';
import type { NatsConnection } from '../bus/nats';
import { createPrivateClient, type PrivateClientOptions, type ReconcileOptions } from '../client';
import {
  startAccountLink,
  type AccountLink,
  type AccountLinkOptions,
  type BusPublisher,
  type LinkEvent,
} from './account-link';
import type { BridgeAccount } from './accounts-file';
import { hashString } from '../util/persistent-map';

/** The client's default check period (`ReconcileOptions.checkEveryMs`). */
const DEFAULT_CHECK_EVERY_MS = 60_000;
import type { BridgeBus } from './bus-connection';

/** An account a bridge holds: being started (its store read from the bus), then running. @internal */
export interface HeldAccount {
  /**
   * Lets the socket go and drains its buffer (at most `drainMs`, default 5 s; 0 after a lost lease:
   * publish nothing more); resolves whether everything was acknowledged. Nothing is tried after it.
   */
  stop(drainMs?: number): Promise<boolean>;
  /** Updates not acknowledged (after `stop` resolved `false`: how many were dropped). */
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
  /** The bus's repair and identity side: the account is bound to its exchange user, published again after a reset. */
  readonly bus?: Pick<BridgeBus, 'reset$' | 'identity' | 'maxPayload'>;
  /** After a permanent failure (bad key, permission): the wait before one new try (default 5 minutes). */
  readonly recheckFailedMs?: number;
  readonly onEvent: (event: LinkEvent | { type: 'lease-error'; account: string; reason: string }) => void;
  readonly meter?: AccountLinkOptions['meter'];
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
      ...(options.recheckFailedMs === undefined ? {} : { recheckFailedMs: options.recheckFailedMs }),
      ...(options.meter ? { meter: options.meter } : {}),
      ...(initial ? { store: initial } : {}),
      ...linkBusOptions(account.name, options.bus),
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
      ...(options.meter ? { meter: options.meter } : {}),
    });
  })();
  return {
    stop: async (drainMs?: number) => {
      cancelled = true;
      await ready;
      return link ? link.stop(drainMs) : true;
    },
    buffered: () => link?.buffered() ?? 0,
  };
}

function linkBusOptions(account: string, bus: HoldOptions['bus']) {
  if (!bus) return {};
  return {
    reset$: bus.reset$,
    maxPayload: () => bus.maxPayload(),
    identity: (channel: string) => bus.identity(account, channel),
  };
}

/** The client's `reconcile` for an account: the bridge's setting, with the account's TAPIv2 key. @internal */
export function reconcileOf(
  account: BridgeAccount,
  setting: boolean | ReconcileOptions = true,
): boolean | ReconcileOptions {
  if (setting === false) return false;
  const given: ReconcileOptions = setting === true ? {} : setting;
  // Each account checks at its own phase of the period, the same after a takeover: 1,000
  // accounts spread over the minute instead of reading at once.
  const every = given.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS;
  const base: ReconcileOptions =
    given.checkPhaseMs !== undefined || every <= 0
      ? given
      : { ...given, checkPhaseMs: hashString(account.name) % every };
  return account.v2Credentials
    ? { ...base, tradeApi: { ...base.tradeApi, v2Flavor: 'api', v2Credentials: account.v2Credentials } }
    : base;
}
