import type { ConnectionStatus } from '../protocol/messages';
import type { ReconciliationEvent } from '../reconcile/reconciler';

/** The largest time a `Date` can hold, in ms either side of the epoch. */
const MAX_DATE_MS = 8.64e15;

/**
 * Text as one terminal line can show it: control characters (a `\r\n` or an escape
 * sequence in an order id) are written as `\uXXXX`, so no decoded value moves the cursor.
 *
 * ## Example
 * ```ts
 * printable('a\r\nb'); // 'a\\u000d\\u000ab'
 * ```
 * @internal
 */
export function printable(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * `HH:MM:SS` (UTC) of an epoch time; a time no `Date` can hold prints as its number
 * (`9007199254740991`), and anything that is not a finite number as `invalid time`. Never throws.
 *
 * ## Example
 * ```ts
 * clockText(1772510281185); // '03:58:01'
 * clockText(9007199254740991); // '9007199254740991'
 * ```
 * @internal
 */
export function clockText(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return 'invalid time';
  if (Math.abs(ms) > MAX_DATE_MS) return String(ms);
  return new Date(ms).toISOString().slice(11, 19);
}

/** `HH:MM:SS` of a length of time in ms (negative or not finite: `00:00:00`). @internal */
export function durationText(ms: number): string {
  const s = Number.isFinite(ms) ? Math.max(0, Math.floor(ms / 1000)) : 0;
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}`;
}

/** How long ago `at` was: `never`, `12 s ago`, `3 min ago`. @internal */
export function agoText(now: number, at: number | undefined): string {
  if (at === undefined) return 'never';
  const s = Number.isFinite(now - at) ? Math.max(0, Math.floor((now - at) / 1000)) : 0;
  return s < 120 ? `${s} s ago` : `${Math.floor(s / 60)} min ago`;
}

/** The connection state in words. @internal */
export function stateText(status: ConnectionStatus | undefined): string {
  if (!status) return 'starting';
  switch (status.state) {
    case 'connecting':
      return `connecting (attempt ${status.attempt})`;
    case 'connected':
      return `connected${status.ttl === undefined ? '' : ` (token ttl ${status.ttl} s)`}`;
    case 'subscribed':
      return 'subscribed';
    case 'refreshed':
      return `subscribed, token refreshed${status.ttl === undefined ? '' : ` (ttl ${status.ttl} s)`}`;
    case 'disconnected':
      return `disconnected${status.code === undefined ? '' : ` ${status.code}`}${status.retryInMs === undefined ? '' : `, retry in ${status.retryInMs} ms`}`;
  }
}

/** A reconciliation event in one line of the view. @internal */
export function reconciliationText(e: ReconciliationEvent): string {
  switch (e.type) {
    case 'started':
      return `reconciling (${e.reason}) from ${clockText(e.from)}`;
    case 'completed':
      return (
        (e.reason === 'check'
          ? `check found the store behind: ${e.changed ?? 0} updates (${e.calls} REST calls)`
          : e.reason === 'start'
            ? `reconciled ${e.orders} orders at start (${e.calls} REST calls)`
            : `reconciled ${e.orders} orders and ${e.fills} fills after a ${(e.gapMs / 1000).toFixed(1)} s gap (${e.calls} REST calls)`) +
        (e.unresolved.length > 0 ? `; ${e.unresolved.length} unresolved` : '')
      );
    case 'failed':
      return `reconciliation failed: ${e.reason}; retry in ${e.retryInMs} ms`;
  }
}
