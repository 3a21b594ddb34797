import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { LEASE_BUCKET, ORDERS_STREAM, accountOrdersFilter } from '../../../lib/bus/names';

// A real `nats-server -js` for the bus tests: 127.0.0.1, a free port, a temporary store.
// A missing binary FAILS the test (never skips): install it with the OS package manager.

/** A running server the test controls. */
export interface TestNats {
  readonly url: string;
  /**
   * Stops and starts the same server (same port; the same store, or an empty one with
   * `emptyStore`: NATS back with no stream, no bucket); `whileDown` runs in between.
   */
  restart(whileDown?: () => Promise<void> | void, options?: { readonly emptyStore?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export function natsServerBinary(): string {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, 'nats-server');
    if (dir && existsSync(candidate)) return candidate;
  }
  for (const candidate of ['/usr/sbin/nats-server', '/usr/bin/nats-server'])
    if (existsSync(candidate)) return candidate;
  throw new Error(
    'nats-server is not installed: the bus tests need a real NATS JetStream server. ' +
      'Install it with `apt-get update && apt-get install -y nats-server` (or put nats-server on PATH).',
  );
}

/** A port nothing listens on now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** How to start a test server beyond the defaults (JetStream, 127.0.0.1, a free port, a temp store). */
export interface NatsStartOptions {
  /** More command-line arguments (`--user u --pass p`, `--auth TOKEN`, `--tlscert …`). */
  readonly args?: readonly string[];
  /**
   * A config file's text (written to a temp file, passed with `-c`), e.g. `max_payload: 4096`.
   * `{{store}}` becomes the temp store, which then is not passed as `-sd` (nats-server refuses
   * both); without it the flags still set the store.
   */
  readonly config?: string;
  /** Variables the server's environment gets (a config's `$VAR`s). */
  readonly env?: Readonly<Record<string, string>>;
  /** The URL's scheme (default `nats`). */
  readonly scheme?: 'nats' | 'tls';
}

function launch(
  binary: string,
  port: number,
  store: string,
  extra: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
  ownStore = false,
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const args = [...extra, '-js', '-a', '127.0.0.1', '-p', String(port)];
    if (!ownStore) args.push('-sd', store);
    const child = spawn(binary, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let log = '';
    const onData = (d: Buffer) => {
      log += d.toString();
      if (log.includes('Server is ready')) {
        child.stderr?.off('data', onData);
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`nats-server exited (${code}) before it was ready:\n${log}`)),
    );
    child.once('error', reject);
  });
}

function exit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export async function startNats(options: NatsStartOptions = {}): Promise<TestNats> {
  const binary = natsServerBinary();
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'indodax-pws-nats-'));
  let configFile: string | undefined;
  if (options.config !== undefined) {
    configFile = `${store}.conf`; // beside the store: an empty-store restart keeps it
    writeFileSync(
      configFile,
      options.config.split('{{store}}').join(JSON.stringify(join(store, 'js')).slice(1, -1)),
    );
  }
  const extra = [...(configFile === undefined ? [] : ['-c', configFile]), ...(options.args ?? [])];
  const ownStore = options.config?.includes('{{store}}') ?? false;
  const start = () => launch(binary, port, store, extra, options.env, ownStore);
  let child = await start();
  return {
    url: `${options.scheme ?? 'nats'}://127.0.0.1:${port}`,
    restart: async (whileDown, restartOptions) => {
      await exit(child);
      if (restartOptions?.emptyStore) {
        rmSync(store, { recursive: true, force: true });
        mkdirSync(store);
      }
      await whileDown?.();
      child = await start();
    },
    stop: async () => {
      await exit(child);
      rmSync(store, { recursive: true, force: true });
      if (configFile !== undefined) rmSync(configFile, { force: true });
    },
  };
}

/** Re-checks `check` every `everyMs` until it holds or `ms` pass (then fails with `what`). */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms = 20_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`not within ${ms} ms: ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** How many messages of an account the stream holds. */
export async function storedFor(url: string, account: string): Promise<number> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(ORDERS_STREAM, { subjects_filter: accountOrdersFilter(account) });
    return Object.values(info.state.subjects ?? {}).reduce((n, c) => n + c, 0);
  } finally {
    await nc.close();
  }
}

/**
 * Who holds each of `accounts` in the lease bucket now: a key counts while the server's own stamp
 * is younger than the lease (the test's clock and the server's are the same machine's).
 */
export async function leaseOwners(
  url: string,
  accounts: readonly string[],
  leaseMs: number,
): Promise<Map<string, string>> {
  const nc = await connect({ servers: url });
  try {
    const kv = await new Kvm(nc).open(LEASE_BUCKET);
    const out = new Map<string, string>();
    for (const name of accounts) {
      const e = await kv.get(name);
      if (e?.operation === 'PUT' && Date.now() - e.created.getTime() < leaseMs) out.set(name, e.string());
    }
    return out;
  } finally {
    await nc.close();
  }
}
