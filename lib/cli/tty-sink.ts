import type { Sink, Out } from './sink';
import type { CliEvent } from './events';
import { initialView, reduceView, type ViewEvent, type ViewState } from './view';
import { renderView } from './view-render';
import { ordersView } from './view-events';

/** Turns a CLI event into what the view needs. @internal */
export type ViewMapper = (event: CliEvent) => readonly ViewEvent[];

/**
 * The live view: folds events into a {@link ViewState} and redraws in place at most
 * every `intervalMs` (and once at the end).
 * @internal
 */
export function ttySink(
  out: Out,
  title: string,
  toView: ViewMapper,
  clock: { now(): number; every(ms: number, work: () => void): () => void },
  intervalMs = 200,
): Sink {
  let view: ViewState = initialView(title, clock.now());
  let drawn = 0;
  let dirty = true;
  const draw = (): void => {
    if (!dirty) return;
    dirty = false;
    // One line less than the terminal has: the cursor rests below the frame, and a frame
    // taller than the screen could not be redrawn in place.
    const lines = renderView(view, clock.now(), out.columns ?? 100, Math.max(2, (out.rows ?? Infinity) - 1));
    const up = drawn > 0 ? `\x1b[${drawn}A\r` : '';
    out.write(`${up}\x1b[J${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  const stop = clock.every(intervalMs, () => {
    dirty = true; // the uptime moves even when nothing happens
    draw();
  });
  return {
    write: (event) => {
      const now = clock.now();
      for (const e of toView(event)) view = reduceView(view, e, now);
      dirty = true;
    },
    note: (message) => {
      view = reduceView(view, { type: 'note', message }, clock.now());
      dirty = true;
    },
    fail: (message) => {
      view = reduceView(view, { type: 'failed', message }, clock.now());
      dirty = true;
    },
    orders: (snapshot) => {
      view = reduceView(view, ordersView(snapshot));
      dirty = true;
    },
    end: () => {
      stop();
      dirty = true;
      draw();
    },
  };
}
