import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { connect, nkeys } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  ORDERS_STREAM,
  ORDERS_SUBJECTS,
  fromJetStream,
  ordersSubject,
  updateMsgId,
  type NatsSecurity,
} from '../../lib/bus';
import { natsConnectOptions } from '../../lib/bus/connect-options';
import { main, type CliIo } from '../../lib/cli/main';
import { decodeOrderItem } from '../../lib/orders/decode';
import { orderLifecycle } from '../../lib/testing/builders';
import { makeCreds } from './support/creds';
import { startNats, type NatsStartOptions, type TestNats } from './support/nats-server';
import { makePki, type TestPki } from './support/tls';

// Every way a NATS server can ask a client who it is, each on a real nats-server on 127.0.0.1:
// the same settings open the writer's connection (stream + one order) and fromJetStream's.

const SECRET = 'pw-0f3a9c-never-printed';
const dir = mkdtempSync(join(tmpdir(), 'indodax-pws-auth-'));
const servers: TestNats[] = [];
let pki: TestPki;

beforeAll(() => {
  pki = makePki();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function server(options: NatsStartOptions): Promise<TestNats> {
  const s = await startNats(options);
  servers.push(s);
  return s;
}

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Creates the stream and publishes one order's lifecycle with `security`; reads it back through fromJetStream. */
async function roundTrip(url: string, security: NatsSecurity, account: string): Promise<number> {
  const nc = await connect({ servers: url, ...natsConnectOptions(url, security) });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: ORDERS_STREAM, subjects: [ORDERS_SUBJECTS] }).catch(() => undefined);
    const js = jetstream(nc);
    for (const item of orderLifecycle({
      orderId: `btcidr-limit-9${account.replace(/\D/g, '')}`,
      transactionTime: 1_767_225_600_000,
    })) {
      const d = decodeOrderItem(item);
      if (d.kind !== 'update') throw new Error('fixture');
      await js.publish(ordersSubject(account, d.update), JSON.stringify(d.update), {
        msgID: updateMsgId(account, d.update),
      });
    }
  } finally {
    await nc.close();
  }
  const client = fromJetStream({ servers: url, account, ...security });
  try {
    const done = await firstValueFrom(
      client.orders$.pipe(
        filter((s) => s.orders.get(`btcidr-limit-9${account.replace(/\D/g, '')}`)?.status === 'DONE'),
      ),
    );
    return done.orders.get(`btcidr-limit-9${account.replace(/\D/g, '')}`)?.fills.size ?? 0;
  } finally {
    await client.close();
  }
}

/** The error every stream of fromJetStream fails with. */
async function readFailure(url: string, security: NatsSecurity): Promise<string> {
  const client = fromJetStream({ servers: url, account: 'acct0', ...security });
  try {
    await firstValueFrom(client.orders$.pipe(filter(() => false)));
    return 'no failure';
  } catch (e) {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } finally {
    await client.close();
  }
}

function io(env: Record<string, string>) {
  let out = '';
  let err = '';
  const value: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    env,
    onStop: () => () => undefined,
  };
  return { io: value, out: () => out, err: () => err };
}

