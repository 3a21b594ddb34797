import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAccountsFile } from '../../lib/cli/accounts-read';
import { main, type CliIo } from '../../lib/cli/main';

const dir = mkdtempSync(join(tmpdir(), 'pws-accounts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { K0: 'key0', S0: 'secret0' };
const good = { accounts: [{ name: 'acct0', apiKeyEnv: 'K0', apiSecretEnv: 'S0' }] };

async function bridge(accounts: string) {
  let err = '';
  const io: CliIo = {
    stdout: { write: () => true },
    stderr: { write: (t: string) => (err += t) },
    env,
    onStop: () => () => undefined,
  };
  const started = Date.now();
  const rss = process.memoryUsage().rss;
  const code = await main(['bridge', '--nats', 'nats://127.0.0.1:1', '--accounts', accounts], io);
  return { code, err, ms: Date.now() - started, grewBy: process.memoryUsage().rss - rss };
}

describe('--accounts that is not a small regular file: a usage error at once (issue 19, row 10)', () => {
  const fifo = join(dir, 'fifo');
  const huge = join(dir, 'huge.json');
  const big = join(dir, 'big.json');
  beforeAll(() => {
    execFileSync('mkfifo', [fifo]);
    execFileSync('truncate', ['-s', '2G', huge]); // sparse: takes no disk
    writeFileSync(big, JSON.stringify({ accounts: [], pad: 'x'.repeat(1024 * 1024) }));
  });

  it.each([
    ['a FIFO (never opened for a blocking read)', () => fifo, /is a FIFO; it must be a regular file$/],
    ['/dev/zero', () => '/dev/zero', /is a character device; it must be a regular file$/],
    ['a directory', () => dir, /is a directory; it must be a regular file$/],
    ['a 2 GB file', () => huge, /is 2147483648 bytes; at most 1048576 \(1 MB\)$/],
    ['a file just over 1 MB', () => big, /bytes; at most 1048576 \(1 MB\)$/],
  ])('%s: one line, exit 2, within a second, in bounded memory', async (_, path, message) => {
    const r = await bridge(path());
    expect(r.code).toBe(2);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(2); // the error, then the usage line, as every usage error
    expect(lines[0]).toMatch(/^indodax-pws: --accounts /);
    expect(lines[0]).toMatch(message);
    expect(lines[1]).toMatch(/^usage: indodax-pws/);
    expect(r.ms).toBeLessThan(1000);
    expect(r.grewBy).toBeLessThan(64 * 1024 * 1024);
  });

  it('a missing file names the error code', async () => {
    const r = await bridge(join(dir, 'missing.json'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(`cannot read --accounts ${join(dir, 'missing.json')}: ENOENT`);
  });
});

describe('readAccountsFile', () => {
  it('reads a regular file, with or without a UTF-8 byte order mark', () => {
    const plain = join(dir, 'plain.json');
    const bom = join(dir, 'bom.json');
    writeFileSync(plain, JSON.stringify(good));
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(good))]));
    for (const file of [plain, bom]) {
      const r = readAccountsFile(file, env);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.accounts.map((a) => a.name)).toEqual(['acct0']);
    }
  });

  it('a 5,000-character account name is refused, and not repeated in the error', () => {
    const file = join(dir, 'long-name.json');
    const name = 'a'.repeat(5000);
    writeFileSync(file, JSON.stringify({ accounts: [{ ...good.accounts[0], name }] }));
    const r = readAccountsFile(file, env);
    expect(r).toEqual({
      ok: false,
      error: 'accounts file: accounts[0] "?": name is 5000 characters long; at most 64',
    });
  });
});
