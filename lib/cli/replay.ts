import { asyncScheduler, filter, map, share, subscribeOn } from 'rxjs';
import { pipelineFromChannel } from '../client';
import type { ChannelMessage } from '../connection/types';
import type { OrderUpdate } from '../orders';
import type { Command } from './args';
import { sinkFor, type CliIo } from './io';
import { playRecords, readRecording, type RecordLine } from './record';
import { runClient } from './run';

/**
 * `indodax-pws replay FILE`: a recording through the same operators.
 * @internal
 */
export async function runReplay(command: Extract<Command, { kind: 'replay' }>, io: CliIo): Promise<number> {
  let recording;
  try {
    recording = readRecording(command.file);
  } catch (e) {
    io.stderr.write(
      `indodax-pws: cannot read ${command.file}: ${e instanceof Error ? e.message : String(e)}\n`,
    );
    return 2;
  }
  const sink = sinkFor(io, command.json, `indodax-pws replay ${command.file}`);
  for (const bad of recording.bad) {
    sink.write({ type: 'invalid', raw: bad.raw, reason: `recording line ${bad.line}: ${bad.reason}` });
  }
  // Subscribed after every stream of the pipeline is in place, so none misses the start.
  const records$ = playRecords(recording.records, command.speed).pipe(subscribeOn(asyncScheduler), share());
  const isMessage = (r: RecordLine): r is Extract<RecordLine, { message: unknown }> => 'message' in r;
  const channel$ = records$.pipe(
    filter(isMessage),
    map((r): ChannelMessage => r.message),
  );
  const rest$ = records$.pipe(
    filter((r): r is Extract<RecordLine, { restUpdate: unknown }> => !isMessage(r)),
    map((r): OrderUpdate => r.restUpdate),
  );
  const client = pipelineFromChannel(channel$, { extraUpdates: () => rest$ });
  return runClient(client, sink, { onStop: io.onStop, stderr: io.stderr });
}
