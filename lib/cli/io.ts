import { asyncScheduler, repeat, type SchedulerLike } from 'rxjs';
import { safeTimer } from '../util/safe-timer';
import { jsonSink, type Out, type Sink } from './sink';
import { ttySink } from './tty-sink';
import { toViewEvents } from './view-events';

/** What the command touches of the process; tests pass their own. @internal */
export interface CliIo {
  readonly stdout: Out;
  readonly stderr: Out;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Registers a stop request (SIGINT/SIGTERM, a closed stdout); returns an unregister function. */
  readonly onStop: (stop: () => void) => () => void;
  /** Runs every timer of the command: pacing, the demo's script, --duration, redraws (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike;
}

/** Picks the output: JSON lines when asked or when stdout is not a terminal. @internal */
export function sinkFor(io: CliIo, json: boolean, title: string): Sink {
  if (json || !io.stdout.isTTY) return jsonSink(io.stdout);
  const scheduler = io.scheduler ?? asyncScheduler;
  return ttySink(io.stdout, title, toViewEvents, {
    now: () => scheduler.now(),
    every: (ms, work) => {
      const subscription = safeTimer(ms, scheduler).pipe(repeat()).subscribe(work);
      return () => subscription.unsubscribe();
    },
  });
}
