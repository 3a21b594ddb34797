import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from '@nats-io/transport-node';
import {
  NatsSecurityError,
  natsSecurityFromEnv,
  type NatsSecurity,
  type NatsSecurityErrorCode,
} from '../../lib/bus';
import { natsConnectOptions } from '../../lib/bus/connect-options';
import { UsageError, parseCommand } from '../../lib/cli/args';

const SECRET = 's3cr3t-never-shown';
const dir = mkdtempSync(join(tmpdir(), 'indodax-pws-sec-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const seed = file('user.nk', new TextDecoder().decode(nkeys.createUser().getSeed()) + '\n');
const accountSeed = file('account.nk', new TextDecoder().decode(nkeys.createAccount().getSeed()));
const notCreds = file('not.creds', `just ${SECRET}\n`);
// a path under a file: unreadable for every user (root reads a mode-0000 file)
const unreadable = join(file('plain.txt', 'x'), 'key.pem');

function failure(servers: string, security: NatsSecurity): NatsSecurityError {
  try {
    natsConnectOptions(servers, security);
  } catch (e) {
    if (e instanceof NatsSecurityError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('natsSecurityFromEnv', () => {
  it("reads the NATS CLI's variables; empty ones are unset; flags win", () => {
    const env = {
      NATS_USER: 'env-user',
      NATS_PASSWORD: SECRET,
      NATS_TOKEN: '',
      NATS_CREDS: '/c',
      NATS_NKEY: '/n',
      NATS_CA: '/ca',
      NATS_CERT: '/cert',
      NATS_KEY: '/key',
    };
    expect(natsSecurityFromEnv(env, { user: 'flag-user', caFile: '/flag-ca' })).toEqual({
      user: 'flag-user',
      password: SECRET,
      credsFile: '/c',
      nkeyFile: '/n',
      caFile: '/flag-ca',
      certFile: '/cert',
      keyFile: '/key',
    });
    expect(natsSecurityFromEnv({})).toEqual({});
  });
});

describe('natsConnectOptions', () => {
  it('passes user/password and token as nats.js takes them', () => {
    expect(natsConnectOptions('nats://127.0.0.1:4222', { user: 'u', password: SECRET })).toEqual({
      user: 'u',
      pass: SECRET,
    });
    expect(natsConnectOptions('localhost:4222', { token: SECRET })).toEqual({ token: SECRET });
  });

  it('requires TLS for tls:// URLs and TLS files, reading the files', () => {
    // an IP server: its certificate is checked against the IP (nats.js alone would say localhost)
    expect(natsConnectOptions('tls://127.0.0.1:4222', {})).toEqual({ tls: { host: '127.0.0.1' } });
    expect(natsConnectOptions('tls://nats.lan:4222', {})).toEqual({ tls: {} });
    expect(natsConnectOptions('nats.lan:4222,10.0.0.1:4222', { tls: true })).toEqual({ tls: {} });
    const ca = file('ca.pem', 'CA PEM');
    expect(natsConnectOptions('nats://[::1]:4222', { caFile: ca })).toEqual({
      tls: { host: '::1', ca: 'CA PEM' },
    });
    expect(natsConnectOptions('nats://127.0.0.1:4222', {})).toEqual({});
  });

  it('turns an nkey seed file into an authenticator', () => {
    expect(typeof natsConnectOptions('nats://127.0.0.1:4222', { nkeyFile: seed }).authenticator).toBe(
      'function',
    );
  });

  const rows: readonly {
    readonly name: string;
    readonly servers: string;
    readonly security: NatsSecurity;
    readonly code: NatsSecurityErrorCode;
    readonly message: RegExp;
  }[] = [
    {
      name: 'a missing creds file',
      servers: 'nats://127.0.0.1:1',
      security: { credsFile: join(dir, 'none.creds') },
      code: 'missing_file',
      message: /^the creds file .*none\.creds does not exist$/,
    },
    {
      name: 'a directory as CA',
      servers: 'nats://127.0.0.1:1',
      security: { caFile: dir },
      code: 'unreadable_file',
      message: /^the CA file .* is not a regular file$/,
    },
    {
      name: 'an unreadable key',
      servers: 'nats://127.0.0.1:1',
      security: { certFile: seed, keyFile: unreadable },
      code: 'unreadable_file',
      message: /^cannot read the key file .*plain\.txt\/key\.pem: ENOTDIR$/,
    },
    {
      name: 'a creds file without JWT and seed',
      servers: 'nats://127.0.0.1:1',
      security: { credsFile: notCreds },
      code: 'bad_file',
      message: /^the creds file .*not\.creds holds no user JWT and seed$/,
    },
    {
      name: 'an account seed as user nkey',
      servers: 'nats://127.0.0.1:1',
      security: { nkeyFile: accountSeed },
      code: 'bad_file',
      message: /holds no user seed/,
    },
    {
      name: 'user and token',
      servers: 'nats://127.0.0.1:1',
      security: { user: 'u', password: SECRET, token: SECRET },
      code: 'conflict',
      message: /^choose one NATS authentication, got user\/password and token$/,
    },
    {
      name: 'a user without password',
      servers: 'nats://127.0.0.1:1',
      security: { user: 'u' },
      code: 'conflict',
      message: /needs a password \(NATS_PASSWORD\)/,
    },
    {
      name: 'a password without user',
      servers: 'nats://127.0.0.1:1',
      security: { password: SECRET },
      code: 'conflict',
      message: /needs a user/,
    },
    {
      name: 'a certificate without key',
      servers: 'tls://127.0.0.1:1',
      security: { certFile: seed },
      code: 'conflict',
      message: /certificate needs its key/,
    },
    {
      name: 'a password over nats:// to another host',
      servers: 'nats://nats.lan:4222',
      security: { user: 'u', password: SECRET },
      code: 'insecure_transport',
      message: /^refused to send a NATS password to nats:\/\/nats\.lan:4222: .* use a tls:\/\/ URL/,
    },
    {
      name: 'a token over a bare host:port, second of two',
      servers: '127.0.0.1:4222,10.0.0.7:4222',
      security: { token: SECRET },
      code: 'insecure_transport',
      message: /NATS token to nats:\/\/10\.0\.0\.7:4222/,
    },
  ];
  it.each(rows.map((r) => [r.name, r] as const))(
    'refuses %s, naming the file and never a secret',
    (_, row) => {
      const error = failure(row.servers, row.security);
      expect(error.code).toBe(row.code);
      expect(error.message).toMatch(row.message);
      expect(error.message).not.toContain(SECRET);
    },
  );

  it.each([
    ['loopback by name', 'nats://localhost:4222', {}],
    ['IPv6 loopback', 'nats://[::1]:4222', {}],
    ['a tls:// URL', 'tls://nats.lan:4222', {}],
    ['a CA file', 'nats://nats.lan:4222', { caFile: seed }],
    ['tls: true', 'nats.lan:4222', { tls: true }],
    ['allowInsecureTransport', 'nats://nats.lan:4222', { allowInsecureTransport: true }],
  ] as const)('lets a password travel with %s', (_, servers, extra) => {
    expect(natsConnectOptions(servers, { user: 'u', password: SECRET, ...extra }).pass).toBe(SECRET);
  });

  it('lets an nkey (a signature, no secret on the wire) use nats:// to another host', () => {
    expect(natsConnectOptions('nats://nats.lan:4222', { nkeyFile: seed }).authenticator).toBeDefined();
  });
});

describe('the --nats-* flags of bridge and tail', () => {
  const usage = (argv: readonly string[]) => {
    try {
      parseCommand(argv);
    } catch (e) {
      if (e instanceof UsageError) return e.message;
      throw e;
    }
    throw new Error('no usage error');
  };

  it('parses the file flags and the user into natsFlags', () => {
    const command = parseCommand([
      'tail',
      '--nats',
      'tls://127.0.0.1:4222',
      '--account',
      'acct0',
      '--nats-user',
      'reader',
      '--nats-creds',
      'c',
      '--nats-nkey',
      'n',
      '--nats-ca',
      'ca',
      '--nats-cert',
      'cert',
      '--nats-key',
      'key',
    ]);
    expect(command).toMatchObject({
      kind: 'tail',
      natsFlags: {
        user: 'reader',
        credsFile: 'c',
        nkeyFile: 'n',
        caFile: 'ca',
        certFile: 'cert',
        keyFile: 'key',
      },
    });
    expect(parseCommand(['bridge', '--nats', 'n', '--accounts', 'f', '--nats-ca', 'ca'])).toMatchObject({
      natsFlags: { caFile: 'ca' },
    });
  });

  it.each([
    [
      ['bridge', '--nats', 'n', '--accounts', 'f', `--nats-password=${SECRET}`],
      /--nats-password is not taken .*set NATS_PASSWORD instead/,
    ],
    [
      ['tail', '--nats', 'n', '--account', 'a', '--nats-token', SECRET],
      /--nats-token is not taken .*set NATS_TOKEN instead/,
    ],
    [
      ['tail', '--nats', `nats://u:${SECRET}@127.0.0.1:4222`, '--account', 'a'],
      /--nats must not hold credentials: set NATS_USER and NATS_PASSWORD/,
    ],
    [['watch', '--nats-ca', 'ca'], /--nats-ca does not apply to watch/],
  ])('%j is a usage error that never echoes the secret', (argv, message) => {
    const text = usage(argv);
    expect(text).toMatch(message);
    expect(text).not.toContain(SECRET);
  });
});
