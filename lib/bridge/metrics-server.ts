import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isReady } from './bridge-health';
import type { BridgeHealth } from './meter';

/** Options of {@link startMetricsServer}. */
export interface MetricsServerOptions {
  /** Where to listen (default 127.0.0.1: expose it on purpose, with `--metrics-host 0.0.0.0`). */
  readonly host?: string;
  /** The port (0: a free one, chosen by the system). */
  readonly port: number;
  /** The bridge's health now; `undefined` while it is still starting (both probes answer 503). */
  readonly health: () => BridgeHealth | undefined;
  /** The Prometheus text and its content type (a prom-client registry's `metrics()`). */
  readonly metrics: () => Promise<{ readonly contentType: string; readonly text: string }>;
}

/** A running metrics server. */
export interface MetricsServer {
  /** `http://host:port`, the port it really got. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const send = (res: ServerResponse, status: number, type: string, body: string): void => {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
};

const json = (res: ServerResponse, status: number, body: unknown): void =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body) + '\n');

/**
 * Serves a bridge's probes and metrics over plain HTTP:
 *
 * ```text
 * GET /metrics  200  Prometheus text (process defaults and indodax_pws_*)
 * GET /healthz  200  while NATS is connected              else 503
 * GET /readyz   200  NATS connected, its share held, every held account subscribed and
 *                    reconciled at least once            else 503
 * ```
 *
 * Both probes answer a small JSON body saying why (`{"ready":false,"waiting":["acct2"],…}`).
 * Anything else is 404; a method other than GET or HEAD is 405.
 *
 * ## Example
 * ```ts
 * const server = await startMetricsServer({
 *   port: 9464,
 *   health: () => bridge?.health(),
 *   metrics: async () => ({ contentType: registry.contentType, text: await registry.metrics() }),
 * });
 * ```
 */
export function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'GET only\n');
    const path = (req.url ?? '/').split('?')[0];
    const health = options.health();
    if (path === '/metrics') {
      const { contentType, text } = await options.metrics();
      return send(res, 200, contentType, text);
    }
    if (path === '/healthz') {
      const ok = health?.natsConnected === true;
      return json(res, ok ? 200 : 503, { ok, natsConnected: ok, starting: health === undefined });
    }
    if (path === '/readyz') {
      const ready = health !== undefined && isReady(health);
      return json(res, ready ? 200 : 503, {
        ready,
        natsConnected: health?.natsConnected ?? false,
        held: health?.held.length ?? 0,
        fairShare: health?.fairShare ?? null,
        waiting: health ? health.held.filter((a) => !health.readyAccounts.includes(a)) : [],
      });
    }
    return send(res, 404, 'text/plain', 'not found: try /metrics, /healthz or /readyz\n');
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, 'text/plain', `${e instanceof Error ? e.message : String(e)}\n`);
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${host}:${address.port}`,
        port: address.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
