import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Subscription } from 'rxjs';
import { fromJetStream, type BusClient } from '../../lib/bus';
import { main, type CliIo } from '../../lib/cli/main';
import type { BookEvent } from '../../lib/cli/fake-exchange-book';
import type { OrderStateSnapshot } from '../../lib/orders';
import { compareDecimals } from '../../lib/util/decimal';
import { eventually, startNats, type TestNats } from '../bus/support/nats-server';

// The "done when": fake-exchange and a bridge with --metrics-port, both run as the CLI
// (in process), probed over HTTP; every consumer of the bus ends equal to the exchange's books.

function cliIo(env: Record<string, string> = {}) {
  let out = '';
  let stop: (() => void) | undefined;
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (out += `STDERR ${t}`) },
    env,
    onStop: (s) => {
      stop = s;
      return () => (stop = undefined);
    },
  };
  const lines = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { io, out: () => out, lines, stop: () => stop?.() };
}

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** Where a consumer's store differs from an account's book (empty when equal). */
function differences(snapshot: OrderStateSnapshot, book: BookEvent): string[] {
  const out: string[] = [];
  for (const want of book.orders) {
    const have = snapshot.orders.get(want.orderId);
    if (!have) {
      out.push(`${want.orderId}: missing`);
      continue;
    }
    if (have.status !== want.status) out.push(`${want.orderId}: status ${have.status}, book ${want.status}`);
    if (compareDecimals(have.executedQty, want.executedQty) !== 0)
      out.push(`${want.orderId}: executedQty ${have.executedQty}, book ${want.executedQty}`);
    const fills = [...have.fills.keys()].sort().join(',');
    if (fills !== [...want.fills].sort().join(',')) out.push(`${want.orderId}: fills ${fills}`);
  }
  const known = new Set(book.orders.map((o) => o.orderId));
  for (const id of snapshot.orders.keys()) if (!known.has(id)) out.push(`${id}: not in the book`);
  return out;
}

const METRICS = [
  'indodax_pws_accounts_held 3',
  'indodax_pws_updates_published_total{account="acct0"}',
  'indodax_pws_publish_duration_seconds_bucket{le="0.01"}',
  'indodax_pws_publish_retries_total',
  'indodax_pws_reconciliations_total{account="acct2",result=',
  'indodax_pws_lease_changes_total{kind="claimed"} 3',
  'indodax_pws_last_update_age_seconds{account="acct1"}',
  'indodax_pws_ws_reconnects_total{account="acct0"} 1', // the script drops each link once
  'process_resident_memory_bytes',
];

