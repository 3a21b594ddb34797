import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP request as the fake server hands it to a {@link FakeRoute}.
 *
 * ## Example
 * ```ts
 * const route: FakeRoute = (req) => (req.url.pathname === '/ping' ? { status: 200, body: req.body } : undefined);
 * ```
 */
export interface FakeRequest {
  readonly method: string;
  /** The full URL (`http://127.0.0.1:PORT/path?query`). */
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  /** The raw body, UTF-8. */
  readonly body: string;
}

/**
 * A route's answer.
 *
 * ## Example
 * ```ts
 * const answer: FakeRouteResult = { status: 429, body: '{}', headers: { 'retry-after': '1' } };
 * ```
 */
export interface FakeRouteResult {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

/**
 * An extra HTTP endpoint of the fake server (e.g. the fake REST trade API): answers the
 * request, or returns `undefined` to let the next route try. Routes run in order, after the
 * built-in token endpoint. A promise that never settles leaves the request hanging (until
 * `close()`).
 *
 * ## Example
 * ```ts
 * const hello: FakeRoute = (req) =>
 *   req.url.pathname === '/hello' ? { status: 200, body: '{"hello":1}' } : undefined;
 * const server = await startFakeServer({ routes: [hello] });
 * ```
 */
export type FakeRoute = (
  req: FakeRequest,
) => FakeRouteResult | undefined | Promise<FakeRouteResult | undefined>;

/** A JSON answer. @internal */
export const json = (
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): FakeRouteResult => ({
  status,
  body: JSON.stringify(value),
  headers: { 'content-type': 'application/json', ...headers },
});

const MAX_BODY = 1 << 20;

/**
 * Reads a request body (at most 1 MiB) and builds the {@link FakeRequest}.
 * @internal
 */
export function readRequest(req: IncomingMessage, base: string): Promise<FakeRequest | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(
        size > MAX_BODY
          ? undefined
          : {
              method: req.method ?? 'GET',
              url: new URL(req.url ?? '/', base),
              headers: req.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            },
      ),
    );
    req.on('error', () => resolve(undefined));
  });
}

/**
 * Writes a route's answer (unless the client went away meanwhile).
 * @internal
 */
export function writeResult(res: ServerResponse, result: FakeRouteResult): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(result.status, { 'content-length': Buffer.byteLength(result.body), ...result.headers });
  res.end(result.body);
}

/**
 * Runs the routes in order; the first answer wins; none → 404.
 * @internal
 */
export async function route(routes: readonly FakeRoute[], req: FakeRequest): Promise<FakeRouteResult> {
  for (const r of routes) {
    const result = await r(req);
    if (result) return result;
  }
  return json(404, {
    success: 0,
    error: `Not found: ${req.method} ${req.url.pathname}`,
    error_code: 'not_found',
  });
}

/** A listening loopback HTTP server. @internal */
export interface HttpHost {
  readonly port: number;
  /** TCP sockets still open (HTTP keep-alive and upgraded ones). */
  tcpSockets(): number;
  /** Destroys every socket and stops listening. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1: every request goes to `handle` (a promise that never settles leaves it
 * hanging until `close()`), every upgrade to `upgrade` with a `refuse(status)` helper.
 * @internal
 */
export async function serveHttp(
  port: number,
  handle: (req: FakeRequest) => Promise<FakeRouteResult>,
  upgrade: (req: IncomingMessage, socket: Socket, head: Buffer, refuse: (status: string) => void) => void,
): Promise<HttpHost> {
  const tcp = new Set<Socket>();
  const server = createServer((req, res) => {
    void readRequest(req, `http://${req.headers.host ?? '127.0.0.1'}`)
      .then((request) => (request ? handle(request) : { status: 413, body: 'too large' }))
      .catch((e: unknown) => ({ status: 500, body: e instanceof Error ? e.message : 'route failed' }))
      .then((result) => writeResult(res, result));
  });
  server.on('connection', (socket: Socket) => {
    tcp.add(socket);
    socket.on('close', () => tcp.delete(socket));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
    upgrade(req, socket, head, (status) =>
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`),
    ),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    tcpSockets: () => tcp.size,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of tcp) socket.destroy();
      }),
  };
}
