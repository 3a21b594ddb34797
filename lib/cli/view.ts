import type { ConnectionStatus } from '../protocol/messages';
import type { ReconciliationEvent } from '../reconcile/reconciler';
import { reconciliationText } from './view-text';

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
  /** When the last reconciliation completed or the last REST update arrived. */
  readonly reconciledAt: number | undefined;
  /** The last check while connected: when it ended and how many updates it changed. */
  readonly lastCheck?: { readonly at: number; readonly changed: number };
  /** The terminal failure that stopped the run. */
  readonly failure: string | undefined;
  readonly updates: number;
  /** Invalid items of the stream (every `invalid` event: bad frames, updates, recording lines). */
  readonly invalid: number;
  readonly open: readonly OpenOrderRow[];
  readonly totalOrders: number;
  readonly fills: readonly FillRow[];
  readonly notes: readonly string[];
}

/** Something the view reacts to. @internal */
export type ViewEvent =
  | { readonly type: 'status'; readonly status: ConnectionStatus }
  /** An order update; `rest`: found by REST reconciliation (so one just ran). */
  | { readonly type: 'update'; readonly rest?: boolean }
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
      // A REST update is a reconciliation's finding: a replay or `tail` sees no other sign of one.
      return event.rest === true
        ? { ...view, updates: view.updates + 1, reconciledAt: now }
        : { ...view, updates: view.updates + 1 };
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
