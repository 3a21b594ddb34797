import {
  EMPTY,
  ReplaySubject,
  connect,
  defer,
  distinctUntilChanged,
  endWith,
  filter,
  ignoreElements,
  map,
  merge,
  share,
  startWith,
  takeUntil,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import type { ChannelMessage, ConnectionStatus } from '../protocol/messages';
import {
  createOrderState,
  splitByStatus,
  type InvalidMessage,
  type OrderStateOptions,
  type OrderStateSnapshot,
  type OrderUpdate,
  type UpdatesByStatus,
} from '../orders';
import type { ReconciliationEvent, ReconciliationOutput } from '../reconcile/events';
import { orderStateOf } from '../orders/snapshot';
import { machine } from '../util/machine';
import { coreState, coreStep, quietOutcome, type CoreAction, type CoreOutcome } from './core';
import { healthOfOutcomes, type ClientHealth } from './health';
import { NONE, each, latestOutcome } from './projections';

/**
 * What {@link createPrivateClient} and `pipelineFromChannel` (internal) return: projections of one fold.
 *
 * ## Example
 * ```ts
 * const { orders$, close } = createPrivateClient({ credentials });
 * orders$.subscribe((s) => console.log(s.openCount));
 * await close();
 * ```
 */
export interface PrivateClient {
  /** Every message of the channel as it arrived (status changes and raw publications). */
  readonly messages$: Observable<ChannelMessage>;
  /** Every state change of the connection. */
  readonly status$: Observable<ConnectionStatus>;
  /** Every order update, in order: every push (`source: 'ws'`), and reconciled ones (`source: 'rest'`) that changed the store. */
  readonly orderUpdates$: Observable<OrderUpdate>;
  /** The order updates split by status, each narrowed to its type. */
  readonly byStatus: UpdatesByStatus;
  /** The order-state store; a late subscriber gets the current snapshot at once. */
  readonly orders$: Observable<OrderStateSnapshot>;
  /** Every frame line and every event item that could not be decoded, with its raw value. */
  readonly invalid$: Observable<InvalidMessage>;
  /** Progress and failures of REST reconciliation (nothing when it is off). */
  readonly reconciliation$: Observable<ReconciliationEvent>;
  /**
   * The connection's health at a glance (state and for how long, time since the last frame
   * and publication, the last reconciliation, reconnects), every `healthIntervalMs` and on
   * every change of state. Subscribing to it, like to any stream, opens the connection.
   */
  readonly health$: Observable<ClientHealth>;
  /**
   * Completes every stream (no error), closes the socket with 1000 and cancels every timer
   * and REST read. Idempotent; resolves once the socket is closed. For good: a stream
   * subscribed afterwards completes at once (`orders$` after the last snapshot).
   */
  close(): Promise<void>;
}

/**
 * Options of {@link pipelineFromChannel}.
 *
 * ## Example
 * ```ts
 * pipelineFromChannel(channel$, { extraUpdates: () => recordedRestUpdates$, store: { maxTerminalOrders: 100 } });
 * ```
 */
export interface PipelineOptions {
  /** Problems found before the pipeline (e.g. bad frame lines); they join `invalid$` until the channel ends. */
  readonly problems?: Observable<InvalidMessage>;
  /**
   * More updates to fold into the same store (e.g. a recording's REST lines), given the
   * status stream and the store (its first value is the current snapshot). Read until the
   * channel ends.
   */
  readonly extraUpdates?: (
    status$: Observable<ConnectionStatus>,
    state$: Observable<OrderStateSnapshot>,
  ) => Observable<OrderUpdate>;
  /** REST reconciliation, given the status stream and the store (as `extraUpdates`). @internal */
  readonly reconciliation?: (
    status$: Observable<ConnectionStatus>,
    state$: Observable<OrderStateSnapshot>,
  ) => Observable<ReconciliationOutput>;
  /** Options of the order-state store. */
  readonly store?: OrderStateOptions;
  /** Runs `health$`'s clock (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike;
  /** How often `health$` emits (default 1 000 ms). */
  readonly healthIntervalMs?: number;
}

/**
 * The client's streams over any source of channel messages: a live `privateChannel`,
 * a recording being replayed, or a marble in a test. Everything is one `scan` over actions
 * (a publication, a bad line, a reconciliation's findings…) shared by every stream, so
 * findings always meet the store of their instant, and every stream completes when the
 * channel completes and errors with the channel's error.
 *
 * Sharing, like rxjs `share`:
 * - the first subscriber to any stream subscribes to `channel$` and starts the fold from an
 *   empty store (or `store.initial`);
 * - when the last subscriber leaves, the subscription to `channel$` ends and the fold is
 *   dropped (`resetOnRefCountZero`): the next subscriber starts a new fold, new store;
 * - after the channel completes or errors nothing resets: every stream, also a late one,
 *   completes or errors the same way, and `orders$` still gives the last snapshot first;
 * - a late subscriber gets no past update, problem or event, only (on `orders$`) the
 *   current snapshot.
 *
 * ```text
 * channel$:       --s--p[NEW,bad]--p[FILL]--|
 * orderUpdates$:  -----N-----------F--------|
 * invalid$:       -----b------------------- |
 * orders$:        S0---S1----------S2-------|
 * ```
 *
 * ## Example
 * ```ts
 * const { orders$ } = pipelineFromChannel(cold('-a-b-', { a: newOrderMessage, b: fillMessage }));
 * ```
 */
export function pipelineFromChannel(
  channel$: Observable<ChannelMessage>,
  options: PipelineOptions = {},
): PrivateClient {
  return pipelineFromActions(
    channel$.pipe(map((message): CoreAction => ({ type: 'message', message }))),
    options,
  );
}

/**
 * {@link pipelineFromChannel} over actions (a channel that also reports bad frame lines).
 *
 * ## Example
 * ```ts
 * const client = pipelineFromActions(channel$.pipe(map((message) => ({ type: 'message', message }))));
 * ```
 * @internal
 */
export function pipelineFromActions(
  source$: Observable<CoreAction>,
  options: PipelineOptions = {},
): PrivateClient {
  const stop = new ReplaySubject<true>(1);
  const initial = options.store?.initial;
  const store =
    initial === undefined ? createOrderState(options.store) : orderStateOf(initial, 'store.initial');
  const seed = quietOutcome(store);
  // The store as the fold has it now: its first value is replayed at once (see latestOutcome).
  const state$: Observable<OrderStateSnapshot> = defer(() => core$).pipe(map((o) => o.state));
  const actions$ = source$.pipe(
    connect((shared) => {
      const end$ = shared.pipe(ignoreElements(), endWith(true));
      const status$ = shared.pipe(
        each((a) => (a.type === 'message' && a.message.type === 'status' ? [a.message.status] : NONE)),
      );
      const extras: Observable<CoreAction>[] = [
        (options.problems ?? EMPTY).pipe(map((problem): CoreAction => ({ type: 'invalid', problem }))),
        options.extraUpdates
          ? options
              .extraUpdates(status$, state$)
              .pipe(map((u): CoreAction => ({ type: 'updates', updates: [u] })))
          : EMPTY,
        options.reconciliation
          ? options
              .reconciliation(status$, state$)
              .pipe(map((output): CoreAction => ({ type: 'reconciliation', output })))
          : EMPTY,
      ];
      return merge(shared, ...extras.map((x) => x.pipe(takeUntil(end$))));
    }),
    takeUntil(stop),
  );
  const core$: Observable<CoreOutcome> = actions$.pipe(
    machine(coreStep, coreState(store)),
    startWith(seed),
    share({
      connector: latestOutcome,
      resetOnError: false,
      resetOnComplete: false,
      resetOnRefCountZero: true,
    }),
  );
  const messages$ = core$.pipe(each((o) => (o.message ? [o.message] : NONE)));
  const orderUpdates$ = core$.pipe(each((o) => o.updates));
  return {
    messages$,
    status$: messages$.pipe(
      filter((m): m is Extract<ChannelMessage, { type: 'status' }> => m.type === 'status'),
      map((m) => m.status),
    ),
    orderUpdates$,
    byStatus: splitByStatus()(orderUpdates$),
    orders$: core$.pipe(
      map((o) => o.state),
      distinctUntilChanged(),
    ),
    invalid$: core$.pipe(each((o) => o.invalid)),
    reconciliation$: core$.pipe(each((o) => (o.event ? [o.event] : NONE))),
    health$: healthOfOutcomes(core$, {
      ...(options.scheduler ? { scheduler: options.scheduler } : {}),
      ...(options.healthIntervalMs !== undefined ? { intervalMs: options.healthIntervalMs } : {}),
    }),
    close: () => {
      stop.next(true);
      stop.complete();
      return Promise.resolve();
    },
  };
}
