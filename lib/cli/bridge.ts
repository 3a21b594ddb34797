import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { asyncScheduler } from 'rxjs';
import { parseAccountsFile } from '../bridge/accounts-file';
import { startBridge, type BridgeEvent } from '../bridge/bridge';
import type { BridgeCommand } from './bridge-args';
import { USAGE } from './args';
import { bridgeEventLevel, bridgeExtraLine, loggingMeter, type BridgeLogEvent } from './bridge-log';
import { startBridgeMetrics, type BridgeMetrics } from './bridge-metrics';
import type { CliIo } from './io';
import { logLine } from './log-line';

/** One line of the bridge's text output. @internal */
export function bridgeLine(event: BridgeEvent): string {
  switch (event.type) {
    case 'ready':
      return `bridge ${event.id}: ready, ${event.accounts} accounts in the file, lease ${event.leaseMs} ms`;
    case 'claimed':
    case 'released':
      return `${event.account}: ${event.type}`;
    case 'lost':
    case 'lease-error':
    case 'source-failed':
      return `${event.account}: ${event.type}: ${event.reason}`;
    case 'paused':
      return `${event.account}: buffer full (${event.buffered} unacknowledged), stopped reading its socket`;
    case 'resumed':
      return `${event.account}: reading again (${event.buffered} unacknowledged)`;
    case 'publish-retry':
      return `${event.account}: publish failed (attempt ${event.attempt}), retrying: ${event.reason}`;
    case 'status':
      return `${event.account}: ${event.status.state}`;
    case 'stopped':
      return `bridge ${event.id}: stopped${event.drained ? '' : ' (some updates were not acknowledged)'}`;
  }
}

/**
 * `indodax-pws bridge`: reads the accounts file (secrets from the environment variables it
 * names), runs a bridge until SIGINT/SIGTERM, then drains and deletes its leases (exit 0).
 * @internal
 */
export async function runBridge(command: BridgeCommand, io: CliIo): Promise<number> {
  let text: string;
  try {
    text = readFileSync(command.accounts, 'utf8');
  } catch (e) {
    io.stderr.write(
      `indodax-pws: cannot read --accounts ${command.accounts}: ${(e as NodeJS.ErrnoException).code ?? 'error'}\n${USAGE}\n`,
    );
    return 2;
  }
  const parsed = parseAccountsFile(text, io.env);
  if (!parsed.ok) {
    io.stderr.write(`indodax-pws: ${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  const id = command.id ?? `${hostname().replace(/[^A-Za-z0-9_-]/g, '_')}-${process.pid}`;
  const now = () => (io.scheduler ?? asyncScheduler).now();
  const write = (event: BridgeLogEvent) => io.stdout.write(eventLine(event, command.json, now()) + '\n');
  let metrics: BridgeMetrics | undefined;
  let bridge;
  try {
    metrics = await startBridgeMetrics(command, now);
    if (metrics) write({ type: 'metrics', url: metrics.server.url });
    bridge = await startBridge({
      servers: command.nats,
      id,
      accounts: parsed.accounts,
      leaseMs: command.leaseMs,
      onEvent: write,
      meter: loggingMeter(write, metrics?.meter),
    });
  } catch (e) {
    await metrics?.server.close();
    io.stderr.write(`indodax-pws: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  metrics?.attach(bridge);
  await new Promise<void>((resolve) => {
    const unregister = io.onStop(() => {
      unregister();
      resolve();
    });
  });
  await bridge.stop();
  await metrics?.server.close();
  return 0;
}

/** One output line of the bridge: JSON with `level` and `time`, or a timestamped text line. @internal */
export function eventLine(event: BridgeLogEvent, json: boolean, time: number): string {
  if (json) return logLine(bridgeEventLevel(event), time, event);
  const text =
    event.type === 'reconciled' || event.type === 'metrics' ? bridgeExtraLine(event) : bridgeLine(event);
  return `${new Date(time).toISOString()} ${text}`;
}
