import { createHash } from 'node:crypto';
import { nkeys } from '@nats-io/transport-node';

// Operator-mode credentials made in the test (what `nsc` would write): an operator, an account
// with JetStream, a user, their JWTs signed with ed25519 nkeys, a creds file's text, and the
// server config that trusts the operator and preloads the account.

const text = new TextDecoder();

function b64url(data: string | Uint8Array): string {
  return Buffer.from(data).toString('base64url');
}

function jwt(signer: nkeys.KeyPair, subject: string, name: string, nats: Record<string, unknown>): string {
  const claims: Record<string, unknown> = {
    iat: Math.floor(Date.now() / 1000),
    iss: signer.getPublicKey(),
    name,
    sub: subject,
    nats: { ...nats, version: 2 },
  };
  claims['jti'] = createHash('sha256').update(JSON.stringify(claims)).digest('base64url');
  const head = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'ed25519-nkey' }))}.${b64url(JSON.stringify(claims))}`;
  return `${head}.${b64url(signer.sign(new TextEncoder().encode(head)))}`;
}

/** A creds file's text and the config of a server that accepts it. */
export interface TestCreds {
  readonly creds: string;
  /** The config (with `{{store}}` for the JetStream store). */
  readonly config: string;
}

export function makeCreds(): TestCreds {
  const operator = nkeys.createOperator();
  const account = nkeys.createAccount();
  const system = nkeys.createAccount();
  const user = nkeys.createUser();
  const unlimited = { subs: -1, data: -1, payload: -1 };
  const operatorJwt = jwt(operator, operator.getPublicKey(), 'test-operator', { type: 'operator' });
  const accountJwt = jwt(operator, account.getPublicKey(), 'test-account', {
    type: 'account',
    limits: {
      ...unlimited,
      imports: -1,
      exports: -1,
      wildcards: true,
      conn: -1,
      leaf: -1,
      mem_storage: -1,
      disk_storage: -1,
      streams: -1,
      consumer: -1,
    },
    default_permissions: { pub: {}, sub: {} },
  });
  const systemJwt = jwt(operator, system.getPublicKey(), 'SYS', {
    type: 'account',
    limits: { ...unlimited, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1 },
  });
  const userJwt = jwt(account, user.getPublicKey(), 'test-user', {
    type: 'user',
    pub: {},
    sub: {},
    ...unlimited,
  });
  const creds = [
    '-----BEGIN NATS USER JWT-----',
    userJwt,
    '------END NATS USER JWT------',
    '',
    '-----BEGIN USER NKEY SEED-----',
    text.decode(user.getSeed()),
    '------END USER NKEY SEED------',
    '',
  ].join('\n');
  const config = [
    `operator: ${operatorJwt}`,
    'resolver: MEMORY',
    `system_account: ${system.getPublicKey()}`,
    `resolver_preload: { ${account.getPublicKey()}: ${accountJwt}, ${system.getPublicKey()}: ${systemJwt} }`,
    'jetstream { store_dir: "{{store}}" }',
    '',
  ].join('\n');
  return { creds, config };
}
