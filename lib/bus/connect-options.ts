import { readFileSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ConnectionOptions } from '@nats-io/transport-node';
import { isLoopbackHost } from '../util/transport-security';
import { loadNats } from './nats';

/**
 * How a NATS connection authenticates and encrypts, as the NATS CLI spells it: a user and
 * password, a token, a creds file (JWT + seed), an nkey seed file, and TLS (a CA to trust, a
 * client certificate and key for mutual TLS). Files are paths; they are read when connecting.
 *
 * ## Example
 * ```ts
 * const security: NatsSecurity = { user: 'reader', password: process.env['NATS_PASSWORD'], caFile: 'ca.pem' };
 * ```
 */
export interface NatsSecurity {
  /** The user name (with {@link NatsSecurity.password}). */
  readonly user?: string;
  /** The user's password; never printed. */
  readonly password?: string;
  /** A token (`nats-server --auth`); never printed. */
  readonly token?: string;
  /** A creds file (`nsc` writes them): a user JWT and its nkey seed. */
  readonly credsFile?: string;
  /** A file holding an nkey user seed (`SU…`). */
  readonly nkeyFile?: string;
  /** The CA certificate(s) (PEM) that signed the server's certificate. */
  readonly caFile?: string;
  /** The client certificate (PEM), for servers that verify clients (mutual TLS). */
  readonly certFile?: string;
  /** The client certificate's key (PEM). */
  readonly keyFile?: string;
  /** Require TLS even on `nats://` URLs (a `tls://` URL or any TLS file requires it too). */
  readonly tls?: boolean;
  /**
   * Send a password or token over plain text to a host that is not loopback. Off by default:
   * only behind a TLS-terminating proxy on a private network.
   */
  readonly allowInsecureTransport?: boolean;
}

/** What went wrong: a file, a combination, a URL, or a password about to travel in plain text. */
export type NatsSecurityErrorCode =
  'missing_file' | 'unreadable_file' | 'bad_file' | 'conflict' | 'insecure_transport';

/**
 * A NATS security setting that cannot be used, found before anything connects. Names the
 * setting and the file, never a file's contents, a password or a token.
 *
 * ## Example
 * ```ts
 * try { natsConnectOptions('nats://127.0.0.1:4222', { credsFile: 'missing.creds' }); }
 * catch (e) { if (e instanceof NatsSecurityError) console.error(e.code, e.file); }
 * ```
 */
export class NatsSecurityError extends Error {
  override readonly name = 'NatsSecurityError';
  constructor(
    readonly code: NatsSecurityErrorCode,
    message: string,
    /** The file concerned, if any. */
    readonly file?: string,
  ) {
    super(message);
  }
}

/** The environment variables of the NATS CLI that {@link natsSecurityFromEnv} reads. */
export const NATS_ENV = {
  user: 'NATS_USER',
  password: 'NATS_PASSWORD',
  token: 'NATS_TOKEN',
  credsFile: 'NATS_CREDS',
  nkeyFile: 'NATS_NKEY',
  caFile: 'NATS_CA',
  certFile: 'NATS_CERT',
  keyFile: 'NATS_KEY',
} as const;

/**
 * Reads the NATS CLI's variables (`NATS_USER`, `NATS_PASSWORD`, `NATS_TOKEN`, `NATS_CREDS`,
 * `NATS_NKEY`, `NATS_CA`, `NATS_CERT`, `NATS_KEY`); empty values count as unset. `overrides`
 * (the command's flags) win over the environment.
 *
 * ## Example
 * ```ts
 * const client = fromJetStream({ servers, account: 'acct0', ...natsSecurityFromEnv(process.env) });
 * ```
 */
export function natsSecurityFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  overrides: NatsSecurity = {},
): NatsSecurity {
  const out: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(NATS_ENV)) {
    const value = env[variable];
    if (value !== undefined && value !== '') out[key] = value;
  }
  for (const [key, value] of Object.entries(overrides) as [string, unknown][])
    if (value !== undefined) out[key] = value;
  return out;
}

const MAX_FILE_BYTES = 1 << 20;

function readSecurityFile(what: string, file: string): Buffer {
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile())
      throw new NatsSecurityError('unreadable_file', `the ${what} ${file} is not a regular file`, file);
    size = stat.size;
  } catch (e) {
    if (e instanceof NatsSecurityError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ENOENT')
      throw new NatsSecurityError('missing_file', `the ${what} ${file} does not exist`, file);
    throw new NatsSecurityError('unreadable_file', `cannot read the ${what} ${file}: ${code}`, file);
  }
  if (size > MAX_FILE_BYTES)
    throw new NatsSecurityError('bad_file', `the ${what} ${file} is over 1 MB: not a NATS ${what}`, file);
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new NatsSecurityError('unreadable_file', `cannot read the ${what} ${file}: ${code}`, file);
  }
}

function serverList(servers: string | readonly string[]): string[] {
  return typeof servers === 'string' ? servers.split(',').map((s) => s.trim()) : [...servers];
}

function parseServer(server: string): URL | undefined {
  try {
    return new URL(server.includes('://') ? server : `nats://${server}`);
  } catch {
    return undefined;
  }
}

/**
 * Whether TLS is required for `servers` with `security`: a `tls://` URL, `tls: true`, or a CA,
 * certificate or key file.
 * @internal
 */
export function requiresTls(servers: string | readonly string[], security: NatsSecurity): boolean {
  return (
    security.tls === true ||
    security.caFile !== undefined ||
    security.certFile !== undefined ||
    security.keyFile !== undefined ||
    serverList(servers).some((s) => parseServer(s)?.protocol === 'tls:')
  );
}

