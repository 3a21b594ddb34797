import { jsonSink, type Out, type Sink } from './sink';
import { ttySink } from './tty-sink';
import { toViewEvents } from './view-events';

/** What the command touches of the process; tests pass their own. @internal */
export interface CliIo {
  readonly stdout: Out;
  readonly stderr: Out;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Registers a stop request (SIGINT/SIGTERM); returns an unregister function. */
  readonly onStop: (stop: () => void) => () => void;
}

/** Picks the output: JSON lines when asked or when stdout is not a terminal. @internal */
export function sinkFor(io: CliIo, json: boolean, title: string): Sink {
  if (json || !io.stdout.isTTY) return jsonSink(io.stdout);
  return ttySink(io.stdout, title, toViewEvents, {
    now: () => Date.now(),
    every: (ms, work) => {
      const id = setInterval(work, ms);
      return () => clearInterval(id);
    },
  });
}
