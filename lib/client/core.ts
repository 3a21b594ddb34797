import type { ChannelMessage } from '../protocol/messages';
import {
  reduceOrderState,
  reduceOrderStateBatch,
  type InvalidMessage,
  type OrderStateSnapshot,
  type OrderUpdate,
} from '../orders';
import { invalidMessage } from '../orders/decode';
import { decodePublication } from '../orders/order-updates';
import { findingsToUpdates } from '../reconcile/to-updates';
import type { ReconciliationEvent, ReconciliationOutput } from '../reconcile/events';

/**
 * One thing that happens to a client, folded in one step: a channel message (a status, or a
 * publication whose items are decoded together), a bad frame line, updates from elsewhere
 * (a recording's REST lines), or one output of reconciliation (an event, or its findings).
 *
 * ## Example
 * ```ts
 * const action: CoreAction = { type: 'message', message: { type: 'publication', channel, data } };
 * ```
 */
export type CoreAction =
  | { readonly type: 'message'; readonly message: ChannelMessage }
  | { readonly type: 'invalid'; readonly problem: InvalidMessage }
  | { readonly type: 'updates'; readonly updates: readonly OrderUpdate[] }
  | { readonly type: 'reconciliation'; readonly output: ReconciliationOutput }
  /** The server sent a frame or PING at `at` (reported at most about once a second). */
  | { readonly type: 'activity'; readonly at: number };

/**
 * What one step produced: the store after it, and what every stream of the client shows for
 * it. `orderUpdates$`, `invalid$`, `reconciliation$`, `messages$` and `orders$` are
 * projections of these.
 *
 * ## Example
 * ```ts
 * const fills$ = outcome$.pipe(concatMap((o) => o.updates.filter((u) => u.status === 'FILL')));
 * ```
 */
export interface CoreOutcome {
  readonly state: OrderStateSnapshot;
  readonly message: ChannelMessage | undefined;
  /** Pushed updates (every one), and REST updates that changed the store. */
  readonly updates: readonly OrderUpdate[];
  readonly invalid: readonly InvalidMessage[];
  readonly event: ReconciliationEvent | undefined;
  /** When the server last sent a frame or PING, on an `activity` action (for `health$`). */
  readonly activityAt?: number;
}

/**
 * The outcome that carries only a state (the seed, and what a late subscriber is replayed).
 *
 * ## Example
 * ```ts
 * const seed = quietOutcome(createOrderState());
 * ```
 */
export function quietOutcome(state: OrderStateSnapshot): CoreOutcome {
  return { state, message: undefined, updates: [], invalid: [], event: undefined };
}

/**
 * Where the client's fold stands between two actions: the store, and how many updates of the
 * running reconciliation's findings changed it so far (told in its `completed` event).
 *
 * ## Example
 * ```ts
 * const initial = coreState(createOrderState());
 * ```
 */
export interface CoreState {
  readonly store: OrderStateSnapshot;
  readonly applied: number;
}

/**
 * The state before the first action: a store, nothing applied.
 *
 * ## Example
 * ```ts
 * const [next, [outcome]] = coreStep(coreState(createOrderState()), action);
 * ```
 */
export function coreState(store: OrderStateSnapshot): CoreState {
  return { store, applied: 0 };
}

/**
 * The client's one transition, `(state, action) → [state, outcomes]` like every lifecycle
 * here (`lib/util/machine.ts`); each action gives exactly one outcome, which every stream of
 * the client projects. A publication is decoded and folded item by item; findings of a
 * reconciliation become updates against the store as it is in this step (not as it was
 * when the REST reads began), and only those that change it are shown; its `completed` event
 * says how many did.
 *
 * ```text
 * action:   message(pub[NEW,bad,FILL])     reconciliation(findings)     invalid(line)
 * outcome:  S1 updates[N,F] invalid[bad]   S2 updates[rest…]            S2 invalid[line]
 * ```
 *
 * ## Example
 * ```ts
 * const outcome$ = actions$.pipe(machine(coreStep, coreState(createOrderState())));
 * ```
 */
export function coreStep(state: CoreState, action: CoreAction): readonly [CoreState, readonly [CoreOutcome]] {
  const before = state.store;
  const to = (
    outcome: CoreOutcome,
    applied = state.applied,
  ): readonly [CoreState, readonly [CoreOutcome]] => [
    outcome.state === before && applied === state.applied ? state : { store: outcome.state, applied },
    [outcome],
  ];
  switch (action.type) {
    case 'message': {
      const { message } = action;
      if (message.type !== 'publication') return to({ ...quietOutcome(before), message });
      const invalid: InvalidMessage[] = [];
      const decoded: OrderUpdate[] = [];
      decodePublication(
        message.channel,
        message.data,
        { onInvalid: (p) => invalid.push(p) },
        { closed: false, next: (update) => decoded.push(update) },
      );
      const folded = fold(before, decoded, invalid, false);
      return to({ ...folded, message, invalid, event: undefined });
    }
    case 'invalid':
      return to({ ...quietOutcome(before), invalid: [action.problem] });
    case 'activity':
      return to({ ...quietOutcome(before), activityAt: action.at });
    case 'updates': {
      const invalid: InvalidMessage[] = [];
      return to({ ...quietOutcome(before), ...fold(before, action.updates, invalid, true), invalid });
    }
    case 'reconciliation': {
      const { output } = action;
      if (output.kind === 'findings') {
        const invalid: InvalidMessage[] = [];
        const applied = fold(before, findingsToUpdates(output.findings, before), invalid, true);
        return to({ ...quietOutcome(before), ...applied, invalid }, state.applied + applied.updates.length);
      }
      const event = output.event;
      if (event.type === 'completed')
        return to({ ...quietOutcome(before), event: { ...event, changed: state.applied } }, 0);
      return to({ ...quietOutcome(before), event }, event.type === 'started' ? 0 : state.applied);
    }
  }
}

/**
 * Folds updates into the store: every one (`onlyChanges` false, pushes) or only those that
 * changed it. An update the store cannot fold (it never should) is reported as invalid with
 * its value instead of stopping every stream.
 */
function fold(
  state: OrderStateSnapshot,
  updates: readonly OrderUpdate[],
  invalid: InvalidMessage[],
  onlyChanges: boolean,
): { state: OrderStateSnapshot; updates: OrderUpdate[] } {
  if (!onlyChanges) {
    // One publication in one step. Should an update fail to fold, the whole publication is
    // folded again one update at a time from `state` (a snapshot of the versioned store stays
    // as it was whatever a later, failed batch did), so the good updates around the bad one
    // still count. It redoes the batch's work, on a path no valid update takes.
    try {
      return { state: reduceOrderStateBatch(state, updates), updates: updates.slice() };
    } catch {
      // reported below, update by update
    }
  }
  const shown: OrderUpdate[] = [];
  for (const update of updates) {
    let next = state;
    try {
      next = reduceOrderState(state, update);
    } catch (e) {
      invalid.push(invalidMessage(update, `store: ${e instanceof Error ? e.message : 'cannot fold'}`));
      continue;
    }
    if (!onlyChanges || next !== state) shown.push(update);
    state = next;
  }
  return { state, updates: shown };
}
