import * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { signRequestBody } from '../auth/sign';
import type { Credentials } from '../auth/credentials';
import { joinUrl } from '../util/fetch';
import { LegacyFailure } from './codecs-legacy';
import { TradeApiError, clockSkewError } from './error';
import type { TokenBucket } from './limiter';
import type { CallSpec } from './request';

/** The legacy TAPI path under `restBaseUrl`. */
export const TAPI_PATH = '/tapi';

/** Where and how a legacy call goes. @internal */
export interface LegacyTarget {
  readonly restBaseUrl: string;
  readonly credentials: Credentials;
  readonly recvWindowMs: number;
  readonly bucket: TokenBucket;
}

const CLOCK_WORDS = /timestamp|recv_?window|server ?time|time ?window/i;

/**
 * Builds the form body `method=...&timestamp=...&recvWindow=...&<params>`.
 *
 * ## Example
 * ```ts
 * legacyBody('getOrder', { pair: 'btc_idr', order_id: '1' }, 1578304294000, 5000);
 * // 'method=getOrder&timestamp=1578304294000&recvWindow=5000&pair=btc_idr&order_id=1'
 * ```
 * @internal
 */
export function legacyBody(
  method: string,
  params: Readonly<Record<string, string>>,
  timestampMs: number,
  recvWindowMs: number,
): string {
  const pairs: [string, string][] = [
    ['method', method],
    ['timestamp', String(timestampMs)],
    ['recvWindow', String(recvWindowMs)],
    ...Object.entries(params),
  ];
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

/**
 * Classifies a legacy answer: `{success:0}` bodies (HTTP 200 or 429) become a
 * {@link TradeApiError} with the server's `error_code` verbatim, `too_many_requests` (or HTTP
 * 429) becomes `rate_limited`, and a message about the timestamp becomes `clock_skew`
 * (the legacy code for it is undocumented).
 * @internal
 */
export function classifyLegacy(
  endpoint: string,
  status: number,
  body: unknown,
  clockCorrected: boolean,
): TradeApiError | undefined {
  if (!LegacyFailure.is(body)) return undefined;
  const serverCode = body.error_code ?? 'tapi_error';
  const said = `${body.error}${body.message && body.message !== body.error ? ` / ${body.message}` : ''}`;
  if (status === 429 || serverCode === 'too_many_requests') {
    return new TradeApiError(
      'rate_limited',
      `${endpoint} was rate limited: ${said} (${serverCode})`,
      true,
      endpoint,
      {
        status,
        serverCode,
      },
    );
  }
  if (CLOCK_WORDS.test(serverCode) || CLOCK_WORDS.test(said)) {
    return clockSkewError(endpoint, `${said}, ${serverCode}`, clockCorrected, status, serverCode);
  }
  return new TradeApiError(
    serverCode,
    `${endpoint} refused: ${said} (${serverCode})`,
    status >= 500,
    endpoint,
    {
      status,
    },
  );
}

/**
 * A signed legacy call: `POST {restBaseUrl}/tapi` with headers `Key` and `Sign`
 * (hex HMAC-SHA512 of the body), decoded as `{success:1, return: codec}`.
 * @internal
 */
export function legacyCall<A>(
  method: string,
  params: Readonly<Record<string, string>>,
  codec: t.Type<A, unknown, unknown>,
  target: LegacyTarget,
): CallSpec<A> {
  const endpoint = `tapi:${method}`;
  const envelope = t.type({ success: t.union([t.literal(1), t.literal('1')]), return: codec });
  return {
    endpoint,
    bucket: target.bucket,
    prepare: (timestampMs) => {
      const body = legacyBody(method, params, timestampMs, target.recvWindowMs);
      return {
        url: joinUrl(target.restBaseUrl, TAPI_PATH),
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Key: target.credentials.apiKey,
          Sign: signRequestBody(body, target.credentials.apiSecret),
        },
        body,
      };
    },
    classify: (status, body, corrected) => classifyLegacy(endpoint, status, body, corrected),
    decode: (body) => E.map((ok: { return: A }) => ok.return)(envelope.decode(body)),
  };
}