describe('user and password (nats-server --user --pass)', () => {
  let nats: TestNats;
  beforeAll(async () => {
    nats = await server({ args: ['--user', 'alice', '--pass', SECRET] });
  });

  it('the right password reads and writes', async () => {
    expect(await roundTrip(nats.url, { user: 'alice', password: SECRET }, 'acct0')).toBe(2);
  });

  it('a wrong password fails with "Authorization Violation", never the password', async () => {
    const wrong = `${SECRET}-wrong`;
    const failure = await readFailure(nats.url, { user: 'alice', password: wrong });
    expect(failure).toMatch(/authorization violation/i);
    expect(failure).not.toContain(wrong);
    expect(failure).not.toContain(SECRET);
    expect(await readFailure(nats.url, {})).toMatch(/authorization violation/i);
  });

  it('tail takes NATS_USER/NATS_PASSWORD; with a wrong one it exits 1 and prints no secret', async () => {
    const good = io({ NATS_USER: 'alice', NATS_PASSWORD: SECRET });
    expect(
      await main(['tail', '--nats', nats.url, '--account', 'acct0', '--json', '--duration', '1.5'], good.io),
    ).toBe(0);
    expect(good.out()).toMatch(/"total":1/);
    const bad = io({ NATS_USER: 'alice', NATS_PASSWORD: 'nope-wrong-secret' });
    expect(
      await main(['tail', '--nats', nats.url, '--account', 'acct0', '--json', '--duration', '5'], bad.io),
    ).toBe(1);
    expect(bad.out() + bad.err()).toMatch(/authorization violation/i);
    expect(bad.out() + bad.err()).not.toContain('nope-wrong-secret');
  });

  it('bridge: a wrong NATS_PASSWORD fails with "Authorization Violation", never the password', async () => {
    const accounts = file(
      'accounts.json',
      JSON.stringify({ accounts: [{ name: 'acct0', apiKeyEnv: 'K0', apiSecretEnv: 'S0' }] }),
    );
    const t = io({ NATS_USER: 'alice', NATS_PASSWORD: 'bridge-wrong-secret', K0: 'k', S0: 's' });
    const outcome = await main(['bridge', '--nats', nats.url, '--accounts', accounts, '--json'], t.io).then(
      (code) => `exit ${code}`,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    expect(outcome).toBe('exit 1');
    expect(t.err()).toMatch(/authorization violation/i);
    expect(outcome + t.out() + t.err()).not.toContain('bridge-wrong-secret');
  });

  it('bridge: a missing NATS_CREDS file is exit 2 naming the file, before anything connects', async () => {
    const accounts = file(
      'accounts-2.json',
      JSON.stringify({ accounts: [{ name: 'acct0', apiKeyEnv: 'K0', apiSecretEnv: 'S0' }] }),
    );
    const t = io({ NATS_CREDS: join(dir, 'missing.creds'), K0: 'k', S0: 's' });
    expect(await main(['bridge', '--nats', 'nats://nats.invalid:4222', '--accounts', accounts], t.io)).toBe(
      2,
    );
    expect(t.err()).toMatch(/^indodax-pws: the creds file .*missing\.creds does not exist\n/);
  });

  it('tail refuses a password to a host that is not loopback over nats:// before connecting (exit 2)', async () => {
    const t = io({ NATS_USER: 'alice', NATS_PASSWORD: SECRET });
    expect(await main(['tail', '--nats', 'nats://nats.invalid:4222', '--account', 'acct0'], t.io)).toBe(2);
    expect(t.err()).toMatch(/^indodax-pws: refused to send a NATS password to nats:\/\/nats\.invalid:4222/);
    expect(t.err()).not.toContain(SECRET);
  });
});

describe('token (nats-server --auth)', () => {
  it('the right token reads and writes; a wrong one fails without the token', async () => {
    const nats = await server({ args: ['--auth', SECRET] });
    expect(await roundTrip(nats.url, { token: SECRET }, 'acct0')).toBe(2);
    const failure = await readFailure(nats.url, { token: 'wrong-token-xyz' });
    expect(failure).toMatch(/authorization violation/i);
    expect(failure).not.toContain('wrong-token-xyz');
  });
});

describe('nkey (a user nkey in a config file)', () => {
  it('the seed file signs the challenge; another seed is refused', async () => {
    const user = nkeys.createUser();
    const nats = await server({
      config: `authorization { users: [ { nkey: ${user.getPublicKey()} } ] }\njetstream { store_dir: "{{store}}" }\n`,
    });
    const seed = file('user.nk', new TextDecoder().decode(user.getSeed()));
    expect(await roundTrip(nats.url, { nkeyFile: seed }, 'acct0')).toBe(2);
    const other = file('other.nk', new TextDecoder().decode(nkeys.createUser().getSeed()));
    expect(await readFailure(nats.url, { nkeyFile: other })).toMatch(/authorization violation/i);
  });
});

describe('creds (operator mode: JWTs signed in the test)', () => {
  it('the creds file (user JWT + seed) reads and writes; NATS_CREDS does the same for tail', async () => {
    const { creds, config } = makeCreds();
    const nats = await server({ config });
    const credsFile = file('user.creds', creds);
    expect(await roundTrip(nats.url, { credsFile }, 'acct0')).toBe(2);
    expect(await readFailure(nats.url, {})).toMatch(/authorization violation/i);
    const t = io({ NATS_CREDS: credsFile });
    expect(
      await main(['tail', '--nats', nats.url, '--account', 'acct0', '--json', '--duration', '2'], t.io),
    ).toBe(0);
    expect(t.out()).toMatch(/"total":1/);
  });
});

describe('TLS with a CA made in the test', () => {
  let nats: TestNats;
  beforeAll(async () => {
    nats = await server({
      scheme: 'tls',
      args: [
        '--tls',
        '--tlscert',
        pki.serverCert,
        '--tlskey',
        pki.serverKey,
        '--tlsverify',
        '--tlscacert',
        pki.ca,
        '--user',
        'alice',
        '--pass',
        SECRET,
      ],
    });
  });
  const mutual = () => ({ caFile: pki.ca, certFile: pki.clientCert, keyFile: pki.clientKey });

  it('mutual TLS with the CA, the client certificate and a password reads and writes', async () => {
    expect(await roundTrip(nats.url, { ...mutual(), user: 'alice', password: SECRET }, 'acct0')).toBe(2);
  });

  it('trusting another CA fails on the certificate; without a client certificate the server lets nothing through', async () => {
    expect(
      await readFailure(nats.url, { ...mutual(), caFile: pki.otherCa, user: 'alice', password: SECRET }),
    ).toMatch(/certificate/i);
    // the server drops the connection after the handshake; nats.js then waits for its timeout
    const without = natsConnectOptions(nats.url, { caFile: pki.ca, user: 'alice', password: SECRET });
    await expect(connect({ servers: nats.url, timeout: 2_000, ...without })).rejects.toThrow();
  });

  it('a tls:// URL never falls back to plain text: a server without TLS is refused', async () => {
    const plain = await server({});
    expect(await readFailure(plain.url.replace('nats://', 'tls://'), {})).toMatch(/tls/i);
  });

  it('tail takes --nats-ca/--nats-cert/--nats-key with NATS_USER/NATS_PASSWORD', async () => {
    const t = io({ NATS_USER: 'alice', NATS_PASSWORD: SECRET });
    const args = ['--nats-ca', pki.ca, '--nats-cert', pki.clientCert, '--nats-key', pki.clientKey];
    expect(
      await main(
        ['tail', '--nats', nats.url, '--account', 'acct0', '--json', '--duration', '1.5', ...args],
        t.io,
      ),
    ).toBe(0);
    expect(t.out()).toMatch(/"total":1/);
  });
});
