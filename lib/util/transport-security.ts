/**
 * Why a request or a socket was refused before anything was sent: its URL is plain text
 * (`http:` or `ws:`) and its host is not loopback, so the API key, the `Sign` or the
 * token would cross the network readable by anyone on the way.
 *
 * Surfaces wrap it: `requestToken` fails with `TokenRequestError` code `insecure_transport`,
 * `createTradeApi` with `TradeApiError` code `insecure_transport`, `privateChannel` with
 * `ChannelError` kind `insecure_transport`; each keeps this error as its `cause`. None of
 * them is retried.
 *
 * ## Example
 * ```ts
 * requestToken(credentials, { restBaseUrl: 'http://proxy.lan' }).subscribe({
 *   error: (e) => e.cause instanceof InsecureTransportError && console.error(e.cause.origin),
 * });
 * ```
 */
export class InsecureTransportError extends Error {
  override readonly name = 'InsecureTransportError';
  constructor(
    /** `scheme://host[:port]` of the refused URL (no path, no query). */
    readonly origin: string,
    /** What was about to be sent: `token request`, `WebSocket`, `tapi:getInfo`, … */
    readonly what: string,
  ) {
    super(
      `refused to send the ${what} to ${origin}: credentials never travel in plain text to a host that ` +
        `is not loopback; use https:/wss:, or set allowInsecureTransport: true only behind a ` +
        `TLS-terminating proxy on a private network`,
    );
  }
}

const IPV4_LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/**
 * Whether a URL host is loopback: `localhost`, 127.0.0.0/8 or `::1` (as `URL.hostname`
 * spells them: lower case, IPv6 in brackets, IPv4 already normalised).
 *
 * ## Example
 * ```ts
 * isLoopbackHost(new URL('http://127.0.0.1:8080').hostname); // true
 * isLoopbackHost('indodax.com'); // false
 * ```
 * @internal
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host === '[::1]' || host === '::1' || IPV4_LOOPBACK.test(host);
}

/**
 * The refusal for a plain-text URL to a host that is not loopback, or `undefined` when the
 * URL may be used (`https:`/`wss:`, loopback, `allowInsecure`, or a URL that does not parse:
 * that one fails on its own without sending anything).
 *
 * ```text
 * https://indodax.com        → undefined
 * ws://127.0.0.1:9000/ws     → undefined
 * http://indodax.com         → InsecureTransportError
 * ```
 *
 * ## Example
 * ```ts
 * const refusal = insecureTransport('http://proxy.lan/tapi', 'tapi:getInfo', false);
 * if (refusal) throw refusal;
 * ```
 * @internal
 */
export function insecureTransport(
  url: string,
  what: string,
  allowInsecure: boolean,
): InsecureTransportError | undefined {
  if (allowInsecure) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'ws:') return undefined;
  if (isLoopbackHost(parsed.hostname)) return undefined;
  return new InsecureTransportError(`${parsed.protocol}//${parsed.host}`, what);
}
