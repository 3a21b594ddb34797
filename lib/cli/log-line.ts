import type { CliEvent } from './events';
import type { Out, Sink } from './sink';

/** How much an event line matters, in pino's words. @internal */
export type LogLevel = 'info' | 'warn' | 'error';

/**
 * One JSON event line as pino writes it (with its level as a word): `level` and `time` (epoch
 * ms) first, then the event's own fields.
 *
 * ## Example
 * ```ts
 * logLine('warn', 1765000000000, { type: 'lost', account: 'acct0' });
 * // {"level":"warn","time":1765000000000,"type":"lost","account":"acct0"}
 * ```
 * @internal
 */
export function logLine(level: LogLevel, time: number, event: object): string {
  return JSON.stringify({ level, time, ...event });
}

/** The level of a `watch`/`tail` event: trouble on the link or in the data is `warn`. @internal */
export function cliEventLevel(event: CliEvent): LogLevel {
  switch (event.type) {
    case 'status':
      return event.status.state === 'disconnected' ? 'warn' : 'info';
    case 'invalid':
      return 'warn';
    case 'reconciliation':
      return event.event.type !== 'failed' ? 'info' : event.event.terminal ? 'error' : 'warn';
    default:
      return 'info';
  }
}

/**
 * The JSON sink with every line stamped (`level`, `time`): what `tail --json` prints.
 *
 * ## Example
 * ```ts
 * const sink = stampedJsonSink(process.stdout, () => Date.now());
 * ```
 * @internal
 */
export function stampedJsonSink(out: Out, now: () => number): Sink {
  return {
    write: (event) => {
      out.write(logLine(cliEventLevel(event), now(), event) + '\n');
    },
    end: () => undefined,
  };
}
