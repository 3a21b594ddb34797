import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import { parseBusCommand } from '../../lib/cli/bridge-args';
import { main, type CliIo } from '../../lib/cli/main';
import { LEASE_BUCKET } from '../../lib/bus';
import { spawnBridge } from '../bus/support/child';
import { startExchange, type TestExchange } from '../bus/support/exchange';
import { eventually, startNats, type TestNats } from '../bus/support/nats-server';

function io(env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  let stop: (() => void) | undefined;
  const value: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env,
    onStop: (s) => {
      stop = s;
      return () => (stop = undefined);
    },
  };
  return { io: value, out: () => out, err: () => err, stop: () => stop?.() };
}

function accountsFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'indodax-pws-cli-')), 'accounts.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('usage errors (exit 2, one line and the usage)', () => {
  it.each([
    [['bridge', '--accounts', 'f.json'], 'bridge needs --nats URL'],
    [['bridge', '--nats', 'nats://127.0.0.1:1'], 'bridge needs --accounts FILE'],
    [['bridge', '--nats', 'n', '--accounts', 'f', '--id', 'a.b'], '--id must match'],
    ...['10', '499', '600001', '0x1F4', '1e20', '2147483648', '1000.5', '+1000', ' 1000', ''].map(
      (v): [string[], string] => [
        ['bridge', '--nats', 'n', '--accounts', 'f', '--lease-ms', v],
        `--lease-ms must be a decimal whole number from 500 to 600000, got "${v}"`,
      ],
    ),
    [
      ['bridge', '--nats', 'n', '--accounts', 'f', '--drain-timeout-ms', '1e3'],
      '--drain-timeout-ms must be a decimal whole number',
    ],
    [['bridge', '--nats', 'n', '--accounts', 'f', '--replicas', '0'], '--replicas must be 1 to 5'],
    [['bridge', '--nats', 'n', '--accounts', 'f', '--replicas', '3x'], '--replicas must be 1 to 5'],
    [['tail', '--nats', 'n', '--account', 'a', '--replicas', '3'], '--replicas does not apply to tail'],
    [['tail', '--nats', 'n'], 'tail needs --account NAME'],
    [['tail', '--nats', 'n', '--account', 'a', '--lease-ms', '1'], '--lease-ms does not apply to tail'],
    [
      ['bridge', '--nats', 'n', '--accounts', '/nonexistent/accounts.json'],
      'cannot read --accounts /nonexistent/accounts.json: ENOENT',
    ],
  ])('%j → %s', async (args, message) => {
    const t = io();
    expect(await main(args, t.io)).toBe(2);
    expect(t.err().split('\n')[0]).toContain(message);
    expect(t.err()).toContain('usage: indodax-pws');
  });

  it('a bad accounts file names the entry, never a secret', async () => {
    const file = accountsFile({
      accounts: [
        { name: 'acct0', apiKeyEnv: 'K0', apiSecretEnv: 'S0' },
        { name: 'acct1', apiKeyEnv: 'K1', apiSecretEnv: 'MISSING' },
      ],
    });
    const t = io({ K0: 'k', S0: 'topsecret', K1: 'k1' });
    expect(await main(['bridge', '--nats', 'nats://127.0.0.1:1', '--accounts', file], t.io)).toBe(2);
    expect(t.err().split('\n')[0]).toBe(
      'indodax-pws: accounts file: accounts[1] "acct1": apiSecretEnv "MISSING" is not set',
    );
    expect(t.err()).not.toContain('topsecret');
  });
});

describe('over a real nats-server', () => {
  let nats: TestNats;
  let exchange: TestExchange;
  beforeAll(async () => {
    nats = await startNats();
    exchange = await startExchange(1);
  });
  afterAll(async () => {
    await exchange?.server.close();
    await nats?.stop();
  });

  it('bridge: SIGTERM drains, deletes its own leases and exits 0; tail --duration ends with the final snapshot', async () => {
    const bridge = spawnBridge(nats.url, exchange.file, exchange.env, 'cli-b', 2_000);
    await bridge.line((l) => l.includes('"claimed"'));
    await eventually(
      'subscribed',
      () => exchange.server.subscribers(exchange.accountOf('acct0')) === 1 || undefined,
    );
    exchange.order('acct0', 0);
    exchange.order('acct0', 1);

    const t = io();
    expect(
      await main(['tail', '--nats', nats.url, '--account', 'acct0', '--json', '--duration', '1.5'], t.io),
    ).toBe(0);
    const lines = t
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; snapshot?: { total: number } });
    expect(lines.filter((l) => l.type === 'order_update')).toHaveLength(8);
    expect(lines[lines.length - 1]).toMatchObject({ type: 'snapshot', snapshot: { total: 2, open: 0 } });

    bridge.child.kill('SIGTERM');
    expect(await bridge.exited).toBe(0);
    expect(bridge.lines.some((l) => l.includes('"stopped"'))).toBe(true);
    const nc = await connect({ servers: nats.url });
    const kv = await new Kvm(nc).open(LEASE_BUCKET);
    expect((await kv.get('acct0'))?.operation ?? 'none').not.toBe('PUT');
    await nc.close();
  }, 30_000);

  it('bridge: a --lease-ms other than the bucket’s TTL says so and exits 2; the bucket keeps its TTL', async () => {
    const t = io(exchange.env);
    const args = ['bridge', '--nats', nats.url, '--accounts', exchange.file, '--id', 'odd', '--json'];
    expect(await main([...args, '--lease-ms', '9000'], t.io)).toBe(2);
    expect(JSON.parse(t.out().trim())).toMatchObject({
      type: 'lease-mismatch',
      id: 'odd',
      leaseMs: 9_000,
      bucketLeaseMs: 2_000,
    });
    expect(t.err()).toContain('run every bridge with --lease-ms 2000');
    const nc = await connect({ servers: nats.url });
    const kv = await new Kvm(nc).open(LEASE_BUCKET);
    expect((await kv.status()).ttl).toBe(2_000);
    await nc.close();
  }, 30_000);
});

describe('parseBusCommand', () => {
  const fail = (m: string): never => {
    throw new Error(m);
  };
  it.each([
    { name: 'no --replicas: left to the default (1)', values: {}, replicas: undefined },
    { name: '--replicas 3', values: { replicas: '3' }, replicas: 3 },
  ])('$name', ({ values, replicas }) => {
    const command = parseBusCommand('bridge', { nats: 'n', accounts: 'f', ...values }, [], undefined, fail);
    expect(command.kind === 'bridge' ? command.replicas : 'tail').toBe(replicas);
  });
});
