import { createPrivateClient } from '../client';
import { environments } from '../environments';
import type { Command } from './args';
import { sinkFor, type CliIo } from './io';
import { createRecorder } from './record';
import { runClient } from './run';

/**
 * `indodax-pws watch`: a real account, credentials only from the environment.
 * @internal
 */
export async function runWatch(command: Extract<Command, { kind: 'watch' }>, io: CliIo): Promise<number> {
  const apiKey = io.env['INDODAX_API_KEY'] ?? '';
  const apiSecret = io.env['INDODAX_API_SECRET'] ?? '';
  const missing = [
    apiKey ? undefined : 'INDODAX_API_KEY',
    apiSecret ? undefined : 'INDODAX_API_SECRET',
  ].filter((v): v is string => v !== undefined);
  if (missing.length > 0) {
    io.stderr.write(
      `indodax-pws: watch needs your API credentials in the environment: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set\n`,
    );
    return 2;
  }
  const base = environments[command.environment];
  const environment = {
    restBaseUrl: command.restBaseUrl ?? base.restBaseUrl,
    wsUrl: command.wsUrl ?? base.wsUrl,
    tapiV2BaseUrl: command.tapiV2BaseUrl ?? base.tapiV2BaseUrl,
  };
  const client = createPrivateClient({
    credentials: { apiKey, apiSecret },
    environment,
    reconcile: command.reconcile,
  });
  const recorder = command.record ? createRecorder(command.record) : undefined;
  const sink = sinkFor(io, command.json, `indodax-pws watch (${command.environment})`);
  return runClient(client, sink, {
    ...(command.durationS === undefined ? {} : { durationS: command.durationS }),
    ...(recorder ? { recorder } : {}),
    onStop: io.onStop,
    stderr: io.stderr,
  });
}
