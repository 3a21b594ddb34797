import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAccountsFile } from '../../lib/bridge/accounts-file';
import {
  accountsFileText,
  bookEvent,
  envFileText,
  fakeAccountNames,
  fakeUserId,
} from '../../lib/cli/fake-exchange-book';
import { main, type CliIo } from '../../lib/cli/main';
import { cancelled, done, fill, newOrder, rejected } from '../../lib/testing/builders';

function io() {
  let out = '';
  let err = '';
  const value: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env: {},
    onStop: () => () => undefined,
  };
  return { io: value, out: () => out, err: () => err };
}

const environment = {
  restBaseUrl: 'http://127.0.0.1:1',
  wsUrl: 'ws://127.0.0.1:1/ws/',
  tapiV2BaseUrl: 'http://127.0.0.1:1',
};

describe('book lines', () => {
  it('fold an account log into every order as a store shows it', () => {
    const o = (n: string) => ({ orderId: `btcidr-limit-${n}`, origQty: '1', symbol: 'btcidr' });
    const log = [
      newOrder(o('1')),
      newOrder(o('2')),
      fill({ ...o('2'), qty: '0.4', filledQty: '0.4', tradeId: '11' }),
      newOrder(o('3')),
      fill({ ...o('3'), qty: '1', filledQty: '1', tradeId: '12' }),
      done(o('3')),
      newOrder(o('4')),
      cancelled({ ...o('4'), executedQty: '0' }),
      rejected(o('5')),
    ];
    const book = bookEvent('acct0', log);
    expect(book.type).toBe('book');
    expect(book.account).toBe('acct0');
    expect(book.orders.map((x) => [x.orderId, x.status, x.executedQty, x.fills])).toEqual([
      ['btcidr-limit-1', 'NEW', '0', []],
      ['btcidr-limit-2', 'FILL', '0.4', ['11']],
      ['btcidr-limit-3', 'DONE', '1', ['12']],
      ['btcidr-limit-4', 'CANCELLED', '0', []],
      ['btcidr-limit-5', 'REJECTED', expect.any(String), []],
    ]);
  });

  it('the accounts file and its .env are what bridge --accounts reads', () => {
    const credentials = [
      { apiKey: 'K0', apiSecret: 'S0' },
      { apiKey: 'K1', apiSecret: 'S1' },
    ];
    const file = accountsFileText(2, environment);
    expect(file).not.toContain('S0');
    const env = Object.fromEntries(
      envFileText(credentials)
        .trim()
        .split('\n')
        .map((l) => l.split('=') as [string, string]),
    );
    expect(env).toEqual({ ACCT0_KEY: 'K0', ACCT0_SECRET: 'S0', ACCT1_KEY: 'K1', ACCT1_SECRET: 'S1' });
    const parsed = parseAccountsFile(file, env);
    expect(parsed).toEqual({
      ok: true,
      accounts: [
        { name: 'acct0', credentials: credentials[0], environment },
        { name: 'acct1', credentials: credentials[1], environment },
      ],
    });
    expect(fakeAccountNames(1)).toEqual([{ name: 'acct0', keyEnv: 'ACCT0_KEY', secretEnv: 'ACCT0_SECRET' }]);
  });

  it('a user id is 40 hex digits, the same for a name on every run', () => {
    expect(fakeUserId('acct0')).toMatch(/^[0-9a-f]{40}$/);
    expect(fakeUserId('acct0')).toBe(fakeUserId('acct0'));
    expect(fakeUserId('acct1')).not.toBe(fakeUserId('acct0'));
  });
});

