import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';

/**
 * An HTTP(S) proxy the library reaches the exchange through: its URL (`http://host:3128`,
 * `https://host:443`, credentials as `http://user:pass@host:3128`), or the URL with a
 * `noProxy` list in the `NO_PROXY` syntax (comma-separated hosts; `.example.com` or
 * `example.com` also covers its subdomains; `host:port`; `*` is every host). Every request and
 * the WebSocket go through a `CONNECT` tunnel, so TLS runs end to end between the library and
 * the exchange: the proxy sees host names, never the API key, a signature or a token. Proxy
 * credentials appear in no error message.
 *
 * ## Example
 * ```ts
 * const proxy: ProxyOption = { url: 'http://proxy.lan:3128', noProxy: 'localhost,127.0.0.1' };
 * ```
 */
export type ProxyOption = string | ProxyConfig;

/**
 * A proxy URL and the hosts reached without it; see {@link ProxyOption}.
 *
 * ## Example
 * ```ts
 * const config: ProxyConfig = { url: process.env.HTTPS_PROXY ?? '', noProxy: process.env.NO_PROXY ?? '' };
 * ```
 */
export interface ProxyConfig {
  readonly url: string;
  readonly noProxy?: string;
}

/**
 * `scheme://host:port` of a proxy URL, without credentials (for messages).
 * @internal
 */
export function proxyOrigin(proxy: URL): string {
  return `${proxy.protocol}//${proxy.host}`;
}

/**
 * The proxy to use for `target`, or `undefined` when there is none or `noProxy` covers the
 * target. Throws a `TypeError` (without the proxy's credentials) for a proxy URL that does
 * not parse or is not `http:`/`https:`.
 *
 * ```text
 * proxyFor('https://indodax.com/x', 'http://p:3128')                          → URL http://p:3128
 * proxyFor('https://indodax.com/x', { url: 'http://p:3128', noProxy: '.indodax.com' }) → undefined
 * ```
 * @internal
 */
export function proxyFor(target: string, proxy: ProxyOption | undefined): URL | undefined {
  if (proxy === undefined) return undefined;
  const config = typeof proxy === 'string' ? { url: proxy } : proxy;
  if (config.url === '') return undefined;
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw new TypeError('the proxy URL does not parse (expected http://host:port or https://host:port)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`the proxy URL must be http: or https:, not ${url.protocol}`);
  }
  return config.noProxy !== undefined && bypasses(new URL(target), config.noProxy) ? undefined : url;
}

function bypasses(target: URL, noProxy: string): boolean {
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || (target.protocol === 'https:' || target.protocol === 'wss:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .some((raw) => {
      if (raw === '*') return true;
      const [entryHost, entryPort] = splitHostPort(raw.toLowerCase());
      const name = entryHost.replace(/^\*?\./, '');
      if (entryPort !== undefined && entryPort !== port) return false;
      return host === name || host.endsWith(`.${name}`);
    });
}

/** `host:port`, `[v6]:port`, `v6` or `host` → [host, port?]. */
function splitHostPort(entry: string): [string, string | undefined] {
  const bracketed = /^\[(.+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return [bracketed[1] ?? '', bracketed[2]];
  const parts = entry.split(':');
  return parts.length === 2 ? [parts[0] ?? '', parts[1]] : [entry, undefined];
}

/** How long a proxy may take to answer a CONNECT. */
const CONNECT_TIMEOUT_MS = 30_000;

/** Why a tunnel through the proxy failed; its message names the proxy without credentials. */
class ProxyTunnelError extends Error {
  override readonly name = 'ProxyTunnelError';
}

/**
 * Opens a `CONNECT host:port` tunnel through `proxy`; resolves with the raw socket once the
 * proxy answers 200.
 */
function openTunnel(proxy: URL, host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
    const proxyHost = proxy.hostname.replace(/^\[|\]$/g, '');
    const socket: net.Socket =
      proxy.protocol === 'https:'
        ? tls.connect({ host: proxyHost, port: proxyPort, servername: net.isIP(proxyHost) ? '' : proxyHost })
        : net.connect({ host: proxyHost, port: proxyPort });
    const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
    const fail = (why: string) => {
      socket.destroy();
      reject(new ProxyTunnelError(`proxy ${proxyOrigin(proxy)}: ${why} (CONNECT ${authority})`));
    };
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > 16_384) fail('an endless answer');
        return;
      }
      socket.off('data', onData);
      socket.off('error', onError);
      socket.setTimeout(0);
      const status = /^HTTP\/1\.[01] (\d{3})([^\r\n]*)/.exec(head.subarray(0, end).toString('latin1'));
      if (status?.[1] !== '200') {
        fail(status ? `answered ${status[1]}${status[2] ?? ''}` : 'answered something that is not HTTP');
        return;
      }
      const rest = head.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    const onError = (error: Error) => fail(error.message);
    socket.on('data', onData);
    socket.on('error', onError);
    // A proxy that accepts the connection and never answers the CONNECT must not hold it forever
    // (the request's own timeout cannot reach a socket it has not been handed yet).
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => fail(`no answer to CONNECT within ${CONNECT_TIMEOUT_MS} ms`));
    socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
      if (proxy.username !== '' || proxy.password !== '') {
        const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
        lines.push(`Proxy-Authorization: Basic ${Buffer.from(user).toString('base64')}`);
      }
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
  });
}

/**
 * An `http.Agent` (for `http:`/`ws:` targets) or `https.Agent` (for `https:`/`wss:`) whose
 * every connection is a `CONNECT` tunnel through `proxy`; over an `https:` target, TLS (with
 * the target's name checked) runs inside the tunnel. Pass it as `agent` to `http.request` or
 * to `ws`.
 *
 * ## Example
 * ```ts
 * new WebSocket(wsUrl, { agent: tunnelAgent(new URL(wsUrl), new URL('http://proxy.lan:3128')) });
 * ```
 * @internal
 */
export function tunnelAgent(target: URL, proxy: URL): http.Agent {
  const secure = target.protocol === 'https:' || target.protocol === 'wss:';
  const agent = secure ? new https.Agent() : new http.Agent();
  agent.createConnection = (options, callback) => {
    const host = (options.hostname ?? options.host ?? target.hostname).replace(/^\[|\]$/g, '');
    const port = Number(options.port ?? target.port ?? (secure ? 443 : 80)) || (secure ? 443 : 80);
    openTunnel(proxy, host, port).then(
      (socket) => {
        if (!secure) {
          callback?.(null, socket);
          return;
        }
        const tlsOptions = options as tls.ConnectionOptions;
        const secured = tls.connect({
          ...tlsOptions,
          socket,
          host,
          servername: tlsOptions.servername ?? (net.isIP(host) ? '' : host),
        });
        callback?.(null, secured);
      },
      (error: unknown) => callback?.(error as Error, undefined as unknown as Duplex),
    );
    return undefined;
  };
  return agent;
}
