import { request } from 'node:http';
import { loadPromClient, promBridgeMeter } from '../../lib/bridge/metrics';
import { startMetricsServer, type MetricsServer } from '../../lib/bridge/metrics-server';
import type { BridgeHealth } from '../../lib/bridge/meter';

function get(url: string, method = 'GET'): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** The value of one sample line (`name{labels} value`) of a Prometheus text. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('promBridgeMeter', () => {
  it('counts every fact under bounded labels, reads the gauges at scrape time', async () => {
    let now = 1_000_000;
    let health: BridgeHealth | undefined = {
      natsConnected: true,
      held: ['a', 'b'],
      fairShare: 2,
      readyAccounts: [],
    };
    const meter = promBridgeMeter({ health: () => health, now: () => now });
    meter.leaseChanged('claimed', 'a');
    meter.leaseChanged('claimed', 'b');
    meter.leaseChanged('claimed', 'c');
    meter.leaseChanged('released', 'c');
    meter.published('a', 0.003);
    meter.published('a', 0.2);
    meter.publishRetried('a');
    meter.publishRetried('b');
    meter.reconciled('a', 'ok');
    meter.reconciled('a', 'changed');
    meter.reconciled('b', 'failed');
    meter.reconnected('b');
    now += 7_500;
    const text = await meter.registry.metrics();
    expect(sample(text, 'indodax_pws_accounts_held')).toBe(2);
    expect(sample(text, 'indodax_pws_updates_published_total{account="a"}')).toBe(2);
    expect(sample(text, 'indodax_pws_publish_duration_seconds_count')).toBe(2);
    expect(sample(text, 'indodax_pws_publish_duration_seconds_bucket{le="0.005"}')).toBe(1);
    expect(sample(text, 'indodax_pws_publish_duration_seconds_bucket{le="0.25"}')).toBe(2);
    expect(sample(text, 'indodax_pws_publish_retries_total')).toBe(2);
    expect(sample(text, 'indodax_pws_reconciliations_total{account="a",result="ok"}')).toBe(1);
    expect(sample(text, 'indodax_pws_reconciliations_total{account="a",result="changed"}')).toBe(1);
    expect(sample(text, 'indodax_pws_reconciliations_total{account="b",result="failed"}')).toBe(1);
    expect(sample(text, 'indodax_pws_lease_changes_total{kind="claimed"}')).toBe(3);
    expect(sample(text, 'indodax_pws_lease_changes_total{kind="released"}')).toBe(1);
    expect(sample(text, 'indodax_pws_ws_reconnects_total{account="b"}')).toBe(1);
    // a: last publish 7.5 s ago; b: claimed 7.5 s ago, never published; c: no longer held
    expect(sample(text, 'indodax_pws_last_update_age_seconds{account="a"}')).toBe(7.5);
    expect(sample(text, 'indodax_pws_last_update_age_seconds{account="b"}')).toBe(7.5);
    expect(text).not.toContain('account="c"}');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');

    health = { natsConnected: true, held: ['a'], fairShare: 1, readyAccounts: ['a'] };
    meter.leaseChanged('lost', 'b');
    const after = await meter.registry.metrics();
    expect(sample(after, 'indodax_pws_accounts_held')).toBe(1);
    expect(after).not.toContain('indodax_pws_last_update_age_seconds{account="b"}');
    expect(sample(after, 'indodax_pws_lease_changes_total{kind="lost"}')).toBe(1);
  });

  it('two meters in one process keep separate registries', async () => {
    const one = promBridgeMeter({ health: () => undefined, now: () => 0, processMetrics: false });
    const two = promBridgeMeter({ health: () => undefined, now: () => 0, processMetrics: false });
    one.publishRetried('a');
    expect(sample(await one.registry.metrics(), 'indodax_pws_publish_retries_total')).toBe(1);
    expect(sample(await two.registry.metrics(), 'indodax_pws_publish_retries_total')).toBe(0);
    expect(sample(await two.registry.metrics(), 'indodax_pws_accounts_held')).toBe(0);
  });

  it('loadPromClient loads the optional peer', () => {
    expect(typeof loadPromClient().Registry).toBe('function');
  });

  it('without prom-client installed: one readable error naming the package', () => {
    jest.isolateModules(() => {
      jest.doMock('prom-client', () => {
        throw new Error("Cannot find module 'prom-client'");
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('../../lib/bridge/metrics') as typeof import('../../lib/bridge/metrics');
      expect(() => isolated.loadPromClient()).toThrow(
        "--metrics-port needs prom-client: npm install prom-client@^15 (Cannot find module 'prom-client')",
      );
    });
  });
});

describe('startMetricsServer', () => {
  let health: BridgeHealth | undefined;
  let server: MetricsServer;
  beforeAll(async () => {
    server = await startMetricsServer({
      port: 0,
      health: () => health,
      metrics: () => Promise.resolve({ contentType: 'text/plain; version=0.0.4', text: 'm 1\n' }),
    });
  });
  afterAll(() => server.close());

  it('listens on 127.0.0.1 by default', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('/metrics serves the text', async () => {
    expect(await get(`${server.url}/metrics`)).toEqual({
      status: 200,
      type: 'text/plain; version=0.0.4',
      body: 'm 1\n',
    });
  });

  it.each([
    {
      name: 'still starting',
      health: undefined,
      healthz: 503,
      readyz: 503,
    },
    {
      name: 'NATS down',
      health: { natsConnected: false, held: ['a'], fairShare: 1, readyAccounts: ['a'] },
      healthz: 503,
      readyz: 503,
    },
    {
      name: 'below its share',
      health: { natsConnected: true, held: ['a'], fairShare: 2, readyAccounts: ['a'] },
      healthz: 200,
      readyz: 503,
    },
    {
      name: 'an account not reconciled yet',
      health: { natsConnected: true, held: ['a', 'b'], fairShare: 2, readyAccounts: ['a'] },
      healthz: 200,
      readyz: 503,
      waiting: ['b'],
    },
    {
      name: 'ready',
      health: { natsConnected: true, held: ['a', 'b'], fairShare: 2, readyAccounts: ['b', 'a'] },
      healthz: 200,
      readyz: 200,
    },
  ])('probes: $name → healthz $healthz, readyz $readyz', async (row) => {
    health = row.health;
    const h = await get(`${server.url}/healthz`);
    const r = await get(`${server.url}/readyz`);
    expect(h.status).toBe(row.healthz);
    expect(r.status).toBe(row.readyz);
    expect(h.type).toContain('application/json');
    expect(JSON.parse(r.body)).toMatchObject({ ready: row.readyz === 200, waiting: row.waiting ?? [] });
  });

  it('anything else: 404; a POST: 405', async () => {
    expect((await get(`${server.url}/`)).status).toBe(404);
    expect((await get(`${server.url}/metrics`, 'POST')).status).toBe(405);
  });

  it('a port in use is an error at start', async () => {
    await expect(
      startMetricsServer({
        port: server.port,
        health: () => undefined,
        metrics: () => Promise.reject(new Error('x')),
      }),
    ).rejects.toThrow(/EADDRINUSE/);
  });

  it('a failing metrics source answers 500 with its message', async () => {
    const failing = await startMetricsServer({
      port: 0,
      health: () => undefined,
      metrics: () => Promise.reject(new Error('registry broke')),
    });
    try {
      expect(await get(`${failing.url}/metrics`)).toMatchObject({ status: 500, body: 'registry broke\n' });
    } finally {
      await failing.close();
    }
  });
});
