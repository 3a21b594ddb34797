import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseAccountsFile } from '../bridge/accounts-file';
import { startBridge, type Bridge, type BridgeEvent } from '../bridge/bridge';
import { LeaseMismatchError } from '../bridge/lease-errors';
import type { BridgeCommand } from './bridge-args';
import { USAGE } from './args';
import type { CliIo } from './io';

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
  const write = (event: BridgeEvent) =>
    io.stdout.write(
      (command.json ? JSON.stringify(event) : `${new Date().toISOString()} ${bridgeLine(event)}`) + '\n',
    );
  let bridge: Bridge;
  try {
    bridge = await startBridge({
      servers: command.nats,
      id,
      accounts: parsed.accounts,
      ...(command.leaseMs === undefined ? {} : { leaseMs: command.leaseMs }),
      drainTimeoutMs: command.drainTimeoutMs,
      onEvent: write,
    });
  } catch (e) {
    if (!(e instanceof LeaseMismatchError)) throw e;
    io.stderr.write(`indodax-pws: ${e.message}\n`);
    return 2; // the event said it already; a usage error: the flag does not fit the bus
  }
  await new Promise<void>((resolve) => {
    const unregister = io.onStop(() => {
      unregister();
      resolve();
    });
  });
  await bridge.stop();
  return 0;
}