describe('fake-exchange + bridge --metrics-port: probes, metrics, consumers equal the books', () => {
  let nats: TestNats;
  const consumers: BusClient[] = [];
  const subscriptions: Subscription[] = [];
  beforeAll(async () => {
    nats = await startNats();
  });
  afterAll(async () => {
    for (const s of subscriptions) s.unsubscribe();
    await Promise.all(consumers.map((c) => c.close()));
    await nats?.stop();
  });

  it('works end to end', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pws-service-')), 'accounts.json');
    const exchange = cliIo();
    const exchangeDone = main(
      [
        'fake-exchange',
        '--accounts',
        '3',
        '--write-accounts',
        file,
        '--duration',
        '9',
        '--seed',
        '11',
        '--json',
      ],
      exchange.io,
    );
    await eventually('the accounts file', () => existsSync(file) || undefined);
    const env = Object.fromEntries(
      readFileSync(`${file}.env`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split('=') as [string, string]),
    );

    const bridge = cliIo(env);
    const bridgeDone = main(
      [
        'bridge',
        '--nats',
        nats.url,
        '--accounts',
        file,
        '--id',
        'svc-a',
        '--lease-ms',
        '1500',
        '--metrics-port',
        '0',
        '--json',
      ],
      bridge.io,
    );
    const metricsLine = await eventually('the metrics line', () =>
      bridge.lines().find((l) => l['type'] === 'metrics'),
    );
    const url = String(metricsLine['url']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // it claims nothing before a third of the lease has passed: not ready yet
    expect((await get(`${url}/readyz`)).status).toBe(503);

    const ready = await eventually('/readyz 200', async () => {
      const r = await get(`${url}/readyz`);
      return r.status === 200 ? r : undefined;
    });
    expect(JSON.parse(ready.body)).toMatchObject({ ready: true, natsConnected: true, held: 3, waiting: [] });
    expect((await get(`${url}/healthz`)).status).toBe(200);
    const metrics = await eventually('published metrics', async () => {
      const r = await get(`${url}/metrics`);
      return METRICS.every((m) => r.body.includes(m)) ? r.body : undefined;
    });
    expect(metrics).not.toMatch(/limit-\d/); // never an order id in a label

    // the consumers follow while the market runs
    const latest = new Map<string, OrderStateSnapshot>();
    for (const account of ['acct0', 'acct1', 'acct2']) {
      const client = fromJetStream({ servers: nats.url, account });
      consumers.push(client);
      subscriptions.push(client.orders$.subscribe((s) => latest.set(account, s)));
    }

    expect(await exchangeDone).toBe(0);
    const books = exchange
      .lines()
      .filter((l): l is BookEvent & Record<string, unknown> => l['type'] === 'book');
    expect(books.map((b) => b.account)).toEqual(['acct0', 'acct1', 'acct2']);
    for (const book of books) {
      expect(book.orders.length).toBeGreaterThan(3);
      await eventually(`${book.account} equals its book`, () => {
        const snapshot = latest.get(book.account);
        const diff = snapshot ? differences(snapshot, book) : ['no snapshot'];
        if (diff.length > 0) throw new Error(diff.slice(0, 5).join('; '));
        return true;
      });
    }

    // each market opened when the bridge subscribed to it
    expect(
      exchange
        .lines()
        .filter((l) => l['type'] === 'market-open')
        .map((l) => [l['account'], l['why']])
        .sort(),
    ).toEqual([
      ['acct0', 'subscribed'],
      ['acct1', 'subscribed'],
      ['acct2', 'subscribed'],
    ]);

    // every bridge line is stamped; each held account's reconciliation is an event
    const lines = bridge.lines();
    for (const l of lines) {
      expect(['info', 'warn', 'error']).toContain(l['level']);
      expect(typeof l['time']).toBe('number');
    }
    for (const account of ['acct0', 'acct1', 'acct2'])
      expect(lines.some((l) => l['type'] === 'reconciliation' && l['account'] === account)).toBe(true);
    expect(bridge.out()).not.toContain(env['ACCT0_SECRET']);

    // NATS away: /healthz and /readyz say so; back: healthy again
    await nats.restart(async () => {
      await eventually(
        '/healthz 503 while NATS is down',
        async () => (await get(`${url}/healthz`)).status === 503 || undefined,
      );
      expect((await get(`${url}/readyz`)).status).toBe(503);
    });
    await eventually(
      '/healthz 200 after NATS is back',
      async () => (await get(`${url}/healthz`)).status === 200 || undefined,
    );

    // tail: the same account from the bus, every line stamped, the last one its snapshot
    const tail = cliIo();
    expect(
      await main(['tail', '--nats', nats.url, '--account', 'acct0', '--json', '--duration', '1'], tail.io),
    ).toBe(0);
    const tailLines = tail.lines();
    for (const l of tailLines)
      expect(l).toMatchObject({ level: expect.stringMatching(/^(info|warn|error)$/) });
    expect(tailLines.every((l) => typeof l['time'] === 'number')).toBe(true);
    expect(tailLines[tailLines.length - 1]).toMatchObject({
      type: 'snapshot',
      snapshot: { total: books[0]!.orders.length },
    });

    bridge.stop();
    expect(await bridgeDone).toBe(0);
    await expect(get(`${url}/healthz`)).rejects.toThrow(); // the metrics server is closed
  }, 60_000);
});
