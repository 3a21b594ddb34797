import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { parseAccountsFile, type BridgeAccount } from '../bridge/accounts-file';

/** The largest accounts file read: 1 MB (thousands of accounts). @internal */
export const MAX_ACCOUNTS_FILE_BYTES = 1024 * 1024;

function kind(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** Why `stats` is not an accounts file we read, or undefined when it may be one. */
function refusal(path: string, stats: Stats): string | undefined {
  if (!stats.isFile()) return `--accounts ${path} is ${kind(stats)}; it must be a regular file`;
  if (stats.size > MAX_ACCOUNTS_FILE_BYTES) {
    return `--accounts ${path} is ${stats.size} bytes; at most ${MAX_ACCOUNTS_FILE_BYTES} (1 MB)`;
  }
  return undefined;
}

/**
 * Reads the bridge's accounts file at `path` with the process environment into the accounts
 * to run (see `parseAccountsFile`), or one line saying why not. Fast and bounded whatever
 * `path` is: it must be a regular file of at most 1 MB, checked (`stat`) before anything is
 * read; a FIFO, a device (`/dev/zero`) or a 2 GB file is refused at once and never read.
 *
 * ## Example
 * ```ts
 * const r = readAccountsFile('accounts.json', process.env);
 * if (!r.ok) throw new UsageError(r.error);
 * ```
 * @internal
 */
export function readAccountsFile(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
):
  | { readonly ok: true; readonly accounts: readonly BridgeAccount[] }
  | { readonly ok: false; readonly error: string } {
  const cannot = (e: unknown) => ({
    ok: false as const,
    error: `cannot read --accounts ${path}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
  });
  let fd: number;
  try {
    const before = refusal(path, statSync(path));
    if (before !== undefined) return { ok: false, error: before };
    // Non-blocking: if the path became a FIFO since, opening it does not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return cannot(e);
  }
  let text: string;
  try {
    const now = refusal(path, fstatSync(fd));
    if (now !== undefined) return { ok: false, error: now };
    const buffer = Buffer.alloc(MAX_ACCOUNTS_FILE_BYTES + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) {
      n = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > MAX_ACCOUNTS_FILE_BYTES) {
      return { ok: false, error: `--accounts ${path} is over ${MAX_ACCOUNTS_FILE_BYTES} bytes (1 MB)` };
    }
    text = buffer.toString('utf8', 0, length);
  } catch (e) {
    return cannot(e);
  } finally {
    closeSync(fd);
  }
  return parseAccountsFile(text, env);
}
