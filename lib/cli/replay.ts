import { Subject, asyncScheduler, filter, map, share, subscribeOn, tap } from 'rxjs';
import { statSync } from 'node:fs';
import { pipelineFromChannel } from '../client';
import type { ChannelMessage } from '../protocol/messages';
import type { InvalidMessage, OrderUpdate } from '../orders';
import type { Command } from './args';
import { sinkFor, type CliIo } from './io';
import { paced } from './pace';
import { recordingLines, type ReadLine, type RecordLine } from './record';
import { runClient } from './run';

/**
 * The longest wait between two records, in ms: a recording with a silence of a day
 * (or `t: 1e300`), or `--speed 1e-300`, still ends. @internal
 */
export const MAX_REPLAY_WAIT_MS = 60_000;

/**
 * How long replay waits before a record at `t` after one at `previousT`: the recorded
 * silence divided by `speed` (0: no wait), never less than 0 nor more than
 * {@link MAX_REPLAY_WAIT_MS}.
 * @internal
 */
export function replayWaitMs(previousT: number | undefined, t: number, speed: number): number {
  if (speed === 0 || previousT === undefined) return 0;
  const wait = (t - previousT) / speed;
  return Number.isNaN(wait) ? 0 : Math.min(MAX_REPLAY_WAIT_MS, Math.max(0, wait));
}

/**
 * The replay's closing line: records, then invalid items as the view's header counts them
 * (`invalid items N`), of which how many were lines of the file that are not records.
 * @internal
 */
export function replaySummary(records: number, items: number, badLines: number): string {
  return `replayed ${records} records; invalid items ${items} (${badLines} of them unreadable lines of the file)`;
}

/**
 * `indodax-pws replay FILE`: a recording through the same operators, read as a stream
 * (bounded memory). Bad lines are reported as `invalid` and the replay goes on; it ends
 * by itself with the final snapshot, then a summary ({@link replaySummary}). Exit 0
 * when at least one record was replayed, else 1.
 * @internal
 */
export async function runReplay(command: Extract<Command, { kind: 'replay' }>, io: CliIo): Promise<number> {
  try {
    if (!statSync(command.file).isFile()) throw Object.assign(new Error(), { code: 'not a file' });
  } catch (e) {
    const code = (e as { code?: string }).code;
    io.stderr.write(`indodax-pws: cannot read ${command.file}: ${code ?? String(e)}\n`);
    return 2;
  }
  const scheduler = io.scheduler ?? asyncScheduler;
  const sink = sinkFor(io, command.json, `indodax-pws replay ${command.file}`);
  let records = 0;
  /** Lines of the file that are not records (each is also one invalid item). */
  let badLines = 0;
  /** Invalid items of the stream: bad lines, recorded bad frames, updates the codec refuses. */
  let items = 0;
  let lastT: number | undefined;
  const problems = new Subject<InvalidMessage>();
  const next = recordingLines(command.file);
  const waitFor = (line: ReadLine): number => {
    if (!line.ok) return 0;
    const wait = replayWaitMs(lastT, line.record.t, command.speed);
    lastT = line.record.t;
    return wait;
  };
  // Subscribed after every stream of the pipeline is in place, so none misses the start.
  const lines$ = paced(next, waitFor, scheduler).pipe(
    tap({
      next: (line) => {
        if (line.ok) {
          records += 1;
          return;
        }
        badLines += 1;
        problems.next({
          raw: line.raw,
          rawText: line.raw,
          reason: `recording line ${line.line}: ${line.reason}`,
        });
      },
      error: (e: unknown) => problems.error(e),
      complete: () => problems.complete(),
    }),
    filter((line): line is Extract<ReadLine, { ok: true }> => line.ok),
    map((line) => line.record),
    tap((r) => {
      if ('frame' in r) {
        problems.next({ raw: r.frame.raw, rawText: r.frame.raw, reason: `frame: ${r.frame.reason}` });
      }
    }),
    subscribeOn(scheduler),
    share(),
  );
  const channel$ = lines$.pipe(
    filter((r): r is Extract<RecordLine, { message: unknown }> => 'message' in r),
    map((r): ChannelMessage => r.message),
  );
  const rest$ = lines$.pipe(
    filter((r): r is Extract<RecordLine, { restUpdate: unknown }> => 'restUpdate' in r),
    map((r): OrderUpdate => r.restUpdate),
  );
  const pipeline = pipelineFromChannel(channel$, { extraUpdates: () => rest$, problems });
  // Counted where the view's `invalid items` counter counts them, so both say the same.
  const client = { ...pipeline, invalid$: pipeline.invalid$.pipe(tap(() => (items += 1))) };
  return runClient(client, sink, {
    onStop: io.onStop,
    stderr: io.stderr,
    scheduler,
    exitCodeAtEnd: () => (records > 0 ? 0 : 1),
    summary: () => replaySummary(records, items, badLines),
  });
}
