import type { ConnectionStatus } from '../protocol/messages';
import type { ReconciliationEvent } from '../reconcile/reconciler';
import { reconciliationText } from './events';

/** One open order as the live view shows it. @internal */
export interface OpenOrderRow {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: string;
  readonly price: string;
  readonly origQty: string;
  readonly executedQty: string;
  readonly status: string;
  readonly approximate: boolean;
}

/** One fill as the live view shows it. @internal */
export interface FillRow {
  readonly time: number;
  readonly orderId: string;
  readonly side: string;
  readonly qty: string;
  readonly price: string;
  readonly fee: string;
  readonly tax: string;
  readonly clearing: string;
  readonly asset: string;
  readonly breakdown: boolean;
}

/** What the live view draws; changed only by {@link reduceView}. @internal */
export interface ViewState {
  readonly title: string;
  readonly startedAt: number;
  readonly status: ConnectionStatus | undefined;
  /** Outages: links lost after they were up (failed attempts during an outage are not counted). */
  readonly reconnects: number;
  /** The link is up (connected, subscribed or refreshed since the last disconnect). */
  readonly linkUp: boolean;
  readonly refreshes: number;
  /** When the last message of the channel arrived. */
  readonly lastMessageAt: number | undefined;
  /** A reconciliation is running. */
  readonly reconciling: boolean;
  /** When the last reconciliation completed. */
  readonly reconciledAt: number | undefined;
  /** The last check while connected: when it ended and how many updates it changed. */
  readonly lastCheck?: { readonly at: number; readonly changed: number };
  /** The terminal failure that stopped the run. */
  readonly failure: string | undefined;
  readonly updates: number;
  readonly invalid: number;
  readonly open: readonly OpenOrderRow[];
  readonly totalOrders: number;
  readonly fills: readonly FillRow[];
  readonly notes: readonly string[];
}

/** Something the view reacts to. @internal */
export type ViewEvent =
  | { readonly type: 'status'; readonly status: ConnectionStatus }
  | { readonly type: 'update' }
  | { readonly type: 'fill'; readonly fill: FillRow }
  | { readonly type: 'invalid'; readonly reason: string }
  | { readonly type: 'orders'; readonly open: readonly OpenOrderRow[]; readonly total: number }
  | { readonly type: 'note'; readonly message: string }
  | { readonly type: 'message' }
  | { readonly type: 'reconciliation'; readonly event: ReconciliationEvent }
  | { readonly type: 'failed'; readonly message: string };

const MAX_FILLS = 8;
const MAX_NOTES = 4;

/** The view before anything happened. @internal */
export function initialView(title: string, startedAt: number): ViewState {
  return {
    title,
    startedAt,
    status: undefined,
    reconnects: 0,
    linkUp: false,
    refreshes: 0,
    lastMessageAt: undefined,
    reconciling: false,
    reconciledAt: undefined,
    failure: undefined,
    updates: 0,
    invalid: 0,
    open: [],
    totalOrders: 0,
    fills: [],
    notes: [],
  };
}

/** The pure reducer of the live view; `now` stamps what arrived. @internal */
export function reduceView(view: ViewState, event: ViewEvent, now = 0): ViewState {
  switch (event.type) {
    case 'status': {
      const s = event.status;
      const linkUp = s.state === 'disconnected' ? false : view.linkUp || s.state !== 'connecting';
      return {
        ...view,
        status: s,
        linkUp,
        // connecting/disconnected are the client's own news, not something the server sent.
        lastMessageAt: s.state === 'connecting' || s.state === 'disconnected' ? view.lastMessageAt : now,
        reconnects: view.reconnects + (s.state === 'disconnected' && view.linkUp ? 1 : 0),
        refreshes: view.refreshes + (s.state === 'refreshed' ? 1 : 0),
        notes:
          s.state === 'disconnected'
            ? keep(view.notes, `disconnected${s.code === undefined ? '' : ` ${s.code}`}: ${s.reason}`)
            : view.notes,
      };
    }
    case 'update':
      return { ...view, updates: view.updates + 1 };
    case 'fill':
      return { ...view, fills: [event.fill, ...view.fills].slice(0, MAX_FILLS) };
    case 'invalid':
      return { ...view, invalid: view.invalid + 1, notes: keep(view.notes, `invalid: ${event.reason}`) };
    case 'orders':
      return { ...view, open: event.open, totalOrders: event.total };
    case 'note':
      return { ...view, notes: keep(view.notes, event.message) };
    case 'message':
      return { ...view, lastMessageAt: now };
    case 'reconciliation': {
      const e = event.event;
      if (e.type === 'completed' && e.reason === 'check') {
        const changed = e.changed ?? 0;
        const notes = changed > 0 ? keep(view.notes, reconciliationText(e)) : view.notes;
        return { ...view, reconciling: false, lastCheck: { at: now, changed }, notes };
      }
      return {
        ...view,
        reconciling: e.type === 'started',
        ...(e.type === 'completed' ? { reconciledAt: now } : {}),
        notes: e.type === 'started' ? view.notes : keep(view.notes, reconciliationText(e)),
      };
    }
    case 'failed':
      return { ...view, failure: event.message, notes: keep(view.notes, `stopped: ${event.message}`) };
  }
}

