/** One column of a table in the live view. @internal */
export interface Column<R> {
  readonly header: string;
  readonly cell: (row: R) => string;
  readonly align: 'left' | 'right';
  /** Columns are dropped, lowest first, until the table fits; without it, never dropped. */
  readonly drop?: number;
}

/** A table laid out for a width: its lines (header first) and the headers it had to drop. @internal */
export interface Table {
  readonly lines: readonly string[];
  readonly hidden: readonly string[];
}

const INDENT = '  ';

/**
 * Lays out `rows` in at most `width` columns, never cutting a cell: each column is as wide
 * as its widest cell; when the table is too wide, droppable columns go (lowest `drop`
 * first); when it still is, every row is written as its cells wrapped over several lines.
 *
 * ## Example
 * ```ts
 * layoutTable([{ header: 'QTY', align: 'right', cell: (q: string) => q }], ['0.5'], 80).lines; // ['  QTY', '  0.5']
 * ```
 * @internal
 */
export function layoutTable<R>(columns: readonly Column<R>[], rows: readonly R[], width: number): Table {
  const cells = rows.map((row) => columns.map((c) => c.cell(row)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i]!.length)));
  const shown = columns.map(() => true);
  const total = (): number =>
    INDENT.length + widths.reduce((sum, w, i) => sum + (shown[i] ? w + 1 : 0), 0) - 1;
  const droppable = columns
    .map((c, i) => ({ i, drop: c.drop }))
    .filter((c): c is { i: number; drop: number } => c.drop !== undefined)
    .sort((a, b) => a.drop - b.drop);
  for (const { i } of droppable) {
    if (total() <= width) break;
    shown[i] = false;
  }
  const line = (values: readonly string[]): string =>
    INDENT +
    values
      .map((v, i) => ({ v, i }))
      .filter(({ i }) => shown[i])
      .map(({ v, i }) => (columns[i]!.align === 'left' ? v.padEnd(widths[i]!) : v.padStart(widths[i]!)))
      .join(' ')
      .trimEnd();
  const hidden = columns.filter((_, i) => !shown[i]).map((c) => c.header);
  if (total() <= width) {
    return { lines: [line(columns.map((c) => c.header)), ...cells.map(line)], hidden };
  }
  const visible = (values: readonly string[]) => values.filter((_, i) => shown[i]);
  return {
    lines: [
      ...flow(visible(columns.map((c) => c.header)), width, ' '),
      ...cells.flatMap((r) => flow(visible(r), width, ' ')),
    ],
    hidden,
  };
}

/**
 * Joins `parts` with `separator` into lines of at most `width` characters, starting a new
 * (indented) line where the next part does not fit; a part longer than a line is broken
 * over lines, never cut.
 *
 * ## Example
 * ```ts
 * flow(['updates 12', 'invalid items 0'], 20); // ['  updates 12', '  invalid items 0']
 * ```
 * @internal
 */
export function flow(parts: readonly string[], width: number, separator = ' | ', indent = INDENT): string[] {
  const room = Math.max(1, width - indent.length);
  const lines: string[] = [];
  let current = '';
  for (const part of parts) {
    if (part === '') continue;
    if (current !== '' && current.length + separator.length + part.length <= room) {
      current += separator + part;
      continue;
    }
    if (current !== '') lines.push(indent + current);
    current = '';
    let rest = part;
    while (rest.length > room) {
      lines.push(indent + rest.slice(0, room));
      rest = rest.slice(room);
    }
    current = rest;
  }
  if (current !== '') lines.push(indent + current);
  return lines;
}

/**
 * Text wrapped at spaces into lines of at most `width` characters (the first line starts
 * with `first`, the others with as many spaces); a word longer than a line is broken over
 * lines, never cut.
 *
 * ## Example
 * ```ts
 * wrap('reconciled 6 orders', 15, '· '); // ['· reconciled 6', '  orders']
 * ```
 * @internal
 */
export function wrap(text: string, width: number, first = ''): string[] {
  const pad = ' '.repeat(first.length);
  return flow(text.split(' '), width, ' ', pad).map((l, i) => (i === 0 ? first + l.slice(pad.length) : l));
}
