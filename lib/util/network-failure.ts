/** Plain words for the error codes a failed `fetch` reports in its `cause`. */
const MEANINGS: Readonly<Record<string, string>> = {
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the DNS lookup failed for now',
  ECONNREFUSED: 'nothing listens there',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection broke',
  CERT_HAS_EXPIRED: "TLS: the server's certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS: the server's certificate is self-signed",
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: a self-signed certificate is in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS: the server's certificate cannot be verified",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "TLS: the certificate's issuer is unknown here",
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the certificate does not name this host',
};

interface ErrorFacts {
  readonly code?: unknown;
  readonly hostname?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
  readonly message?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

const facts = (value: unknown): ErrorFacts | undefined =>
  typeof value === 'object' && value !== null ? value : undefined;

/** The innermost error of a `cause` chain that carries a `code` (undici's fetch failure keeps it there). */
function withCode(error: unknown): ErrorFacts | undefined {
  for (let e = facts(error), depth = 0; e && depth < 5; e = facts(e.cause), depth += 1) {
    if (typeof e.code === 'string') return e;
    // Happy eyeballs: an AggregateError of one failure per address.
    if (Array.isArray(e.errors)) {
      const first = e.errors.map(facts).find((x) => typeof x?.code === 'string');
      if (first) return first;
    }
  }
  return undefined;
}

/**
 * Says why a request never got an answer, with the host and the cause a user can act on,
 * instead of undici's bare `fetch failed`.
 *
 * ```text
 * TypeError('fetch failed', { cause: { code: 'ENOTFOUND', hostname: 'indodax.com' } })
 *   → 'ENOTFOUND indodax.com (the host name does not resolve)'
 * TypeError('fetch failed', { cause: { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 } })
 *   → 'ECONNREFUSED 127.0.0.1:9 (nothing listens there)'
 * ```
 *
 * ## Example
 * ```ts
 * fetch(url, init).catch((e) => { throw new Error(`cannot reach it: ${describeNetworkFailure(e, url)}`); });
 * ```
 *
 * @param error - what `fetch` rejected with
 * @param url - the URL asked (names the host when the error does not)
 * @internal
 */
export function describeNetworkFailure(error: unknown, url: string): string {
  const coded = withCode(error);
  if (!coded) {
    const message = facts(error)?.message;
    return typeof message === 'string' && message !== '' ? message : String(error);
  }
  const code = String(coded.code);
  const where =
    typeof coded.address === 'string'
      ? `${coded.address}${typeof coded.port === 'number' ? `:${coded.port}` : ''}`
      : typeof coded.hostname === 'string'
        ? coded.hostname
        : hostOf(url);
  const meaning = MEANINGS[code];
  return `${code} ${where}${meaning ? ` (${meaning})` : ''}`;
}

/**
 * `host[:port]` of a URL, or the text itself when it does not parse.
 *
 * ## Example
 * ```ts
 * hostOf('https://indodax.com/api'); // 'indodax.com'
 * ```
 * @internal
 */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
