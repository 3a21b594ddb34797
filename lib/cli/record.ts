import { closeSync, createReadStream, createWriteStream, fchmodSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChannelMessage } from '../protocol/messages';
import type { OrderUpdate } from '../orders';
import { UsageError } from './args';
import { readRecordLine, type ReadLine, type RecordLine } from './record-line';

export type { RecordLine, ReadLine } from './record-line';

/** Writes a recording as NDJSON. @internal */
export interface Recorder {
  message(message: ChannelMessage): void;
  restUpdate(update: OrderUpdate): void;
  /** A frame line the client could not read, kept as its raw text. */
  badFrame(raw: string, reason: string): void;
  close(): Promise<void>;
}

/**
 * Opens `file` for a new recording, at once: a missing directory or a file that cannot
 * be written is a {@link UsageError} before anything connects. The file gets mode 0600
 * (it holds every order and fee of the account), also when it existed.
 * @internal
 */
export function openRecorder(file: string, now: () => number = Date.now): Recorder {
  const dir = dirname(resolve(file));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new UsageError(`--record: the directory ${dir} does not exist`);
  let fd: number;
  try {
    fd = openSync(file, 'w', 0o600);
    fchmodSync(fd, 0o600);
  } catch (e) {
    throw new UsageError(`--record: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const out = createWriteStream('', { fd });
  out.on('error', () => closeQuietly(fd));
  const started = now();
  const write = (line: RecordLine): void => {
    out.write(JSON.stringify(line) + '\n');
  };
  return {
    message: (message) => write({ t: now() - started, message }),
    restUpdate: (update) => write({ t: now() - started, restUpdate: update }),
    badFrame: (raw, reason) => write({ t: now() - started, frame: { raw, reason } }),
    close: () => new Promise<void>((done) => out.end(() => done())),
  };
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/**
 * Reads a recording line by line as a stream (bounded memory, whatever its size):
 * `next()` gives the next non-empty line, read with {@link readRecordLine}.
 * Fails (rejects) only when the file cannot be read at all.
 * @internal
 */
export function recordingLines(file: string): () => Promise<IteratorResult<ReadLine>> {
  const input = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  let number = 0;
  const next = async (): Promise<IteratorResult<ReadLine>> => {
    for (;;) {
      const r = await lines.next();
      if (r.done) return { done: true, value: undefined };
      number += 1;
      const raw = r.value;
      if (raw.trim() === '') continue;
      return { done: false, value: readRecordLine(raw, number) };
    }
  };
  return next;
}
