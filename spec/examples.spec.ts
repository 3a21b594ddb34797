import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBridge, type Bridge } from '../lib/bridge/bridge';
import { fill, newOrder, pushData } from '../lib/testing/builders';
import { fakeRestRoutes } from '../lib/testing/fake-rest';
import { startFakeServer } from '../lib/testing/fake-server';
import type { FakeServer } from '../lib/testing/fake-server-types';
import { startNats, type TestNats } from './bus/support/nats-server';

// Every program of examples/ compiled as a user would compile it (imports of `indodax-pws`,
// `/testing`, `/bus`, here resolved to the sources), then run as a child process against the
// testing kit's fake exchange (and a real nats-server for the bus consumer), for a bounded time,
// its output checked. check-consumer-types.mjs type-checks the same files against the tarball.
const root = join(__dirname, '..');
let out: string;

beforeAll(() => {
  out = mkdtempSync(join(root, '.examples-out-'));
  const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts'));
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'commonjs',
        moduleResolution: 'bundler',
        strict: true,
        esModuleInterop: true,
        skipLibCheck: true,
        types: ['node'],
        typeRoots: [join(root, 'node_modules', '@types')],
        rootDir: root,
        outDir: out,
        paths: {
          'indodax-pws': [join(root, 'lib', 'index.ts')],
          'indodax-pws/testing': [join(root, 'lib', 'testing', 'index.ts')],
          'indodax-pws/bus': [join(root, 'lib', 'bus', 'index.ts')],
        },
      },
      files: examples.map((f) => join(root, 'examples', f)),
    }),
  );
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', out], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
  } catch (e) {
    throw new Error(`the examples do not compile:\n${String((e as { stdout?: string }).stdout)}`);
  }
  // `require('indodax-pws')` of the compiled examples finds the compiled sources.
  const pkg = join(out, 'node_modules', 'indodax-pws');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'indodax-pws', main: 'index.js' }));
  writeFileSync(join(pkg, 'index.js'), "module.exports = require('../../lib/index.js');\n");
  writeFileSync(join(pkg, 'testing.js'), "module.exports = require('../../lib/testing/index.js');\n");
  writeFileSync(join(pkg, 'bus.js'), "module.exports = require('../../lib/bus/index.js');\n");
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

/** A running example: its output so far, a bounded wait for a line, and its exit. */
interface Run {
  readonly child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, ms?: number): Promise<void>;
  exit(ms?: number): Promise<number | null>;
}

function runExample(name: string, env: Record<string, string>): Run {
  const child = spawn(process.execPath, [join(out, 'examples', `${name}.js`)], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    text += d.toString();
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  exited.then(
    () => {
      for (const w of waiters) w();
    },
    () => undefined,
  );
  return {
    child,
    output: () => text,
    waitFor: (pattern, ms = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(text)) done(resolve);
          else if (child.exitCode !== null)
            done(() => reject(new Error(`${name} exited without ${pattern}:\n${text}`)));
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`${name}: no ${pattern} in ${ms} ms:\n${text}`))),
          ms,
        );
        const done = (then: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          then();
        };
        waiters.add(check);
        check();
      }),
    exit: (ms = 10_000) =>
      Promise.race([
        exited,
        new Promise<number | null>((_, reject) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`${name} did not exit in ${ms} ms:\n${text}`));
          }, ms);
          void exited.then(() => clearTimeout(timer));
        }),
      ]),
  };
}

async function fakeExchange(): Promise<FakeServer> {
  return startFakeServer({
    pingIntervalMs: 50,
    routes: (srv) =>
      fakeRestRoutes({
        orderLog: (apiKey) => srv.accountByKey(apiKey)?.orderLog ?? [],
        secretOf: (apiKey) => srv.secretOf(apiKey),
      }).routes,
  });
}

const order = { orderId: 'btcidr-limit-7', price: '1000000000', origQty: '0.01' };

describe('examples/strategy.ts', () => {
  let server: FakeServer;
  beforeEach(async () => {
    server = await fakeExchange();
  });
  afterEach(() => server.close());

  const envOf = (apiKey: string, apiSecret: string) => ({
    INDODAX_API_KEY: apiKey,
    INDODAX_API_SECRET: apiSecret,
    INDODAX_REST_BASE_URL: server.environment.restBaseUrl,
    INDODAX_WS_URL: server.environment.wsUrl,
    INDODAX_TAPI_V2_BASE_URL: server.environment.tapiV2BaseUrl,
  });

  it('prints each fill, then closes cleanly on SIGTERM (exit 0)', async () => {
    const run = runExample('strategy', envOf(server.credentials.apiKey, server.credentials.apiSecret));
    try {
      await run.waitFor(/connection: subscribed/);
      await server.until((s) => s.subscribed === 1);
      server.publish(pushData(newOrder(order)));
      await run.waitFor(/open orders: 1/);
      server.publish(pushData(fill({ ...order, qty: '0.01' })));
      await run.waitFor(/fill btcidr-limit-7 0\.01 @ 1000000000 fee \d+ idr/);
      run.child.kill('SIGTERM');
      expect(await run.exit()).toBe(0);
      expect(run.output()).toMatch(/closed\n$/);
      expect(server.stats().openSockets).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('bad keys: one line saying why, exit 1, no stack trace', async () => {
    const run = runExample('strategy', envOf('not-a-key', 'not-a-secret'));
    try {
      expect(await run.exit()).toBe(1);
      expect(run.output()).toMatch(/connection failed \(\w+\): .*invalid/i);
      expect(run.output()).not.toMatch(/^\s+at /m);
      expect(run.output()).not.toContain('not-a-secret');
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('no keys: names the variables, exit 2', async () => {
    const run = runExample('strategy', {});
    expect(await run.exit()).toBe(2);
    expect(run.output()).toContain('set INDODAX_API_KEY and INDODAX_API_SECRET');
  });
});

describe('examples/marble-test.ts', () => {
  it('passes (exit 0)', async () => {
    const run = runExample('marble-test', {});
    expect(await run.exit()).toBe(0);
    expect(run.output()).toContain('marble test passed');
  });
});

describe('examples/bus-consumer.ts', () => {
  let server: FakeServer;
  let nats: TestNats;
  let bridge: Bridge;
  beforeEach(async () => {
    server = await fakeExchange();
    nats = await startNats();
    bridge = await startBridge({
      servers: nats.url,
      id: 'examples',
      accounts: [{ name: 'acct0', credentials: server.credentials, environment: server.environment }],
      leaseMs: 3_000,
    });
  });
  afterEach(async () => {
    await bridge.stop();
    await nats.stop();
    await server.close();
  });

  it('prints the fills the bridge published, then closes on SIGTERM (exit 0)', async () => {
    await server.until((s) => s.subscribed === 1, 10_000);
    server.publish(pushData(newOrder(order)));
    server.publish(pushData(fill({ ...order, qty: '0.01' })));
    const run = runExample('bus-consumer', { NATS_URL: nats.url, INDODAX_ACCOUNT: 'acct0' });
    try {
      await run.waitFor(/fill btcidr-limit-7 0\.01 @ 1000000000/);
      run.child.kill('SIGTERM');
      expect(await run.exit()).toBe(0);
      expect(run.output()).toMatch(/closed\n$/);
    } finally {
      run.child.kill('SIGKILL');
    }
  });
});
