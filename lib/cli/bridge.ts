import { hostname } from 'node:os';
import { asyncScheduler } from 'rxjs';
import { startBridge, type Bridge, type BridgeEvent } from '../bridge/bridge';
import { NatsSecurityError, natsSecurityFromEnv } from '../bus/connect-options';
import { LeaseMismatchError } from '../bridge/lease-errors';
import type { BridgeCommand } from './bridge-args';
import { readAccountsFile } from './accounts-read';
import { USAGE } from './args';
import { bridgeEventLevel, bridgeExtraLine, type BridgeLogEvent } from './bridge-log';
import { startBridgeMetrics, type BridgeMetrics } from './bridge-metrics';
import type { CliIo } from './io';
import { logLine } from './log-line';
import { proxyFromEnv } from './proxy-env';

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
    case 'skipped':
      return `${event.account}: skipped ${event.status} of ${event.orderId}: ${event.reason}`;
    case 'account-failed':
      return `${event.account}: failed: ${event.reason} (checked again in ${Math.round(event.recheckInMs / 1000)} s)`;
    case 'identity-mismatch':
      return `${event.account}: identity-mismatch: ${event.reason}`;
    case 'reconciliation':
      return `${event.account}: reconciliation ${event.result}${event.trigger ? ` (${event.trigger})` : ''}${event.changed ? `, ${event.changed} changed` : ''}${event.reason ? `: ${event.reason}` : ''}`;
    case 'republished':
      return `${event.account}: the bus came back empty; published its store again (${event.updates} updates)`;
    case 'lease-mismatch':
      return `bridge ${event.id}: the lease bucket's TTL is ${event.bucketLeaseMs} ms, not ${event.leaseMs} ms: run every bridge with --lease-ms ${event.bucketLeaseMs}`;
    case 'stopped':
      return `bridge ${event.id}: stopped${event.drained ? ', every update acknowledged' : `, ${event.dropped} updates dropped (not acknowledged)`}`;
  }
}

/**
 * `indodax-pws bridge`: reads the accounts file (secrets from the environment variables it
 * names), runs a bridge until SIGINT/SIGTERM, then drains (at most `--drain-timeout-ms`) and
 * deletes its leases (exit 0). A `--lease-ms` other than the lease bucket's TTL: exit 2.
 * @internal
 */
export async function runBridge(command: BridgeCommand, io: CliIo): Promise<number> {
  const parsed = readAccountsFile(command.accounts, io.env);
  if (!parsed.ok) {
    io.stderr.write(`indodax-pws: ${parsed.error}\n${USAGE}\n`);
    return 2;
  }
  const id = command.id ?? `${hostname().replace(/[^A-Za-z0-9_-]/g, '_')}-${process.pid}`;
  const now = () => (io.scheduler ?? asyncScheduler).now();
  const write = (event: BridgeLogEvent) => io.stdout.write(eventLine(event, command.json, now()) + '\n');
  const proxy = proxyFromEnv(io.env);
  let metrics: BridgeMetrics | undefined;
  let bridge: Bridge;
  try {
    const security = natsSecurityFromEnv(io.env, command.natsFlags);
    metrics = await startBridgeMetrics(command, now);
    if (metrics) write({ type: 'metrics', url: metrics.server.url });
    bridge = await startBridge({
      // a cluster: every node's URL, comma-separated
      servers: command.nats
        .split(',')
        .map((u) => u.trim())
        .filter((u) => u !== ''),
      security,
      id,
      accounts: parsed.accounts,
      ...(command.leaseMs === undefined ? {} : { leaseMs: command.leaseMs }),
      drainTimeoutMs: command.drainTimeoutMs,
      ...(command.replicas === undefined ? {} : { replicas: command.replicas }),
      onEvent: write,
      ...(metrics ? { meter: metrics.meter } : {}),
      // The accounts' clients reach the exchange through HTTPS_PROXY (minus NO_PROXY), if set.
      ...(proxy ? { client: { proxy } } : {}),
    });
  } catch (e) {
    await metrics?.server.close();
    if (e instanceof NatsSecurityError) {
      io.stderr.write(`indodax-pws: ${e.message}\n${USAGE}\n`);
      return 2;
    }
    // the event said it already; a usage error: the flag does not fit the bus
    if (e instanceof LeaseMismatchError) {
      io.stderr.write(`indodax-pws: ${e.message}\n`);
      return 2;
    }
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
  const text = event.type === 'metrics' ? bridgeExtraLine(event) : bridgeLine(event);
  return `${new Date(time).toISOString()} ${text}`;
}
