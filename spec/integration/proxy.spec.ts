import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom, lastValueFrom } from 'rxjs';
import { parseCommand } from '../../lib/cli/args';
import { runBridge } from '../../lib/cli/bridge';
import { runWatch } from '../../lib/cli/watch';
import { createPrivateClient } from '../../lib/client';
import { ChannelError } from '../../lib/connection/types';
import type { Environment } from '../../lib/environments';
import { createTradeApi } from '../../lib/rest/trade-api';
import { newOrder, pushData } from '../../lib/testing/builders';
import { fakeRestRoutes } from '../../lib/testing/fake-rest';
import { startFakeServer } from '../../lib/testing/fake-server';
import type { FakeServer } from '../../lib/testing/fake-server-types';
import { TokenRequestError } from '../../lib/token/error';
import { requestToken } from '../../lib/token/request-token';
import { tunnelAgent } from '../../lib/util/proxy';
import { proxyFetch } from '../../lib/util/proxy-fetch';
import { startNats, type TestNats } from '../bus/support/nats-server';
import { startConnectProxy, startTrap, type ConnectProxy } from './support/connect-proxy';

// The client is pointed at a "trap" port on 127.0.0.1 that must receive nothing; the proxy maps
// that port to the fake exchange. So every request that works went through the proxy, and one
// that bypassed it would show as a trap hit.
let server: FakeServer;
let proxy: ConnectProxy;
let trap: Awaited<ReturnType<typeof startTrap>>;
let env: Environment;

const portOf = (url: string) => Number(new URL(url).port);
const viaTrap = (url: string) => url.replace(`:${portOf(url)}`, `:${trap.port}`);
const PASSWORD = 's3cret-proxy-pw';

beforeEach(async () => {
  server = await startFakeServer({
    pingIntervalMs: 50,
    routes: (srv) =>
      fakeRestRoutes({
        orderLog: (apiKey) => srv.accountByKey(apiKey)?.orderLog ?? [],
        secretOf: (apiKey) => srv.secretOf(apiKey),
      }).routes,
  });
  trap = await startTrap();
  const real = portOf(server.restBaseUrl);
  proxy = await startConnectProxy({ map: (p) => (p === trap.port ? real : p), auth: `bob:${PASSWORD}` });
  env = {
    restBaseUrl: viaTrap(server.restBaseUrl),
    wsUrl: viaTrap(server.wsUrl),
    tapiV2BaseUrl: viaTrap(server.environment.tapiV2BaseUrl),
  };
});

afterEach(async () => {
  await proxy.close();
  await trap.close();
  await server.close();
});

const proxyUrl = () => proxy.url.replace('http://', `http://bob:${PASSWORD}@`);

