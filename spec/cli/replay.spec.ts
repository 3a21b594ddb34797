import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIo } from '../../lib/cli/main';
import { fill, newOrder, publication, statusMsg, updateOf } from '../../lib/testing';

const dir = mkdtempSync(join(tmpdir(), 'pws-replay-'));

/** The command with a terminal of `columns` x `rows` as its stdout. */
function tty(columns = 80, rows = 24) {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t), isTTY: true, columns, rows },
    stderr: { write: (t: string) => (err += t) },
    env: {},
    onStop: () => () => undefined,
  };
  /** The last frame drawn: what follows the last "erase below" sequence. */
  const frame = () => (out.split('\x1b[J').pop() ?? '').split('\n').slice(0, -1);
  return { io, frame, err: () => err };
}

describe('replay in the terminal view', () => {
  const placed = newOrder({ orderId: 'btcidr-limit-7', transactionTime: 1_772_510_281_000 });
  const filled = fill({ orderId: 'btcidr-limit-7', transactionTime: 1_772_510_282_000 });
  const lines = [
    { t: 0, message: statusMsg({ state: 'connecting', attempt: 1 }) },
    { t: 1, message: statusMsg({ state: 'subscribed', channel: 'pws:#1' }) },
    { t: 2, message: publication([placed]) },
    { t: 3, frame: { raw: '{not json', reason: 'not JSON' } },
    { t: 4, restUpdate: updateOf(filled, 'rest') },
  ].map((l) => JSON.stringify(l));

  it('shows the REST reconciliation the recording holds, and counts invalid items as its summary does', async () => {
    const file = join(dir, 'rest.ndjson');
    writeFileSync(file, [...lines.slice(0, 3), 'garbage', ...lines.slice(3)].join('\n') + '\n');
    const t = tty();
    expect(await main(['replay', file, '--speed', '0'], t.io)).toBe(0);
    const frame = t.frame();
    const text = frame.join('\n');
    expect(text).not.toContain('reconciled never');
    expect(text).toMatch(/reconciled \d+ s ago/);
    // "garbage" and the recorded bad frame: two invalid items, one of them a line of the file.
    expect(text).toContain('invalid items 2');
    expect(text).toContain('replayed 5 records; invalid items 2 (1 of them unreadable lines of the file)');
    expect(frame.length).toBeLessThanOrEqual(23);
    for (const line of frame) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('a fill at a time no Date can hold is shown, not thrown (issue 19, row 3)', async () => {
    const file = join(dir, 'far.ndjson');
    const far = fill({ orderId: 'btcidr-limit-8', transactionTime: 9007199254740991 });
    writeFileSync(
      file,
      [lines[0], lines[1], JSON.stringify({ t: 2, message: publication([far]) })].join('\n'),
    );
    const t = tty(120, 40);
    const code = await main(['replay', file, '--speed', '0'], t.io);
    expect([0, 1]).toContain(code);
    expect(t.err()).not.toMatch(/RangeError|\n\s+at /);
    // Shown as its number when the decoder lets it through, or reported as an invalid item.
    expect(t.frame().join('\n')).toMatch(/9007199254740991|invalid items 1/);
  });
});

describe('replay of any file (issue 19, row 10)', () => {
  it('a 2 GB file of zeros (one giant line): exit 1 and a summary, in bounded memory, never a stack', async () => {
    const file = join(dir, 'zeros.ndjson');
    execFileSync('truncate', ['-s', '2G', file]); // sparse: takes no disk
    let out = '';
    let err = '';
    const io: CliIo = {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      env: {},
      onStop: () => () => undefined,
    };
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      expect(await main(['replay', file, '--json', '--speed', '0'], io)).toBe(1);
    } finally {
      clearInterval(sampler);
      rmSync(file);
    }
    expect(err).toBe(
      'indodax-pws: replayed 0 records; invalid items 1 (1 of them unreadable lines of the file)\n',
    );
    const invalid = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; reason?: string })
      .filter((l) => l.type === 'invalid');
    expect(invalid).toEqual([
      expect.objectContaining({ reason: 'recording line 1: longer than 16 MB (2048.0 MB), skipped' }),
    ]);
    expect(peak - before).toBeLessThan(256 * 1024 * 1024);
  }, 60_000);

  it('an item nested 500,000 deep: one invalid line under --json, never a stack', async () => {
    const file = join(dir, 'deep.ndjson');
    const deep = '['.repeat(500_000) + ']'.repeat(500_000);
    const publication = `{"t":0,"message":{"type":"publication","channel":"c","data":${deep}}}`;
    const connecting = '{"t":0,"message":{"type":"status","status":{"state":"connecting","attempt":1}}}';
    writeFileSync(file, `${connecting}\n${publication}\n`);
    let out = '';
    let err = '';
    const io: CliIo = {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (err += t) },
      env: {},
      onStop: () => () => undefined,
    };
    expect(await main(['replay', file, '--json', '--speed', '0'], io)).toBe(0);
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; raw?: unknown });
    expect(events.filter((e) => e.type === 'invalid')).toEqual([
      expect.objectContaining({ raw: expect.stringMatching(/^\(not representable as JSON: /) }),
    ]);
    expect(err).toBe(
      'indodax-pws: replayed 2 records; invalid items 1 (0 of them unreadable lines of the file)\n',
    );
  });

  it('a FIFO is refused at once (exit 2), never read', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    let err = '';
    const io: CliIo = {
      stdout: { write: () => true },
      stderr: { write: (t: string) => (err += t) },
      env: {},
      onStop: () => () => undefined,
    };
    expect(await main(['replay', fifo, '--json'], io)).toBe(2);
    expect(err).toMatch(/^indodax-pws: cannot read .*fifo: not a file\n$/);
  });
});
