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
 * One JSON object per line. Values that JSON cannot hold (Map) are turned into
 * arrays/objects by the event builders before they reach here.
 * @internal
 */
export function jsonSink(out: Out): Sink {
  return {
    write: (event) => {
      out.write(JSON.stringify(event) + '\n');
    },
    end: () => undefined,
  };
}
