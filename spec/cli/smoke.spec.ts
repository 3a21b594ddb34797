import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Child-process smoke tests of the command, built from the sources once for this file.
const root = join(__dirname, '..', '..');
const main = join(root, 'dist', 'cli', 'main.js');

function run(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main, ...args], {
      env: { PATH: process.env['PATH'], ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Runs the command, reads `lines` lines of stdout, then closes the pipe (like `| head`). */
function runHead(
  args: string[],
  lines: number,
): Promise<{ code: number | null; err: string; got: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main, ...args], {
      env: { PATH: process.env['PATH'] },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.split('\n').length > lines) child.stdout.destroy();
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, err, got: out.split('\n').slice(0, lines) }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'pws-smoke-'));

beforeAll(() => {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
    {
      stdio: 'ignore',
    },
  );
}, 120_000);

describe('indodax-pws (smoke)', () => {
  it('--help lists the calls with an example each', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    const examples = r.out.split('\n').filter((l) => l.includes('example:'));
    for (const call of ['demo', 'watch', 'replay']) {
      expect(examples.some((l) => l.includes(`indodax-pws ${call}`))).toBe(true);
    }
  });

  it('tail --help prints the tail part only, exit 0', async () => {
    const r = await run(['tail', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('indodax-pws tail --nats URL --account NAME');
    expect(r.out).not.toContain('indodax-pws demo');
  });

  it.each([[['frobnicate']], [['demo', '--bogus']], [['replay']], [['replay', 'f', '--speed', 'x']], [[]]])(
    'usage error %j → exit 2 with the usage line',
    async (args) => {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.err).toContain('usage: indodax-pws');
    },
  );

  it('watch without credentials → exit 2 naming both variables', async () => {
    const r = await run(['watch', '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('INDODAX_API_KEY');
    expect(r.err).toContain('INDODAX_API_SECRET');
  });

  it('demo --json --duration: every line is JSON, it reconnects and reconciles, and the store equals the exchange', async () => {
    const r = await run(['demo', '--json', '--duration', '8', '--seed', '3']);
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            type: string;
            status?: { state: string };
            message?: string;
            event?: { type: string; reason: string };
          },
      );
    const kinds = new Set(lines.map((l) => l.type));
    expect(
      [...kinds].every((k) =>
        ['status', 'order_update', 'invalid', 'snapshot', 'note', 'reconciliation'].includes(k),
      ),
    ).toBe(true);
    const states = lines.filter((l) => l.type === 'status').map((l) => l.status?.state);
    const gap = states.indexOf('disconnected');
    expect(gap).toBeGreaterThan(0);
    expect(states.slice(gap)).toContain('subscribed');
    expect(lines.some((l) => l.type === 'invalid')).toBe(true);
    expect(
      lines.some(
        (l) => l.type === 'reconciliation' && l.event?.type === 'completed' && l.event.reason === 'reconnect',
      ),
    ).toBe(true);
    expect(lines.filter((l) => l.type === 'note').pop()?.message).toMatch(
      /^check: the store equals the exchange/,
    );
    expect(lines[lines.length - 1]?.type).toBe('snapshot');
    expect(r.out).not.toMatch(/eyJ[A-Za-z0-9_-]+\./); // no token in the output
  }, 30_000);

  it('demo --json | head -5 and replay --json | head -2 end quietly with exit 0', async () => {
    const demo = await runHead(['demo', '--json', '--seed', '2'], 5);
    expect(demo).toMatchObject({ code: 0, err: '' });
    const file = join(dir, 'many.ndjson');
    const status = '{"t":0,"message":{"type":"status","status":{"state":"connecting","attempt":1}}}\n';
    writeFileSync(file, status.repeat(20_000));
    const replay = await runHead(['replay', file, '--json', '--speed', '0'], 2);
    expect(replay.code).toBe(0);
    expect(replay.err).toMatch(
      /^indodax-pws: replayed \d+ records; invalid items 0 \(0 of them unreadable lines of the file\)\n$/,
    ); // no stack
  }, 30_000);

  it('--record into a missing directory: one usage line, exit 2, before anything starts', async () => {
    for (const call of [['demo'], ['replay', 'x']].slice(0, 1)) {
      const r = await run([...call, '--json', '--record', join(dir, 'missing', 'x.ndjson')]);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err.trim().split('\n')).toHaveLength(2); // the error, then the usage line
      expect(r.err).toContain('does not exist');
    }
    const watch = await run(['watch', '--record', join(dir, 'missing', 'x.ndjson')], {
      INDODAX_API_KEY: 'k',
      INDODAX_API_SECRET: 's',
    });
    expect(watch.code).toBe(2);
    expect(watch.out).toBe('');
  });

  it('demo --record, then replay: bad lines are reported and skipped, the last line is the snapshot', async () => {
    const file = join(dir, 'demo.ndjson');
    const demo = await run(['demo', '--json', '--duration', '4', '--seed', '5', '--record', file]);
    expect(demo.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const recorded = readFileSync(file, 'utf8');
    expect(recorded).toContain('"frame":{"raw":"{not json"'); // the malformed frame, kept
    writeFileSync(
      file,
      'null\n{"t":0,"message":{"type":"status","status":null}}\ngarbage\n{"t":1e400,"message":{"type":"status"}}\n' +
        recorded,
    );
    const r = await run(['replay', file, '--json', '--speed', '0']);
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; reason?: string });
    expect(
      lines.filter((l) => l.type === 'invalid' && /^recording line [1-4]:/.test(l.reason ?? '')),
    ).toHaveLength(4);
    expect(lines.some((l) => l.type === 'invalid' && l.reason?.startsWith('frame:'))).toBe(true);
    expect(lines[lines.length - 1]?.type).toBe('snapshot');
    // The summary counts what the output (and the view's header) shows as invalid items.
    const items = lines.filter((l) => l.type === 'invalid').length;
    expect(items).toBeGreaterThan(4);
    expect(r.err).toMatch(
      new RegExp(
        `replayed [1-9]\\d* records; invalid items ${items} \\(4 of them unreadable lines of the file\\)`,
      ),
    );
  }, 30_000);

  it('replay of an empty or all-garbage file says so and exits 1', async () => {
    const file = join(dir, 'garbage.ndjson');
    writeFileSync(file, 'garbage\n\nnull\n');
    const r = await run(['replay', file, '--json', '--speed', '0']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('replayed 0 records; invalid items 2 (2 of them unreadable lines of the file)');
  });
});
