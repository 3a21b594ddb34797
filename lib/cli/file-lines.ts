import { open } from 'node:fs/promises';

/** The longest line read whole: a longer one is skipped (16 MB). @internal */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** How much is read at a time. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/** How much of a skipped line is kept, to show what it was. */
const HEAD_BYTES = 120;

/**
 * A line of a file, numbered from 1 as an editor does: its text (without `\r\n`/`\n`), or,
 * when it is longer than the limit, its length and its first bytes only.
 * @internal
 */
export type FileLine =
  | { readonly number: number; readonly text: string }
  | { readonly number: number; readonly tooLong: number; readonly head: string };

/**
 * Reads `file` line by line in bounded memory, whatever its size or shape: at most one line
 * of `maxBytes` and one chunk are held; a longer line (a 2 GB file of zeros is one) is
 * counted and skipped to its newline without being held. Pull-based: the file is read only
 * as fast as the lines are taken.
 *
 * ## Example
 * ```ts
 * for await (const line of fileLines('today.ndjson')) if ('text' in line) console.log(line.text);
 * ```
 * @internal
 */
export async function* fileLines(file: string, maxBytes = MAX_LINE_BYTES): AsyncGenerator<FileLine> {
  let parts: Buffer[] = [];
  let held = 0;
  let skipped: { bytes: number; head: string } | undefined;
  let number = 0;
  const take = (): FileLine => {
    number += 1;
    if (skipped) {
      const line = { number, tooLong: skipped.bytes, head: skipped.head };
      skipped = undefined;
      return line;
    }
    const text = Buffer.concat(parts, held).toString('utf8');
    parts = [];
    held = 0;
    return { number, text: text.endsWith('\r') ? text.slice(0, -1) : text };
  };
  const hold = (piece: Buffer): void => {
    if (skipped) {
      skipped.bytes += piece.length;
    } else if (held + piece.length > maxBytes) {
      const head = Buffer.concat([...parts, piece.subarray(0, HEAD_BYTES)])
        .subarray(0, HEAD_BYTES)
        .toString('utf8');
      skipped = { bytes: held + piece.length, head };
      parts = [];
      held = 0;
    } else if (piece.length > 0) {
      // A copy: the chunk is read into again.
      parts.push(Buffer.from(piece));
      held += piece.length;
    }
  };
  // One buffer, reused: a fresh buffer per chunk costs more than the reading (8 s vs 1 s for 2 GB).
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  const handle = await open(file, 'r');
  try {
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      const read = chunk.subarray(0, bytesRead);
      let at = 0;
      for (let end = read.indexOf(10, at); end !== -1; end = read.indexOf(10, at)) {
        hold(read.subarray(at, end));
        yield take();
        at = end + 1;
      }
      hold(read.subarray(at));
    }
    if (held > 0 || skipped) yield take();
  } finally {
    await handle.close();
  }
}
