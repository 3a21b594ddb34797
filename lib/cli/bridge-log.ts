import type { BridgeEvent } from '../bridge/bridge';
import type { BridgeMeter } from '../bridge/meter';
import type { LogLevel } from './log-line';

/** What `indodax-pws bridge` prints: the bridge's events, reconciliations, where its metrics are. @internal */
export type BridgeLogEvent =
  | BridgeEvent
  | {
      readonly type: 'reconciled';
      readonly account: string;
      readonly result: 'ok' | 'changed' | 'failed';
    }
  | { readonly type: 'metrics'; readonly url: string };

const WARN: ReadonlySet<string> = new Set(['lost', 'lease-error', 'paused', 'publish-retry']);

/**
 * The level of a bridge event line: `error` when an account's client failed for good (it is
 * started again), `warn` for a lost lease, a lease error, a full buffer, a publish retry, a
 * dropped exchange link, a failed reconciliation and a stop that could not drain; `info` else.
 * @internal
 */
export function bridgeEventLevel(event: BridgeLogEvent): LogLevel {
  if (event.type === 'source-failed') return 'error';
  if (WARN.has(event.type)) return 'warn';
  if (event.type === 'status') return event.status.state === 'disconnected' ? 'warn' : 'info';
  if (event.type === 'reconciled') return event.result === 'failed' ? 'warn' : 'info';
  if (event.type === 'stopped') return event.drained ? 'info' : 'warn';
  return 'info';
}

/** The text line of the events the CLI adds to the bridge's own. @internal */
export function bridgeExtraLine(event: Extract<BridgeLogEvent, { type: 'reconciled' | 'metrics' }>): string {
  return event.type === 'metrics'
    ? `metrics: ${event.url}/metrics (probes ${event.url}/healthz, ${event.url}/readyz)`
    : `${event.account}: reconciled: ${event.result}`;
}

/**
 * A meter that says each reconciliation of a held account as an event line, then hands every
 * fact on to `next` (the Prometheus meter, when `--metrics-port` asks for one).
 *
 * ## Example
 * ```ts
 * const meter = loggingMeter(write, promMeter);
 * await startBridge({ ...options, meter });
 * ```
 * @internal
 */
export function loggingMeter(write: (event: BridgeLogEvent) => void, next?: BridgeMeter): BridgeMeter {
  return {
    published: (account, seconds) => next?.published(account, seconds),
    publishRetried: (account) => next?.publishRetried(account),
    reconnected: (account) => next?.reconnected(account),
    leaseChanged: (kind, account) => next?.leaseChanged(kind, account),
    reconciled: (account, result) => {
      write({ type: 'reconciled', account, result });
      next?.reconciled(account, result);
    },
  };
}
