import { Observable, type OperatorFunction } from 'rxjs';

/**
 * The one shape of every lifecycle in this library (session, reconnect, reconciler, client
 * core, bridge lease): a pure transition from a state and an event to the next state and the
 * effects to perform. Configuration is closed over (or part of the state); the argument order
 * is always `(state, event)`. The transition never reads a clock: events carry `now` from the
 * scheduler that the shell was given.
 *
 * ## Example
 * ```ts
 * type Ev = { type: 'tick' };
 * const counter: Step<number, Ev, string> = (n) => [n + 1, [`count ${n + 1}`]];
 * ```
 */
export type Step<S, E, F> = (state: S, event: E) => readonly [S, readonly F[]];

/** A running machine: feed it events, read where it stands, stop it. */
export interface Machine<S, E> {
  /** Queue one event; it is stepped at once unless a step is running (then right after it). */
  readonly dispatch: (event: E) => void;
  /** The state after the last step. */
  readonly state: () => S;
  /** Stop stepping: events queued or dispatched later are dropped. */
  readonly stop: () => void;
  /** Whether {@link Machine.stop} was called. */
  readonly stopped: () => boolean;
}

/**
 * Run a {@link Step}: the one shell every lifecycle shares. Events raised while effects run
 * (a synchronous socket, a timer of 0, a `perform` that dispatches) wait in a queue and are
 * stepped in order after the current step's effects, so a transition never sees another
 * start in the middle of its own effects. An effect that throws stops nothing: the error
 * propagates to the caller of `dispatch` after the queue has been cleared.
 *
 * ```text
 * dispatch(a) ──► step(s0, a) = [s1, [f1, f2]] ──► perform(f1) ─ dispatch(b) queued
 *                                                  perform(f2)
 *             ──► step(s1, b) = [s2, [...]]    ──► ...
 * ```
 *
 * ## Example
 * ```ts
 * const m = runMachine(counter, 0, (effect) => console.log(effect));
 * m.dispatch({ type: 'tick' }); // prints "count 1"
 * ```
 *
 * @param step - the pure transition
 * @param initial - the state before the first event
 * @param perform - carries out one effect; it may call `dispatch` (queued)
 * @returns the running machine
 */
export function runMachine<S, E, F>(
  step: Step<S, E, F>,
  initial: S,
  perform: (effect: F, dispatch: (event: E) => void) => void,
): Machine<S, E> {
  let state = initial;
  let stopped = false;
  let running = false;
  const queue: E[] = [];
  const dispatch = (event: E): void => {
    if (stopped) return;
    queue.push(event);
    if (running) return;
    running = true;
    try {
      while (queue.length > 0 && !stopped) {
        const next = queue.shift() as E;
        const [after, effects] = step(state, next);
        state = after;
        for (const effect of effects) {
          if (stopped) break;
          perform(effect, dispatch);
        }
      }
    } finally {
      running = false;
      queue.length = 0;
    }
  };
  return {
    dispatch,
    state: () => state,
    stop: () => {
      stopped = true;
      queue.length = 0;
    },
    stopped: () => stopped,
  };
}

/**
 * {@link runMachine} as an operator: every value of the source is an event; every effect is
 * emitted. Events the source emits while an effect is being emitted (a subscriber that feeds
 * the source back) wait in the machine's queue, so downstream sees each step's effects whole
 * and in order. Errors and completion of the source pass through.
 *
 * ```text
 * source:  --a----b--|
 * result:  --(xy)-z--|     step(s0, a) = [s1, [x, y]], step(s1, b) = [s2, [z]]
 * ```
 *
 * ## Example
 * ```ts
 * const counts$ = ticks$.pipe(machine(counter, 0));
 * ```
 *
 * @param step - the pure transition
 * @param initial - the state before the first event (each subscription starts from it)
 */
export function machine<S, E, F>(step: Step<S, E, F>, initial: S): OperatorFunction<E, F> {
  return (source) =>
    new Observable<F>((subscriber) => {
      const running = runMachine(step, initial, (effect: F) => subscriber.next(effect));
      const subscription = source.subscribe({
        next: (event) => running.dispatch(event),
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        running.stop();
        subscription.unsubscribe();
      };
    });
}
