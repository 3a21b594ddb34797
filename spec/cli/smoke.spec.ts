import { spawn, execFileSync } from 'node:child_process';
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
});
