import * as http from 'node:http';
import * as https from 'node:https';
import type { FetchInitLike, FetchLike, FetchResponseLike } from './fetch';
import { globalFetch } from './fetch';
import { proxyFor, tunnelAgent, type ProxyOption } from './proxy';

/**
 * A response of {@link proxyFetch}: status, body and headers.
 *
 * ## Example
 * ```ts
 * const date = (await proxyFetch(proxy)(url, init)).headers?.get('date');
 * ```
 */
export interface ProxyFetchResponse extends FetchResponseLike {
  readonly headers: { get(name: string): string | null };
}

/**
 * A `fetch` that sends each request through a `CONNECT` tunnel of `proxy` (see
 * {@link ProxyOption}), over `node:http`/`node:https` (Node's global `fetch` takes no proxy
 * without the `undici` package, which this library does not depend on). A target that
 * `noProxy` covers goes to `direct` (default: the global `fetch`). One tunnel per request:
 * nothing stays open between calls.
 *
 * ## Example
 * ```ts
 * const api = createTradeApi(credentials, { fetch: proxyFetch('http://proxy.lan:3128') });
 * ```
 * @internal
 */
export function proxyFetch(
  proxy: ProxyOption,
  direct: FetchLike = globalFetch,
): (url: string, init: FetchInitLike) => Promise<ProxyFetchResponse | FetchResponseLike> {
  return (url, init) => {
    let via: URL | undefined;
    try {
      via = proxyFor(url, proxy);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new TypeError(String(error)));
    }
    if (via === undefined) return direct(url, init);
    const target = new URL(url);
    const request = target.protocol === 'https:' ? https.request : http.request;
    return new Promise<ProxyFetchResponse>((resolve, reject) => {
      const req = request(
        target,
        {
          method: init.method,
          headers: {
            ...init.headers,
            ...(init.body !== undefined ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}),
          },
          agent: tunnelAgent(target, via),
          signal: init.signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            const body = Buffer.concat(chunks).toString('utf8');
            resolve({
              status,
              ok: status >= 200 && status < 300,
              text: () => Promise.resolve(body),
              headers: {
                get: (name) => {
                  const value = res.headers[name.toLowerCase()];
                  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
                },
              },
            });
          });
        },
      );
      req.on('error', reject);
      req.end(init.body);
    });
  };
}