function keep(notes: readonly string[], note: string): readonly string[] {
  return [...notes, note].slice(-MAX_NOTES);
}

const pad = (s: string, n: number): string => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length));
const padLeft = (s: string, n: number): string =>
  s.length >= n ? s.slice(0, n) : ' '.repeat(n - s.length) + s;

function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}`;
}

function stateText(status: ConnectionStatus | undefined): string {
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

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

function ago(now: number, at: number | undefined): string {
  if (at === undefined) return 'never';
  const s = Math.max(0, Math.floor((now - at) / 1000));
  return s < 120 ? `${s} s ago` : `${Math.floor(s / 60)} min ago`;
}

/** Health at a glance: the last message's and the last reconciliation's age. */
function healthText(view: ViewState, now: number): string {
  const reconciled = view.reconciling ? 'reconciling' : `reconciled ${ago(now, view.reconciledAt)}`;
  const c = view.lastCheck;
  const checked = c ? ` | checked ${ago(now, c.at)} (${c.changed > 0 ? `fixed ${c.changed}` : 'ok'})` : '';
  return `last message ${ago(now, view.lastMessageAt)} | ${reconciled}${checked}`;
}

/**
 * Draws the live view as lines of at most `width` characters.
 * @internal
 */
export function renderView(view: ViewState, now: number, width = 100): string[] {
  const lines: string[] = [];
  lines.push(
    `${view.title} | ${view.failure === undefined ? stateText(view.status) : 'STOPPED'} | up ${duration(now - view.startedAt)}`,
  );
  lines.push(
    view.failure === undefined
      ? `  ${healthText(view, now)} | reconnects ${view.reconnects} | refreshes ${view.refreshes} | updates ${view.updates} | invalid ${view.invalid}`
      : `  stopped: ${view.failure}`,
  );
  lines.push('');
  lines.push(`Open orders (${view.open.length} of ${view.totalOrders} tracked)`);
  lines.push(
    `  ${pad('ORDER', 24)} ${pad('SIDE', 4)} ${padLeft('PRICE', 12)} ${padLeft('QTY', 14)} ${padLeft('EXECUTED', 14)} ${pad('STATUS', 6)}`,
  );
  for (const o of view.open.slice(0, 12)) {
    lines.push(
      `  ${pad(o.orderId, 24)} ${pad(o.side, 4)} ${padLeft(o.price, 12)} ${padLeft(o.origQty + (o.approximate ? '~' : ''), 14)} ${padLeft(o.executedQty, 14)} ${pad(o.status, 6)}`,
    );
  }
  if (view.open.length > 12) lines.push(`  … ${view.open.length - 12} more`);
  if (view.open.length === 0) lines.push('  (none)');
  lines.push('');
  lines.push('Recent fills (newest received first; REST finds older ones after a gap)');
  lines.push(
    `  ${pad('TIME', 8)} ${pad('ORDER', 24)} ${pad('SIDE', 4)} ${padLeft('QTY', 14)} ${padLeft('PRICE', 12)} ${padLeft('FEE', 11)} ${padLeft('TAX', 6)} ${padLeft('CLR', 5)}`,
  );
  for (const f of view.fills) {
    lines.push(
      `  ${clock(f.time)} ${pad(f.orderId, 24)} ${pad(f.side, 4)} ${padLeft(f.qty, 14)} ${padLeft(f.price, 12)} ${padLeft(`${f.fee} ${f.asset}`, 11)} ${padLeft(f.breakdown ? f.tax : '-', 6)} ${padLeft(f.breakdown ? f.clearing : '-', 5)}`,
    );
  }
  if (view.fills.length === 0) lines.push('  (none yet)');
  lines.push('');
  for (const note of view.notes) lines.push(`  · ${note}`);
  return lines.map((l) => (l.length > width ? l.slice(0, width - 1) + '…' : l));
}