describe('through an HTTP CONNECT proxy', () => {
  it('createPrivateClient: the token POST, the WebSocket upgrade and the REST reads all go through it', async () => {
    const client = createPrivateClient({
      credentials: server.credentials,
      environment: env,
      proxy: proxyUrl(),
    });
    const reconciled = firstValueFrom(client.reconciliation$.pipe(filter((e) => e.type === 'completed')));
    const first = firstValueFrom(client.orderUpdates$.pipe(filter((u) => u.source === 'ws')));
    await firstValueFrom(client.status$.pipe(filter((s) => s.state === 'subscribed')));
    await reconciled;
    server.publish(pushData(newOrder({ orderId: 'btcidr-limit-11' })));
    expect((await first).order.orderId).toBe('btcidr-limit-11');
    await client.close();

    const lines = proxy.tunnels.map((t) => t.firstLine);
    expect(lines).toContain('POST /api/private_ws/v1/generate_token HTTP/1.1');
    expect(lines.some((l) => /^GET \/ws\/\?cf_ws_frame_ping_pong=true HTTP\/1\.1$/.test(l))).toBe(true);
    expect(lines.some((l) => /^(POST \/tapi|GET \/api\/v2\/)/.test(l))).toBe(true);
    expect(new Set(proxy.tunnels.map((t) => t.authority))).toEqual(new Set([`127.0.0.1:${trap.port}`]));
    expect(
      proxy.tunnels.every((t) => t.auth === `Basic ${Buffer.from(`bob:${PASSWORD}`).toString('base64')}`),
    ).toBe(true);
    expect(trap.hits()).toBe(0);
  });

  it('requestToken and createTradeApi take the proxy option on their own', async () => {
    const token = await firstValueFrom(
      requestToken(server.credentials, { restBaseUrl: env.restBaseUrl, proxy: proxyUrl() }),
    );
    expect(token.channel).toMatch(/^pws:#/);
    const api = createTradeApi(server.credentials, { environment: env, proxy: proxyUrl() });
    expect(Array.isArray(await firstValueFrom(api.openOrders()))).toBe(true);
    expect(proxy.tunnels.map((t) => t.firstLine.split(' ').slice(0, 2).join(' '))).toEqual([
      'POST /api/private_ws/v1/generate_token',
      'POST /tapi',
    ]);
    expect(trap.hits()).toBe(0);
  });

  it('a proxy that refuses the credentials: a network error naming the proxy, never its password', async () => {
    const wrong = proxy.url.replace('http://', 'http://bob:wrong-pw@');
    const error = await lastValueFrom(
      requestToken(server.credentials, { restBaseUrl: env.restBaseUrl, proxy: wrong }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect((error as TokenRequestError).code).toBe('network');
    expect((error as TokenRequestError).message).toContain(`proxy ${proxy.url}: answered 407`);
    expect(JSON.stringify(error) + String(error) + String((error as Error).stack)).not.toContain('wrong-pw');
    expect(proxy.refused()).toBe(1);
    expect(trap.hits()).toBe(0);
  });

  it('noProxy: a covered host is reached directly', async () => {
    const token = await firstValueFrom(
      requestToken(server.credentials, {
        restBaseUrl: server.restBaseUrl,
        proxy: { url: proxyUrl(), noProxy: 'localhost,127.0.0.1' },
      }),
    );
    expect(token.channel).toMatch(/^pws:#/);
    expect(proxy.tunnels).toEqual([]);
  });
});

describe('the plain-text guard holds with a proxy', () => {
  it('requestToken to an http: host that is not loopback: refused before anything reaches the proxy', async () => {
    const error = await lastValueFrom(
      requestToken(server.credentials, { restBaseUrl: 'http://indodax.com', proxy: proxyUrl() }),
    ).catch((e: unknown) => e);
    expect((error as TokenRequestError).code).toBe('insecure_transport');
    expect(String((error as Error).message)).not.toContain(PASSWORD);
    expect(proxy.tunnels).toEqual([]);
    expect(proxy.refused()).toBe(0);
  });

  it('createPrivateClient with http:/ws: remote URLs: a terminal insecure_transport, the proxy untouched', async () => {
    const client = createPrivateClient({
      credentials: server.credentials,
      environment: {
        restBaseUrl: 'http://indodax.com',
        wsUrl: 'ws://pws.indodax.com/ws/',
        tapiV2BaseUrl: 'http://x',
      },
      proxy: proxyUrl(),
    });
    const error = await lastValueFrom(client.status$).catch((e: unknown) => e);
    expect((error as ChannelError).kind).toBe('insecure_transport');
    expect((error as Error).message).not.toContain(PASSWORD);
    await client.close();
    expect(proxy.tunnels).toEqual([]);
    expect(proxy.refused()).toBe(0);
  });

  it('a proxy URL that does not parse is refused at once, without echoing it', () => {
    expect(() =>
      createPrivateClient({ credentials: server.credentials, environment: env, proxy: 'http://bob:pw@[bad' }),
    ).toThrow(/^the proxy URL does not parse/);
  });
});

describe('the command reads HTTPS_PROXY and NO_PROXY', () => {
  const watch = async (env: Record<string, string>) => {
    let out = '';
    const command = parseCommand([
      'watch',
      '--json',
      '--duration',
      '1',
      '--rest-base-url',
      env['REST'] ?? '',
      '--ws-url',
      env['WS'] ?? '',
      '--tapi-v2-base-url',
      env['REST'] ?? '',
    ]);
    if (command.kind !== 'watch') throw new Error(`parsed as ${command.kind}`);
    const code = await runWatch(command, {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (out += text) },
      env: {
        INDODAX_API_KEY: server.credentials.apiKey,
        INDODAX_API_SECRET: server.credentials.apiSecret,
        ...env,
      },
      onStop: () => () => undefined,
    });
    return { code, out };
  };

  it('watch: HTTPS_PROXY carries the token, REST and WebSocket; its password is never printed', async () => {
    const { code, out } = await watch({ REST: env.restBaseUrl, WS: env.wsUrl, HTTPS_PROXY: proxyUrl() });
    expect(code).toBe(0);
    expect(out).toContain('"state":"subscribed"');
    expect(out).not.toContain(PASSWORD);
    expect(proxy.tunnels.map((t) => t.firstLine)).toContain(
      'POST /api/private_ws/v1/generate_token HTTP/1.1',
    );
    expect(proxy.tunnels.some((t) => t.firstLine.startsWith('GET /ws/'))).toBe(true);
    expect(trap.hits()).toBe(0);
  });

  it('watch: NO_PROXY covering the host sends nothing to the proxy', async () => {
    const { code, out } = await watch({
      REST: server.restBaseUrl,
      WS: server.wsUrl,
      HTTPS_PROXY: proxyUrl(),
      NO_PROXY: '127.0.0.1',
    });
    expect(code).toBe(0);
    expect(out).toContain('"state":"subscribed"');
    expect(proxy.tunnels).toEqual([]);
  });
});

describe('TLS runs inside the tunnel, end to end', () => {
  // A self-signed certificate for localhost/127.0.0.1, for this test only (valid until 2126).
  const cert = readFileSync(join(__dirname, 'support', 'test-tls.crt'));
  const key = readFileSync(join(__dirname, 'support', 'test-tls.key'));
  let target: https.Server;
  let url: string;

  beforeEach(async () => {
    target = https.createServer({ cert, key }, (_req, res) => res.end('ok over tls'));
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    url = `https://localhost:${(target.address() as AddressInfo).port}/x`;
  });
  afterEach(() => new Promise<void>((resolve) => target.close(() => resolve())));

  it("the proxy sees a CONNECT and a TLS handshake, never the request; the target's certificate is checked", async () => {
    // With the certificate trusted, the request goes through.
    const agent = tunnelAgent(new URL(url), new URL(proxyUrl())) as https.Agent;
    agent.options.ca = cert;
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(url, { agent }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    expect(body).toBe('ok over tls');
    expect(proxy.tunnels.map((t) => t.authority)).toEqual([`localhost:${new URL(url).port}`]);
    expect(proxy.tunnels[0]?.firstLine.charCodeAt(0)).toBe(0x16); // a TLS record: handshake
    expect(proxy.tunnels[0]?.firstLine).not.toContain('GET /x');

    // Without it (the default trust store), the same certificate is refused: nothing is sent.
    const refused = await proxyFetch(proxyUrl())(url, {
      method: 'GET',
      headers: {},
      signal: new AbortController().signal,
    }).catch((e: unknown) => e);
    expect(String((refused as Error).message)).toMatch(/self[- ]signed/i);
  });
});

describe('bridge reads HTTPS_PROXY', () => {
  let nats: TestNats;
  let dir: string;
  beforeEach(async () => {
    nats = await startNats();
    dir = mkdtempSync(join(tmpdir(), 'proxy-bridge-'));
  });
  afterEach(async () => {
    await nats.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("each held account's client goes through the proxy; stop exits 0", async () => {
    const accounts = join(dir, 'accounts.json');
    writeFileSync(
      accounts,
      JSON.stringify({
        accounts: [{ name: 'acct0', apiKeyEnv: 'K', apiSecretEnv: 'S', environment: env }],
      }),
    );
    const command = parseCommand(['bridge', '--nats', nats.url, '--accounts', accounts, '--id', 'proxied']);
    if (command.kind !== 'bridge') throw new Error(`parsed as ${command.kind}`);
    let stop: () => void = () => undefined;
    let out = '';
    const done = runBridge(command, {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: (text: string) => (out += text) },
      env: { K: server.credentials.apiKey, S: server.credentials.apiSecret, HTTPS_PROXY: proxyUrl() },
      onStop: (f) => {
        stop = f;
        return () => undefined;
      },
    });
    await server.until((s) => s.subscribed === 1, 10_000);
    stop();
    expect(await done).toBe(0);
    expect(proxy.tunnels.map((t) => t.firstLine)).toContain(
      'POST /api/private_ws/v1/generate_token HTTP/1.1',
    );
    expect(proxy.tunnels.some((t) => t.firstLine.startsWith('GET /ws/'))).toBe(true);
    expect(trap.hits()).toBe(0);
    expect(out).not.toContain(PASSWORD);
  });
});
