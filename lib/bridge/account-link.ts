import {
  asyncScheduler,
  firstValueFrom,
  from,
  map,
  merge,
  race,
  type Observable,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { ordersSubject, statusSubject, updateMsgId } from '../bus/names';
import type { OrderUpdate } from '../orders';
import type { ConnectionStatus } from '../protocol/messages';
import { backoff } from '../util/backoff';
import { safeTimer } from '../util/safe-timer';

/** Where a link publishes: JetStream for updates (resolves on the ack), core NATS for status. */
export interface BusPublisher {
  publishUpdate(subject: string, payload: string, msgId: string): Promise<void>;
  publishStatus(subject: string, payload: string): void;
}

/** One account's streams, as a client gives them (subscribing opens the socket). */
export interface AccountSource {
  readonly orderUpdates$: Observable<OrderUpdate>;
  readonly status$: Observable<ConnectionStatus>;
}

/** What a link reports. */
export type LinkEvent =
  | { readonly type: 'paused'; readonly account: string; readonly buffered: number }
  | { readonly type: 'resumed'; readonly account: string; readonly buffered: number }
  | {
      readonly type: 'publish-retry';
      readonly account: string;
      readonly attempt: number;
      readonly reason: string;
    }
  | { readonly type: 'source-failed'; readonly account: string; readonly reason: string }
  | { readonly type: 'status'; readonly account: string; readonly status: ConnectionStatus };

/** Options of {@link startAccountLink}. */
export interface AccountLinkOptions {
  readonly account: string;
  /** Makes the account's streams; called again after a terminal failure. */
  readonly source: () => AccountSource;
  readonly publisher: BusPublisher;
  /** Updates held while JetStream has not acknowledged them; when full the socket is let go (default 10 000). */
  readonly maxBuffer?: number;
  /** Backoff of a failed publish (default 100 ms … 2 000 ms, full jitter). */
  readonly retry?: { readonly minMs: number; readonly maxMs: number };
  readonly scheduler?: SchedulerLike;
  readonly onEvent?: (event: LinkEvent) => void;
}

/** A running account: its buffer, and a way to stop it. */
export interface AccountLink {
  readonly account: string;
  /** Updates waiting for their ack. */
  buffered(): number;
  /** Whether the socket is let go because the buffer is full. */
  paused(): boolean;
  /**
   * Lets the socket go and waits (at most `drainMs`) until every buffered update is acknowledged;
   * past that nothing more is published (what is left in {@link AccountLink.buffered} is dropped).
   */
  stop(drainMs?: number): Promise<boolean>;
}

/**
 * Runs one account into the bus: every update, in order, is published to
 * `indodax.orders.<account>.<symbol>.<status>` with its `Nats-Msg-Id` and waits for the
 * JetStream ack; a failed publish is retried with backoff, never dropped. The buffer is
 * bounded: when it is full the link unsubscribes (the socket closes, nothing more is read),
 * says so, and subscribes again once half of it is acknowledged (the client's reconciliation
 * then fills what the exchange did meanwhile).
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
  const { account, publisher } = options;
  const maxBuffer = options.maxBuffer ?? 10_000;
  const retry = options.retry ?? { minMs: 100, maxMs: 2_000 };
  const scheduler = options.scheduler ?? asyncScheduler;
  const emit = (event: LinkEvent) => options.onEvent?.(event);
  const queue: OrderUpdate[] = [];
  let source = options.source();
  let subscription: Subscription | undefined;
  let pausedNow = false;
  let stopping = false;
  let aborted = false;
  let pumping: Promise<void> | undefined;

  const subscribe = (): void => {
    subscription = merge(
      source.status$.pipe(map((status) => ({ kind: 'status' as const, status }))),
      source.orderUpdates$.pipe(map((update) => ({ kind: 'update' as const, update }))),
    ).subscribe({
      next: (item) => {
        if (item.kind === 'status') {
          publisher.publishStatus(statusSubject(account), JSON.stringify(item.status));
          emit({ type: 'status', account, status: item.status });
          return;
        }
        queue.push(item.update);
        if (queue.length >= maxBuffer && !pausedNow) {
          pausedNow = true;
          subscription?.unsubscribe();
          emit({ type: 'paused', account, buffered: queue.length });
        }
        pump();
      },
      error: (error: unknown) => {
        emit({
          type: 'source-failed',
          account,
          reason: error instanceof Error ? error.message : String(error),
        });
        if (stopping) return;
        source = options.source();
        void firstValueFrom(safeTimer(retry.maxMs, scheduler)).then(() => {
          if (!stopping && !pausedNow) subscribe();
        });
      },
    });
  };

  const pump = (): void => {
    pumping ??= drain().finally(() => {
      pumping = undefined;
    });
  };

  const drain = async (): Promise<void> => {
    for (;;) {
      const update = queue[0];
      if (update === undefined) return;
      for (let attempt = 0; ; attempt++) {
        if (aborted) return;
        try {
          await publisher.publishUpdate(
            ordersSubject(account, update),
            JSON.stringify(update),
            updateMsgId(account, update),
          );
          break;
        } catch (e) {
          emit({
            type: 'publish-retry',
            account,
            attempt: attempt + 1,
            reason: e instanceof Error ? e.message : String(e),
          });
          await firstValueFrom(safeTimer(backoff(attempt, retry.minMs, retry.maxMs), scheduler));
        }
      }
      queue.shift();
      if (pausedNow && !stopping && queue.length <= maxBuffer / 2) {
        pausedNow = false;
        emit({ type: 'resumed', account, buffered: queue.length });
        subscribe();
      }
    }
  };

  subscribe();
  return {
    account,
    buffered: () => queue.length,
    paused: () => pausedNow,
    stop: async (drainMs = 5_000) => {
      stopping = true;
      aborted = drainMs <= 0; // 0: not one more publish (a lost lease)
      subscription?.unsubscribe();
      if (queue.length === 0) return true;
      if (aborted) return false;
      pump();
      const done$ = from(pumping ?? Promise.resolve()).pipe(map(() => true));
      // whichever comes first; race() cancels the other (no timer left behind)
      const drained = await firstValueFrom(race(done$, safeTimer(drainMs, scheduler).pipe(map(() => false))));
      if (!drained) aborted = true; // nothing more is published: what is left is dropped
      return drained;
    },
  };
}
