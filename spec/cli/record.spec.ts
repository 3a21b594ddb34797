import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../lib/cli/args';
import { openRecorder, recordingLines, type ReadLine } from '../../lib/cli/record';
import { readRecordLine } from '../../lib/cli/record-line';
import { MAX_LINE_BYTES, fileLines, type FileLine } from '../../lib/cli/file-lines';
import { MAX_REPLAY_WAIT_MS, replayWaitMs } from '../../lib/cli/replay';

const dir = mkdtempSync(join(tmpdir(), 'pws-record-'));

describe('readRecordLine', () => {
  it.each([
    ['null', 'null'],
    ['a status without a state', '{"t":0,"message":{"type":"status","status":null}}'],
    ['garbage', '{not json'],
    [
      't beyond a double',
      '{"t":1e400,"message":{"type":"status","status":{"state":"connecting","attempt":1}}}',
    ],
    ['a negative t', '{"t":-1,"message":{"type":"publication","channel":"c","data":[]}}'],
    ['an unknown message type', '{"t":0,"message":{"type":"reply"}}'],
    ['a REST update that fails the codec', '{"t":0,"restUpdate":{"status":"FILL"}}'],
  ])('%s is not a record, with a reason', (_, raw) => {
    const r = readRecordLine(raw, 3);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.line).toBe(3);
      expect(r.raw).toBe(raw);
      expect(r.reason.length).toBeGreaterThan(5);
    }
  });

  it.each([
    '{"t":0,"message":{"type":"status","status":{"state":"connecting","attempt":1}}}',
    '{"t":5,"message":{"type":"status","status":{"state":"disconnected","code":3005,"reason":"expired"}}}',
    '{"t":9,"message":{"type":"publication","channel":"pws:#x","data":[{"anything":1}]}}',
    '{"t":9,"frame":{"raw":"{not json","reason":"not JSON"}}',
  ])('reads %s', (raw) => {
    expect(readRecordLine(raw, 1).ok).toBe(true);
  });
});

describe('openRecorder', () => {
  it('a missing directory is a usage error, and nothing is created', () => {
    expect(() => openRecorder(join(dir, 'nope', 'x.ndjson'))).toThrow(UsageError);
    expect(() => statSync(join(dir, 'nope'))).toThrow();
  });

  it('writes with mode 0600, also over an existing file, and keeps bad frames as raw text', async () => {
    const file = join(dir, 'r.ndjson');
    writeFileSync(file, 'old', { mode: 0o644 });
    let now = 1000;
    const recorder = openRecorder(file, () => now);
    now = 1500;
    recorder.message({ type: 'status', status: { state: 'connecting', attempt: 1 } });
    recorder.badFrame('{not json', 'not JSON');
    await recorder.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((l) => readRecordLine(l, 1).ok)).toEqual([true, true]);
    expect(JSON.parse(lines[1] as string)).toEqual({
      t: 500,
      frame: { raw: '{not json', reason: 'not JSON' },
    });
  });
});

describe('recordingLines', () => {
  it('reads line by line, skipping blank lines, numbering them as in the file', async () => {
    const file = join(dir, 'lines.ndjson');
    writeFileSync(
      file,
      'null\n\n{"t":0,"message":{"type":"status","status":{"state":"connecting","attempt":1}}}\r\n',
    );
    const next = recordingLines(file);
    const out: ReadLine[] = [];
    for (let r = await next(); !r.done; r = await next()) out.push(r.value);
    expect(out.map((l) => l.ok)).toEqual([false, true]);
    expect(out[0]).toMatchObject({ ok: false, line: 1 });
  });
});

describe('replayWaitMs', () => {
  it.each([
    [undefined, 500, 1, 0],
    [0, 500, 1, 500],
    [0, 500, 2, 250],
    [0, 500, 0, 0],
    [0, 500, 1e-300, MAX_REPLAY_WAIT_MS],
    [0, 1e300, 1, MAX_REPLAY_WAIT_MS],
    [500, 100, 1, 0],
  ])('after t=%p, t=%p at speed %p waits %p ms', (previous, t, speed, wait) => {
    expect(replayWaitMs(previous, t, speed)).toBe(wait);
  });
});

describe('fileLines', () => {
  const read = async (text: string | Buffer, max: number): Promise<FileLine[]> => {
    const file = join(dir, `lines-${Math.random()}.txt`);
    writeFileSync(file, text);
    const out: FileLine[] = [];
    for await (const line of fileLines(file, max)) out.push(line);
    return out;
  };

  it('numbers lines as an editor does, drops \\r\\n, and keeps a last line without a newline', async () => {
    expect(await read('a\r\n\nb\nc', 10)).toEqual([
      { number: 1, text: 'a' },
      { number: 2, text: '' },
      { number: 3, text: 'b' },
      { number: 4, text: 'c' },
    ]);
  });

  it('a line over the limit is one line: its length and first bytes, and the next line is read', async () => {
    const out = await read('ok\n' + 'x'.repeat(25) + '\nnext\n' + 'y'.repeat(11), 10);
    expect(out).toEqual([
      { number: 1, text: 'ok' },
      { number: 2, tooLong: 25, head: 'x'.repeat(25) },
      { number: 3, text: 'next' },
      { number: 4, tooLong: 11, head: 'y'.repeat(11) },
    ]);
  });

  it('reads a line that spans chunks whole (UTF-8 split across them)', async () => {
    const long = 'é'.repeat(700_000); // 1.4 MB: more than one 1 MB chunk
    const out = await read(`${long}\nz\n`, MAX_LINE_BYTES);
    expect(out).toEqual([
      { number: 1, text: long },
      { number: 2, text: 'z' },
    ]);
  });

  it('replay: a line over 16 MB is one invalid line, and the records around it are read', async () => {
    const file = join(dir, 'huge-line.ndjson');
    const status = '{"t":0,"message":{"type":"status","status":{"state":"connecting","attempt":1}}}';
    writeFileSync(file, `${status}\n{"t":1,"x":"${'a'.repeat(MAX_LINE_BYTES)}"}\n${status}\n`);
    const next = recordingLines(file);
    const out: ReadLine[] = [];
    for (let r = await next(); !r.done; r = await next()) out.push(r.value);
    expect(out.map((l) => l.ok)).toEqual([true, false, true]);
    expect(out[1]).toMatchObject({ ok: false, line: 2, reason: expect.stringMatching(/^longer than 16 MB/) });
    expect((out[1] as { raw: string }).raw.length).toBeLessThanOrEqual(120);
  });
});
