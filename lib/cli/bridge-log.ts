import type { BridgeEvent } from '../bridge/bridge';
import type { LogLevel } from './log-line';

/** What `indodax-pws bridge` prints: the bridge's events, and where its metrics are. @internal */
export type BridgeLogEvent = BridgeEvent | { readonly type: 'metrics'; readonly url: string };

const ERROR: ReadonlySet<string> = new Set([
  'source-failed',
  'account-failed',
  'identity-mismatch',
  'lease-mismatch',
]);
const WARN: ReadonlySet<string> = new Set([
  'lost',
  'lease-error',
  'paused',
  'publish-retry',
  'skipped',
  'republished',
]);

/**
 * The level of a bridge event line: `error` when an account cannot run (its client failed,
 * its credentials failed for good or answer for another exchange user) or the lease does not
 * fit the bucket; `warn` for a lost lease, a lease error, a full buffer, a publish retry, a
 * skipped update, a store published again after NATS came back empty, a dropped exchange link,
 * a failed reconciliation and a stop that could not drain; `info` else.
 *
 * ## Example
 * ```ts
 * bridgeEventLevel({ type: 'lost', account: 'acct0', reason: 'expired' }); // 'warn'
 * ```
 * @internal
 */
export function bridgeEventLevel(event: BridgeLogEvent): LogLevel {
  if (ERROR.has(event.type)) return 'error';
  if (WARN.has(event.type)) return 'warn';
  if (event.type === 'status') return event.status.state === 'disconnected' ? 'warn' : 'info';
  if (event.type === 'reconciliation') return event.result === 'failed' ? 'warn' : 'info';
  if (event.type === 'stopped') return event.drained ? 'info' : 'warn';
  return 'info';
}

/**
 * The text line of the one event the CLI adds to the bridge's own: where the metrics are.
 *
 * ## Example
 * ```ts
 * bridgeExtraLine({ type: 'metrics', url: 'http://127.0.0.1:9464' });
 * ```
 * @internal
 */
export function bridgeExtraLine(event: Extract<BridgeLogEvent, { type: 'metrics' }>): string {
  return `metrics: ${event.url}/metrics (probes ${event.url}/healthz, ${event.url}/readyz)`;
}
