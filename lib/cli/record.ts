import { closeSync, createWriteStream, fchmodSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ChannelMessage } from '../protocol/messages';
import type { OrderUpdate } from '../orders';
import { UsageError } from './args';
import { MAX_LINE_BYTES, fileLines } from './file-lines';
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
 * `next()` gives the next non-empty line, read with {@link readRecordLine}; a line over
 * {@link MAX_LINE_BYTES} is one invalid line, skipped without being held.
 * Fails (rejects) only when the file cannot be read at all.
 * @internal
 */
export function recordingLines(file: string): () => Promise<IteratorResult<ReadLine>> {
  const lines = fileLines(file);
  const next = async (): Promise<IteratorResult<ReadLine>> => {
    for (;;) {
      const r = await lines.next();
      if (r.done) return { done: true, value: undefined };
      const line = r.value;
      if (!('text' in line)) {
        const mb = (line.tooLong / 1024 / 1024).toFixed(1);
        return {
          done: false,
          value: {
            ok: false,
            line: line.number,
            raw: line.head,
            reason: `longer than ${MAX_LINE_BYTES / 1024 / 1024} MB (${mb} MB), skipped`,
          },
        };
      }
      if (line.text.trim() === '') continue;
      return { done: false, value: readRecordLine(line.text, line.number) };
    }
  };
  return next;
}
