import type { FillRow, OpenOrderRow, ViewState } from './view';
import { flow, layoutTable, wrap, type Column, type Table } from './view-layout';
import { agoText, clockText, durationText, printable, stateText } from './view-text';

const MAX_OPEN_ROWS = 12;

const OPEN_COLUMNS: readonly Column<OpenOrderRow>[] = [
  { header: 'ORDER', align: 'left', cell: (o) => printable(o.orderId) },
  { header: 'SIDE', align: 'left', cell: (o) => printable(o.side), drop: 1 },
  { header: 'PRICE', align: 'right', cell: (o) => printable(o.price), drop: 3 },
  { header: 'QTY', align: 'right', cell: (o) => printable(o.origQty) + (o.approximate ? '~' : '') },
  { header: 'EXECUTED', align: 'right', cell: (o) => printable(o.executedQty), drop: 4 },
  { header: 'STATUS', align: 'left', cell: (o) => printable(o.status), drop: 2 },
];

const FILL_COLUMNS: readonly Column<FillRow>[] = [
  { header: 'TIME', align: 'left', cell: (f) => clockText(f.time), drop: 3 },
  { header: 'ORDER', align: 'left', cell: (f) => printable(f.orderId) },
  { header: 'SIDE', align: 'left', cell: (f) => printable(f.side), drop: 4 },
  { header: 'QTY', align: 'right', cell: (f) => printable(f.qty) },
  { header: 'PRICE', align: 'right', cell: (f) => printable(f.price), drop: 6 },
  { header: 'FEE', align: 'right', cell: (f) => `${printable(f.fee)} ${printable(f.asset)}`, drop: 5 },
  { header: 'TAX', align: 'right', cell: (f) => (f.breakdown ? printable(f.tax) : '-'), drop: 2 },
  { header: 'CLR', align: 'right', cell: (f) => (f.breakdown ? printable(f.clearing) : '-'), drop: 1 },
];

function header(view: ViewState, now: number, width: number): string[] {
  const first = flow(
    [
      printable(view.title),
      view.failure === undefined ? printable(stateText(view.status)) : 'STOPPED',
      `up ${durationText(now - view.startedAt)}`,
    ],
    width,
    ' | ',
    '',
  );
  if (view.failure !== undefined) return [...first, ...wrap(printable(view.failure), width, '  stopped: ')];
  const reconciled = view.reconciling ? 'reconciling' : `reconciled ${agoText(now, view.reconciledAt)}`;
  const c = view.lastCheck;
  const checked = c ? [`checked ${agoText(now, c.at)} (${c.changed > 0 ? `fixed ${c.changed}` : 'ok'})`] : [];
  return [
    ...first,
    ...flow(
      [
        `last message ${agoText(now, view.lastMessageAt)}`,
        reconciled,
        ...checked,
        `reconnects ${view.reconnects}`,
        `refreshes ${view.refreshes}`,
        `updates ${view.updates}`,
        `invalid items ${view.invalid}`,
      ],
      width,
    ),
  ];
}

/** A table's title: the headers dropped to fit, and `more` when the width allows it. */
function title(text: string, hidden: readonly string[], more: string, width: number): string[] {
  const base = hidden.length === 0 ? text : `${text}; ${hidden.join(', ')} hidden`;
  const full = `${base}${more === '' ? '' : `; ${more}`})`;
  return full.length <= width ? [full] : wrap(`${base})`, width);
}

/** The lines one row of a table takes (more than 1 when it had to wrap its rows). */
function rowLines(table: Table, rows: number): number {
  return rows === 0 ? 1 : Math.max(1, Math.ceil((table.lines.length - 1) / rows));
}

/** The lines a table of `total` rows takes when `shown` of them are shown (`… N more`, `(none)`). */
const linesFor = (shown: number, total: number): number =>
  total === 0 ? 1 : shown + (total > shown ? 1 : 0);

/** How many open-order and fill rows fit in `room` lines: the longer list gives way first, each keeps one. */
function share(open: number, fills: number, room: number): [number, number] {
  let shownOpen = Math.min(open, MAX_OPEN_ROWS);
  let shownFills = fills;
  while (
    linesFor(shownOpen, open) + linesFor(shownFills, fills) > room &&
    (shownOpen > 1 || shownFills > 1)
  ) {
    if (shownOpen >= shownFills && shownOpen > 1) shownOpen -= 1;
    else shownFills -= 1;
  }
  return [shownOpen, shownFills];
}

/**
 * Draws the live view in at most `width` columns and `height` lines: a table that is too
 * wide drops columns (the title says which), never cuts a number; with too few lines the
 * tables show fewer rows (`… N more`). Never throws, whatever the decoded values hold.
 *
 * ## Example
 * ```ts
 * renderView(initialView('indodax-pws demo', 0), 1000, 80, 23).join('\n');
 * ```
 * @internal
 */
export function renderView(view: ViewState, now: number, width = 100, height = Infinity): string[] {
  const w = Math.max(10, Math.floor(Number.isFinite(width) ? width : 100));
  const top = header(view, now, w);
  let noted = view.notes.map((n) => wrap(printable(n), w, '  · '));
  const probeOpen = layoutTable(OPEN_COLUMNS, view.open.slice(0, MAX_OPEN_ROWS), w);
  const probeFills = layoutTable(FILL_COLUMNS, view.fills, w);
  const openTitle = (hidden: readonly string[]) =>
    title(`Open orders (${view.open.length} of ${view.totalOrders} tracked`, hidden, '', w);
  const fillTitle = (hidden: readonly string[]) =>
    title('Recent fills (newest received first', hidden, 'REST finds older ones after a gap', w);
  // Three blank lines and two column headers; then the rows (and "… more"), by the lines a row takes.
  const frame = top.length + openTitle(probeOpen.hidden).length + fillTitle(probeFills.hidden).length + 5;
  // Short of lines, the oldest notes go first: the newest (a summary, a failure) stays.
  const least = linesFor(1, view.open.length) + linesFor(1, view.fills.length);
  while (noted.length > 1 && frame + least + noted.flat().length > height) noted = noted.slice(1);
  const notes = noted.flat();
  const fixed = frame + notes.length;
  const perRow = Math.max(
    rowLines(probeOpen, Math.min(view.open.length, MAX_OPEN_ROWS)),
    rowLines(probeFills, view.fills.length),
  );
  const room = Math.floor(Math.max(2, height - fixed) / perRow);
  const [openRows, fillRows] = share(view.open.length, view.fills.length, room);
  const open = layoutTable(OPEN_COLUMNS, view.open.slice(0, openRows), w);
  const fills = layoutTable(FILL_COLUMNS, view.fills.slice(0, fillRows), w);
  const lines = [
    ...top,
    '',
    ...openTitle(open.hidden),
    ...open.lines,
    ...(view.open.length > openRows ? [`  … ${view.open.length - openRows} more`] : []),
    ...(view.open.length === 0 ? ['  (none)'] : []),
    '',
    ...fillTitle(fills.hidden),
    ...fills.lines,
    ...(view.fills.length > fillRows ? [`  … ${view.fills.length - fillRows} more`] : []),
    ...(view.fills.length === 0 ? ['  (none yet)'] : []),
    '',
    ...notes,
  ];
  // A fixed text (a title, "(none yet)") on a tiny terminal: broken over lines, never cut.
  const fitted = lines.flatMap((l) => (l.length <= w ? [l] : flow([l.trimStart()], w, '', '')));
  return Number.isFinite(height) ? fitted.slice(0, Math.max(1, Math.floor(height))) : fitted;
}
