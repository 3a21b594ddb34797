import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** An HTTP request as the fake server hands it to a {@link FakeRoute}. */
export interface FakeRequest {
  readonly method: string;
  /** The full URL (`http://127.0.0.1:PORT/path?query`). */
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  /** The raw body, UTF-8. */
  readonly body: string;
}

/** A route's answer. */
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
