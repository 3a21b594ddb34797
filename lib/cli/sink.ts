import type { OrderStateSnapshot } from '../orders';
import type { CliEvent } from './events';

/** Where the command's events go. @internal */
export interface Sink {
  write(event: CliEvent): void;
  /** The store changed (the live view redraws its tables; JSON output ignores it). */
  orders?(snapshot: OrderStateSnapshot): void;
  /** A terminal failure, shown in the last frame (JSON output leaves it to stderr). */
  fail?(message: string): void;
  /** A closing line shown in the view (JSON output leaves it to stderr). */
  note?(message: string): void;
  /** Called once at the end (final redraw, flush). */
  end(): void;
}

/** A writable the sinks print to (process.stdout fits). @internal */
export interface Out {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
  readonly rows?: number;
}

/**
 * An event as one JSON line, whatever it holds: an invalid item's `raw` that JSON cannot
 * write (nested 2,000,000 deep, a cycle) is replaced by a note saying so; the reason stays.
 *
 * ## Example
 * ```ts
 * jsonLine({ type: 'note', message: 'hi' }); // '{"type":"note","message":"hi"}'
 * ```
 * @internal
 */
export function jsonLine(event: CliEvent): string {
  try {
    return JSON.stringify(event);
  } catch (e) {
    const why = `(not representable as JSON: ${e instanceof Error ? e.message : String(e)})`;
    return event.type === 'invalid'
      ? JSON.stringify({ type: 'invalid', raw: why, reason: event.reason })
      : JSON.stringify({ type: 'note', message: `a ${event.type} event ${why}` });
  }
}

/**
 * One JSON object per line ({@link jsonLine}). Values that JSON cannot hold (Map) are turned
 * into arrays/objects by the event builders before they reach here.
 * @internal
 */
export function jsonSink(out: Out): Sink {
  return {
    write: (event) => {
      out.write(jsonLine(event) + '\n');
    },
    end: () => undefined,
  };
}