/**
 * nats.js names no TLS server for an IP URL, so node checks the certificate against
 * `localhost`; when every server is the same IP, check against that IP (its `IP:` altname).
 */
function ipIdentity(servers: string | readonly string[]): { host?: string } {
  const hosts = new Set(serverList(servers).map((s) => parseServer(s)?.hostname.replace(/^\[|\]$/g, '')));
  const [host] = [...hosts];
  return hosts.size === 1 && host !== undefined && isIP(host) !== 0 ? { host } : {};
}

function checkCombination(security: NatsSecurity): void {
  const methods = [
    security.user !== undefined || security.password !== undefined ? 'user/password' : undefined,
    security.token !== undefined ? 'token' : undefined,
    security.credsFile !== undefined ? 'creds file' : undefined,
    security.nkeyFile !== undefined ? 'nkey seed file' : undefined,
  ].filter((m): m is string => m !== undefined);
  if (methods.length > 1)
    throw new NatsSecurityError('conflict', `choose one NATS authentication, got ${methods.join(' and ')}`);
  if (security.user !== undefined && security.password === undefined)
    throw new NatsSecurityError(
      'conflict',
      `the NATS user ${security.user} needs a password (NATS_PASSWORD)`,
    );
  if (security.password !== undefined && security.user === undefined)
    throw new NatsSecurityError('conflict', 'a NATS password needs a user (NATS_USER or --nats-user)');
  if ((security.certFile === undefined) !== (security.keyFile === undefined))
    throw new NatsSecurityError(
      'conflict',
      'a NATS client certificate needs its key, and a key its certificate',
    );
}

function checkPlainText(servers: string | readonly string[], security: NatsSecurity): void {
  if (security.allowInsecureTransport === true) return;
  if (security.password === undefined && security.token === undefined) return;
  if (requiresTls(servers, security)) return;
  for (const server of serverList(servers)) {
    const url = parseServer(server);
    if (url && !isLoopbackHost(url.hostname))
      throw new NatsSecurityError(
        'insecure_transport',
        `refused to send a NATS ${security.token === undefined ? 'password' : 'token'} to ${url.protocol}//${url.host}: ` +
          `credentials never travel in plain text to a host that is not loopback; use a tls:// URL (and NATS_CA), ` +
          `or a creds/nkey file`,
      );
  }
}

/** The part of nats.js' connect options that {@link natsConnectOptions} fills. @internal */
export type NatsConnectOptions = Pick<ConnectionOptions, 'user' | 'pass' | 'token' | 'authenticator' | 'tls'>;

/**
 * The connect options of `servers` under `security`: user/password or token, a creds file
 * (credsAuthenticator), an nkey seed file (nkeyAuthenticator), TLS files read and required.
 * Throws {@link NatsSecurityError} for a missing or unreadable file, a bad seed, two ways of
 * authenticating at once, or a password/token about to cross the network in plain text (a
 * `nats://` URL to a host that is not loopback). Needs the NATS clients (optional peers).
 *
 * ```text
 * nats://127.0.0.1:4222 + user/password        → { user, pass }
 * tls://nats.lan:4222 + caFile + user/password  → { user, pass, tls: { ca } }
 * nats://nats.lan:4222 + token                  → NatsSecurityError insecure_transport
 * ```
 *
 * ## Example
 * ```ts
 * const nc = await connect({ servers, ...natsConnectOptions(servers, natsSecurityFromEnv(process.env)) });
 * ```
 * @internal
 */
export function natsConnectOptions(
  servers: string | readonly string[],
  security: NatsSecurity,
): NatsConnectOptions {
  checkCombination(security);
  checkPlainText(servers, security);
  const out: { -readonly [K in keyof NatsConnectOptions]: NatsConnectOptions[K] } = {};
  if (security.user !== undefined) out.user = security.user;
  if (security.password !== undefined) out.pass = security.password;
  if (security.token !== undefined) out.token = security.token;
  if (security.credsFile !== undefined) {
    const creds = readSecurityFile('creds file', security.credsFile);
    if (
      !/-----BEGIN NATS USER JWT-----/.test(creds.toString('latin1')) ||
      !/\bSU[A-Z2-7]{50,}/.test(creds.toString('latin1'))
    )
      throw new NatsSecurityError(
        'bad_file',
        `the creds file ${security.credsFile} holds no user JWT and seed`,
        security.credsFile,
      );
    out.authenticator = loadNats().transport.credsAuthenticator(new Uint8Array(creds));
  }
  if (security.nkeyFile !== undefined) {
    const seed = readSecurityFile('nkey seed file', security.nkeyFile).toString('latin1').trim();
    const { nkeys } = loadNats().transport;
    try {
      if (!seed.startsWith('SU')) throw new Error('not a user seed');
      nkeys.fromSeed(new TextEncoder().encode(seed));
    } catch {
      throw new NatsSecurityError(
        'bad_file',
        `the nkey seed file ${security.nkeyFile} holds no user seed (SU…)`,
        security.nkeyFile,
      );
    }
    out.authenticator = loadNats().transport.nkeyAuthenticator(new TextEncoder().encode(seed));
  }
  if (requiresTls(servers, security)) {
    out.tls = {
      ...ipIdentity(servers),
      ...(security.caFile === undefined
        ? {}
        : { ca: readSecurityFile('CA file', security.caFile).toString('utf8') }),
      ...(security.certFile === undefined
        ? {}
        : { cert: readSecurityFile('certificate file', security.certFile).toString('utf8') }),
      ...(security.keyFile === undefined
        ? {}
        : { key: readSecurityFile('key file', security.keyFile).toString('utf8') }),
    };
  }
  return out;
}
