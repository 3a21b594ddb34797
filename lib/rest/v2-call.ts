import type * as t from 'io-ts';
import { signRequestBody, signSha256 } from '../auth/sign';
import type { Credentials } from '../auth/credentials';
import { joinUrl } from '../util/fetch';
import { V2ApiFailure, V2TapiFailure } from './codecs-v2';
import { TradeApiError, clockSkewError } from './error';
import type { TokenBucket } from './limiter';
import type { CallSpec } from './request';

/**
 * Which Trade API v2 to call: `tapi` (`tapi.indodax.com`, HMAC-SHA512, the TAPI key) or
 * `api` (`api.indodax.com`, HMAC-SHA256, a dedicated TAPIv2 key).
 *
 * ## Example
 * ```ts
 * const flavor: V2Flavor = 'api';
 * ```
 */
export type V2Flavor = 'tapi' | 'api';

/** Where and how a v2 call goes. @internal */
export interface V2Target {
  readonly flavor: V2Flavor;
  readonly baseUrl: string;
  readonly credentials: Credentials;
  readonly recvWindowMs: number;
  readonly bucket: TokenBucket;
}

const CLOCK_CODES = new Set([1002, -1021]);
const INTERNAL_CODES = new Set([1000, -1001]);
const RATE_CODES = new Set([-1003]);

/**
 * Builds the signed query string: the parameters (undefined ones left out), then
 * `timestamp` and `recvWindow`.
 *
 * ## Example
 * ```ts
 * v2Query({ symbol: 'btcidr', limit: 10 }, 1578304294000, 5000);
 * // 'symbol=btcidr&limit=10&timestamp=1578304294000&recvWindow=5000'
 * ```
 * @internal
 */
export function v2Query(
  params: Readonly<Record<string, string | number | undefined>>,
  timestampMs: number,
  recvWindowMs: number,
): string {
  const pairs = Object.entries(params).filter((kv): kv is [string, string | number] => kv[1] !== undefined);
  pairs.push(['timestamp', timestampMs], ['recvWindow', recvWindowMs]);
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

/**
 * Classifies a v2 answer: `{code, error}` ("tapi" flavor) or `{code, msg}` ("api" flavor)
 * become a {@link TradeApiError} whose code is the server's, as a string; 1002 / -1021 are
 * `clock_skew`, 1000 / -1001 (internal) retryable, -1003 or HTTP 429 `rate_limited`.
 * @internal
 */
export function classifyV2(
  endpoint: string,
  status: number,
  body: unknown,
  clockCorrected: boolean,
): TradeApiError | undefined {
  const said = V2TapiFailure.is(body) ? body.error : V2ApiFailure.is(body) ? body.msg : undefined;
  if (said === undefined || typeof body !== 'object' || body === null) return undefined;
  const code = (body as { code: number }).code;
  const serverCode = String(code);
  if (status === 429 || RATE_CODES.has(code)) {
    return new TradeApiError(
      'rate_limited',
      `${endpoint} was rate limited: ${said} (${code})`,
      true,
      endpoint,
      {
        status,
        serverCode,
      },
    );
  }
  if (CLOCK_CODES.has(code)) {
    return clockSkewError(endpoint, `${said}, ${code}`, clockCorrected, status, serverCode);
  }
  return new TradeApiError(
    serverCode,
    `${endpoint} refused: ${said} (${code}${status === 200 ? '' : `, HTTP ${status}`})`,
    INTERNAL_CODES.has(code) || status >= 500,
    endpoint,
    { status },
  );
}

/**
 * A signed v2 GET: `{base}{path}?{query}` with `X-APIKEY` and `Sign` (hex HMAC-SHA512 of the
 * query for `tapi`, HMAC-SHA256 of query + empty body for `api`).
 * @internal
 */
export function v2Call<A>(
  path: string,
  params: Readonly<Record<string, string | number | undefined>>,
  codec: t.Type<A, unknown, unknown>,
  target: V2Target,
): CallSpec<A> {
  const endpoint = `v2:${path.replace(/^\/?api\/v2\//, '')}`;
  return {
    endpoint,
    bucket: target.bucket,
    prepare: (timestampMs) => {
      const query = v2Query(params, timestampMs, target.recvWindowMs);
      const { apiKey, apiSecret } = target.credentials;
      const sign =
        target.flavor === 'tapi' ? signRequestBody(query, apiSecret) : signSha256(query, apiSecret);
      return {
        url: `${joinUrl(target.baseUrl, path)}?${query}`,
        method: 'GET',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'X-APIKEY': apiKey,
          Sign: sign,
        },
      };
    },
    classify: (status, body, corrected) => classifyV2(endpoint, status, body, corrected),
    decode: (body) => codec.decode(body),
  };
}
