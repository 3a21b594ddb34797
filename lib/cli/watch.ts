import { asyncScheduler } from 'rxjs';
import { createPrivateClient } from '../client';
import { environments } from '../environments';
import type { Command } from './args';
import { sinkFor, type CliIo } from './io';
import { proxyFromEnv } from './proxy-env';
import { openRecorder } from './record';
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
      `indodax-pws: watch needs your API credentials in the environment: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set\n` +
        '  create a Trade API key with the "view" permission at https://indodax.com/trade_api (README: "API keys and permissions"),\n' +
        '  or try the simulator, which needs none: indodax-pws demo\n',
    );
    return 2;
  }
  // Opened first: a bad --record path is a usage error before anything connects.
  const recorder =
    command.record === undefined
      ? undefined
      : openRecorder(command.record, () => (io.scheduler ?? asyncScheduler).now());
  const base = environments[command.environment];
  const environment = {
    restBaseUrl: command.restBaseUrl ?? base.restBaseUrl,
    wsUrl: command.wsUrl ?? base.wsUrl,
    tapiV2BaseUrl: command.tapiV2BaseUrl ?? base.tapiV2BaseUrl,
  };
  const proxy = proxyFromEnv(io.env);
  const client = createPrivateClient({
    credentials: { apiKey, apiSecret },
    environment,
    reconcile: command.reconcile,
    ...(proxy ? { proxy } : {}),
  });
  const sink = sinkFor(io, command.json, `indodax-pws watch (${watchTarget(command, environment)})`);
  const code = await runClient(client, sink, {
    ...(command.durationS === undefined ? {} : { durationS: command.durationS }),
    ...(recorder ? { recorder } : {}),
    ...(io.scheduler ? { scheduler: io.scheduler } : {}),
    onStop: io.onStop,
    stderr: io.stderr,
  });
  await client.close(); // every stream completes and the socket closes with 1000 before the exit
  return code;
}

/**
 * What the title names: the environment, or the hosts when a URL option overrides it
 * (e.g. `production: ws 127.0.0.1:8000, rest example.test`).
 * @internal
 */
export function watchTarget(
  command: Extract<Command, { kind: 'watch' }>,
  environment: { restBaseUrl: string; wsUrl: string; tapiV2BaseUrl: string },
): string {
  const overridden: string[] = [];
  if (command.wsUrl !== undefined) overridden.push(`ws ${host(environment.wsUrl)}`);
  if (command.restBaseUrl !== undefined) overridden.push(`rest ${host(environment.restBaseUrl)}`);
  if (command.tapiV2BaseUrl !== undefined) overridden.push(`tapi v2 ${host(environment.tapiV2BaseUrl)}`);
  if (overridden.length === 0) return command.environment;
  const hosts = new Set([environment.wsUrl, environment.restBaseUrl, environment.tapiV2BaseUrl].map(host));
  // Every URL overridden, all to one host (a local fake, a proxy): that host says it all.
  if (overridden.length === 3 && hosts.size === 1) return [...hosts].join('');
  return `${command.environment}: ${overridden.join(', ')}`;
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
