import {
  Subscription,
  asyncScheduler,
  filter,
  firstValueFrom,
  from,
  map,
  merge,
  race,
  EMPTY,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { IDENTITY_BUCKET, ORDERS_STREAM, ordersSubject, statusSubject, updateMsgId } from '../bus/names';
import { ChannelError } from '../connection/types';
import type { OrderStateSnapshot, OrderUpdate } from '../orders';
import type { ConnectionStatus } from '../protocol/messages';
import type { ReconciliationEvent } from '../reconcile/events';
import { backoff } from '../util/backoff';
import { runMachine } from '../util/machine';
import { safeTimer } from '../util/safe-timer';
import { initialLinkState, linkStep } from './link-step';
import type { IdentityAnswer, LinkEffect, LinkEvent, LinkInput } from './link-types';
import type { BridgeMeter } from './meter';
import { publishFailureKind, refusalOf } from './publish-errors';

export type { IdentityAnswer, LinkEvent } from './link-types';

/** Where a link publishes: JetStream for updates (resolves on the ack), core NATS for status. */
export interface BusPublisher {
  /** Rejects with a `BusPublishError` (or a NATS client error) saying whether to retry. */
  publishUpdate(subject: string, payload: string, msgId: string): Promise<void>;
  publishStatus(subject: string, payload: string): void;
}

/** One account's streams, as a client gives them (subscribing opens the socket). */
export interface AccountSource {
  readonly orderUpdates$: Observable<OrderUpdate>;
  readonly status$: Observable<ConnectionStatus>;
  /** The client's reconciliation progress: each finished one is an event and a meter fact. */
  readonly reconciliation$?: Observable<ReconciliationEvent>;
}

/** Options of {@link startAccountLink}. */
export interface AccountLinkOptions {
  readonly account: string;
  /** Makes the account's streams; called again after a failure (a fresh token, a fresh socket). */
  readonly source: () => AccountSource;
  readonly publisher: BusPublisher;
  /** Updates held while JetStream has not acknowledged them; when full the socket is let go (default 10 000). */
  readonly maxBuffer?: number;
  /** Backoff of a failed publish (default 100 ms … 2 000 ms, full jitter); `maxMs` is also the wait before a fresh source after a temporary failure. */
  readonly retry?: { readonly minMs: number; readonly maxMs: number };
  /** After a permanent failure (bad key or sign, permission denied): the wait before one new try (default 300 000 ms). */
  readonly recheckFailedMs?: number;
  /** The server's `max_payload`, read when publishing (an update over it is skipped). */
  readonly maxPayload?: () => number | undefined;
  /**
   * Binds the account to the exchange user its channel names (create-if-absent on the bus);
   * nothing is published before it answers `ok`. Without it nothing is checked.
   */
  readonly identity?: (channel: string) => Promise<IdentityAnswer>;
  /** What the bus lost and re-created (`BridgeBus.reset$`): after the stream, the acknowledged store is published again; after the identity bucket, the account is bound again. */
  readonly reset$?: Observable<readonly string[]>;
  /** What JetStream already holds of the account (published again with the rest after a reset). */
  readonly store?: OrderStateSnapshot;
  readonly scheduler?: SchedulerLike;
  readonly onEvent?: (event: LinkEvent) => void;
  /** Told of every acknowledged publish, retry, reconnect and reconciliation. */
  readonly meter?: Pick<BridgeMeter, 'published' | 'publishRetried' | 'reconciled' | 'reconnected'>;
}

/** A running account: its buffer, and a way to stop it. */
export interface AccountLink {
  readonly account: string;
  /** Updates waiting for their ack (after `stop` resolved `false`: how many were dropped). */
  buffered(): number;
  /** Whether the socket is let go because the buffer is full. */
  paused(): boolean;
  /** Lets the socket go and waits (at most `drainMs`) until every buffered update is acknowledged; then nothing more is tried. */
  stop(drainMs?: number): Promise<boolean>;
}

/**
 * Runs one account into the bus (the shell of `linkStep`): every update, in order, is published
 * to `indodax.orders.<account>.<symbol>.<status>` with its `Nats-Msg-Id` and waits for the
 * JetStream ack; a failed publish is retried with backoff; an update the bus can never carry
 * (a header-hostile id, a payload over `max_payload`) is skipped with a `skipped` event. The buffer
 * is bounded: when it is full the link unsubscribes and subscribes again once half of it is
 * acknowledged. A permanent failure is said once (`account-failed`, status `failed` on
 * `indodax.status.<account>`) and re-checked every `recheckFailedMs`.
 *
 * ```text
 * updates   ─a─b─c─d─e─(full: unsubscribe)··········(resubscribe)─f─
 * publish   ─a───b───c───d───e────────────────────────────────────f─
 * ```
 *
 * ## Example
 * ```ts
 * const link = startAccountLink({ account: 'acct0', source: () => createPrivateClient(opts), publisher });
 * await link.stop(5_000);
 * ```
 */
export function startAccountLink(options: AccountLinkOptions): AccountLink {
  const { account, publisher, meter } = options;
  const retry = options.retry ?? { minMs: 100, maxMs: 2_000 };
  const scheduler = options.scheduler ?? asyncScheduler;
  const timers = new Subscription();
  let reading: Subscription | undefined;
  let source: AccountSource | undefined;
  let startedAt = 0;
  let drained = (): void => undefined;
  const drained$ = new Promise<true>((resolve) => (drained = () => resolve(true)));

  const read = (fresh: boolean, dispatch: (input: LinkInput) => void): void => {
    if (fresh || source === undefined) source = options.source();
    const s = source;
    reading = merge(
      s.status$.pipe(map((status): LinkInput => ({ type: 'status', status }))),
      s.orderUpdates$.pipe(map((update): LinkInput => ({ type: 'update', update }))),
      (s.reconciliation$ ?? EMPTY).pipe(
        map((event) => reconciledInput(account, event)),
        filter((input): input is LinkInput => input !== undefined),
      ),
    ).subscribe({
      next: dispatch,
      error: (error: unknown) =>
        dispatch({
          type: 'source-failed',
          permanent: error instanceof ChannelError && error.kind !== 'exhausted',
          reason: error instanceof Error ? error.message : String(error),
        }),
    });
  };

  let landedAfterStop = 0;
  const publish = (update: OrderUpdate, dispatch: (input: LinkInput) => void): void => {
    const payload = JSON.stringify(update);
    const msgId = updateMsgId(account, update);
    const refusal = refusalOf(payload, msgId, options.maxPayload?.());
    if (refusal !== undefined) return dispatch({ type: 'publish-failed', kind: 'refused', reason: refusal });
    startedAt = scheduler.now();
    publisher.publishUpdate(ordersSubject(account, update), payload, msgId).then(
      () => {
        if (machine.stopped()) {
          landedAfterStop += 1; // acknowledged after the link stopped: in the stream, not dropped
          return;
        }
        meter?.published(account, (scheduler.now() - startedAt) / 1000);
        dispatch({ type: 'acked' });
      },
      (error: unknown) =>
        dispatch({
          type: 'publish-failed',
          kind: publishFailureKind(error),
          reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        }),
    );
  };

  const later = (ms: number, input: LinkInput, dispatch: (input: LinkInput) => void): void => {
    timers.add(safeTimer(ms, scheduler).subscribe(() => dispatch(input)));
  };

  const perform = (effect: LinkEffect, dispatch: (input: LinkInput) => void): void => {
    switch (effect.type) {
      case 'publish':
        return publish(effect.update, dispatch);
      case 'publish-status':
        return publisher.publishStatus(statusSubject(account), effect.payload);
      case 'emit':
        return options.onEvent?.(effect.event);
      case 'subscribe':
        return read(effect.fresh, dispatch);
      case 'unsubscribe':
        reading?.unsubscribe();
        return;
      case 'later':
        return later(effect.ms, effect.input, dispatch);
      case 'retry-later':
        return later(backoff(effect.attempt - 1, retry.minMs, retry.maxMs), { type: 'retry-due' }, dispatch);
      case 'check-identity':
        void options.identity?.(effect.channel).then(
          (answer) => dispatch({ type: 'identity', answer }),
          () => dispatch({ type: 'identity', answer: 'error' }),
        );
        return;
      case 'count':
        if (effect.fact === 'retried') meter?.publishRetried(account);
        else meter?.reconnected(account);
        return;
      case 'count-reconciled':
        return meter?.reconciled(account, effect.result);
      case 'drained':
        return drained();
    }
  };

  const machine = runMachine(
    linkStep,
    initialLinkState({
      account,
      maxBuffer: options.maxBuffer ?? 10_000,
      recheckFailedMs: options.recheckFailedMs ?? 300_000,
      sourceRetryMs: retry.maxMs,
      checksIdentity: options.identity !== undefined,
      ...(options.store ? { store: options.store } : {}),
    }),
    perform,
  );
  if (options.reset$)
    timers.add(
      options.reset$.subscribe((lost) =>
        machine.dispatch({
          type: 'bus-reset',
          stream: lost.includes(ORDERS_STREAM),
          identities: lost.includes(`KV_${IDENTITY_BUCKET}`),
        }),
      ),
    );
  machine.dispatch({ type: 'start' });

  return {
    account,
    buffered: () => machine.state().queue.length - landedAfterStop,
    paused: () => machine.state().reading === 'paused',
    stop: async (drainMs = 5_000) => {
      machine.dispatch({ type: 'stop' });
      // whichever comes first; race() cancels the other (no timer left behind)
      const done = await firstValueFrom(
        race(from(drained$), safeTimer(drainMs, scheduler).pipe(map(() => false))),
      );
      machine.stop();
      timers.unsubscribe();
      reading?.unsubscribe();
      return done;
    },
  };
}

function reconciledInput(account: string, event: ReconciliationEvent): LinkInput | undefined {
  if (event.type === 'completed') {
    const changed = event.changed ?? 0;
    return {
      type: 'reconciled',
      event: {
        type: 'reconciliation',
        account,
        result: changed > 0 ? 'changed' : 'ok',
        changed,
        trigger: event.reason,
      },
    };
  }
  if (event.type === 'failed')
    return {
      type: 'reconciled',
      event: { type: 'reconciliation', account, result: 'failed', reason: event.reason },
    };
  return undefined;
}