describe('indodax-pws fake-exchange (in process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pws-fake-exchange-'));

  async function run(name: string, seed: string) {
    const t = io();
    const file = join(dir, `${name}.json`);
    const code = await main(
      [
        'fake-exchange',
        '--accounts',
        '2',
        '--write-accounts',
        file,
        '--duration',
        '3',
        '--seed',
        seed,
        '--json',
      ],
      t.io,
    );
    const lines = t
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    return { code, lines, file, err: t.err() };
  }

  it('writes the files, says where, ends with one book per account; the same seed, the same books', async () => {
    const [one, two, other] = await Promise.all([run('one', '5'), run('two', '5'), run('other', '6')]);
    expect(one.code).toBe(0);
    expect(one.err).toBe('');
    for (const line of one.lines) {
      expect(['info', 'warn', 'error']).toContain(line['level']);
      expect(typeof line['time']).toBe('number');
    }
    expect(one.lines[0]).toMatchObject({
      level: 'info',
      type: 'listening',
      accounts: 2,
      seed: 5,
      file: one.file,
      envFile: `${one.file}.env`,
    });
    // nobody subscribed: each market opened after --duration anyway, and ran for --duration
    const opens = one.lines.filter((l) => l['type'] === 'market-open');
    opens.sort((a, b) => String(a['account']).localeCompare(String(b['account'])));
    expect(opens).toEqual([
      expect.objectContaining({ level: 'info', account: 'acct0', why: 'no client came' }),
      expect.objectContaining({ level: 'info', account: 'acct1', why: 'no client came' }),
    ]);
    const [opened, last] = [
      one.lines[1]!['time'] as number,
      one.lines[one.lines.length - 1]!['time'] as number,
    ];
    expect(last - opened).toBeGreaterThanOrEqual(3_000);
    const faults = one.lines.filter((l) => l['type'] === 'fault');
    faults.sort((a, b) => String(a['account']).localeCompare(String(b['account'])));
    expect(faults).toEqual([
      expect.objectContaining({ level: 'warn', account: 'acct0', fault: 'drop-link' }),
      expect.objectContaining({ level: 'warn', account: 'acct1', fault: 'drop-link' }),
    ]);
    const books = (r: typeof one) => r.lines.slice(-2);
    expect(books(one).map((b) => [b['type'], b['account']])).toEqual([
      ['book', 'acct0'],
      ['book', 'acct1'],
    ]);
    const orders = books(one).map((b) => b['orders'] as { status: string; fills: string[] }[]);
    for (const list of orders) expect(list.length).toBeGreaterThan(2);
    expect(orders.flat().some((o) => o.fills.length > 0)).toBe(true);
    const strip = (r: typeof one) => books(r).map(({ orders, account }) => ({ orders, account }));
    expect(strip(two)).toEqual(strip(one));
    expect(strip(other)).not.toEqual(strip(one));

    // the secrets are only in FILE.env, mode 0600
    const env = readFileSync(`${one.file}.env`, 'utf8');
    expect(env).toMatch(/^ACCT0_KEY=\S+\nACCT0_SECRET=\S+\nACCT1_KEY=\S+\nACCT1_SECRET=\S+\n$/);
    expect(statSync(`${one.file}.env`).mode & 0o777).toBe(0o600);
    const secret = /ACCT0_SECRET=(\S+)/.exec(env)![1]!;
    expect(readFileSync(one.file, 'utf8')).not.toContain(secret);
    expect(JSON.stringify(one.lines)).not.toContain(secret);
    const parsed = parseAccountsFile(
      readFileSync(one.file, 'utf8'),
      Object.fromEntries(
        env
          .trim()
          .split('\n')
          .map((l) => l.split('=') as [string, string]),
      ),
    );
    expect(parsed.ok && parsed.accounts.map((a) => a.environment.restBaseUrl)).toEqual([
      one.lines[0]!['url'],
      one.lines[0]!['url'],
    ]);
  }, 30_000);

  it('a missing directory is a usage error before anything starts', async () => {
    const t = io();
    const code = await main(
      ['fake-exchange', '--accounts', '1', '--write-accounts', join(dir, 'nope', 'a.json')],
      t.io,
    );
    expect(code).toBe(2);
    expect(t.err()).toContain('--write-accounts: the directory');
    expect(t.out()).toBe('');
  });
});
