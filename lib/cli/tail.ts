import { asyncScheduler } from 'rxjs';
import { NatsSecurityError, natsSecurityFromEnv } from '../bus/connect-options';
import { fromJetStream, type BusClient } from '../bus/from-jetstream';
import { USAGE } from './args';
import type { TailCommand } from './bridge-args';
import { sinkFor, type CliIo } from './io';
import { stampedJsonSink } from './log-line';
import { runClient } from './run';

/**
 * `indodax-pws tail`: the `watch` view of one account, read from the bus; with `--duration`
 * it exits after S seconds and its last line is the final snapshot. NATS authentication and TLS
 * come from the NATS CLI's variables and the `--nats-*` flags; a bad setting is a usage error
 * (exit 2) found before anything connects.
 * @internal
 */
export async function runTail(command: TailCommand, io: CliIo): Promise<number> {
  let client: BusClient;
  try {
    client = fromJetStream({
      servers: command.nats,
      account: command.account,
      name: `indodax-pws tail ${command.account}`,
      ...natsSecurityFromEnv(io.env, command.natsFlags),
    });
  } catch (e) {
    if (!(e instanceof NatsSecurityError)) throw e;
    io.stderr.write(`indodax-pws: ${e.message}\n${USAGE}\n`);
    return 2;
  }
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
