import { asyncScheduler } from 'rxjs';
import { fromJetStream } from '../bus/from-jetstream';
import type { TailCommand } from './bridge-args';
import { sinkFor, type CliIo } from './io';
import { stampedJsonSink } from './log-line';
import { runClient } from './run';

/**
 * `indodax-pws tail`: the `watch` view of one account, read from the bus; with `--duration`
 * it exits after S seconds and its last line is the final snapshot.
 * @internal
 */
export async function runTail(command: TailCommand, io: CliIo): Promise<number> {
  const client = fromJetStream({
    servers: command.nats,
    account: command.account,
    name: `indodax-pws tail ${command.account}`,
  });
  const scheduler = io.scheduler ?? asyncScheduler;
  const sink =
    command.json || !io.stdout.isTTY
      ? stampedJsonSink(io.stdout, () => scheduler.now())
      : sinkFor(io, command.json, `indodax-pws tail ${command.account} (${command.nats})`);
  const code = await runClient(client, sink, {
    ...(command.durationS === undefined ? {} : { durationS: command.durationS }),
    onStop: io.onStop,
    stderr: io.stderr,
  });
  await client.close();
  return code;
}
