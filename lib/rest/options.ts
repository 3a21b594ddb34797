import type { SchedulerLike } from 'rxjs';
import type { Credentials } from '../auth/credentials';
import type { Environment } from '../environments';
import type { ProxyOption } from '../util/proxy';
import type { RateLimit } from './limiter';
import type { RestFetchLike, RetryOptions } from './request';
import type { V2Flavor } from './v2-call';

/**
 * The production host of the "api" flavor of the Trade API v2.
 *
 * ## Example
 * ```ts
 * createTradeApi(credentials, { v2Flavor: 'api', apiV2BaseUrl: API_V2_BASE_URL, v2Credentials });
 * ```
 */
export const API_V2_BASE_URL = 'https://api.indodax.com';

/**
 * Client-side request budgets, one token bucket per surface (per endpoint for `api`).
 *
 * ## Example
 * ```ts
 * const rateLimits: TradeApiRateLimits = { legacy: { perSecond: 1, burst: 3 } };
 * ```
 */
export interface TradeApiRateLimits {
  /** Legacy `/tapi` reads (default 2/s: no limit is documented for reads). */
  readonly legacy?: RateLimit;
  /** The "tapi" flavor of v2 (default 2/s: none documented). */
  readonly tapi?: RateLimit;
  /** The "api" flavor, per endpoint (default 5/s, burst 5: the documented 300/min). */
  readonly api?: RateLimit;
}

/**
 * Options of {@link createTradeApi}.
 *
 * ## Example
 * ```ts
 * const options: TradeApiOptions = {
 *   v2Flavor: 'api',
 *   v2Credentials: { apiKey: v2Key, apiSecret: v2Secret },
 *   retry: { maxAttempts: 3 },
 *   rateLimits: { legacy: { perSecond: 1 } },
 * };
 * ```
 */
export interface TradeApiOptions {
  /** Which exchange (default `environments.production`): `restBaseUrl` and `tapiV2BaseUrl`. */
  readonly environment?: Environment;
  /** Overrides `environment.restBaseUrl` (the legacy `/tapi` host). */
  readonly restBaseUrl?: string;
  /** Overrides `environment.tapiV2BaseUrl` (the "tapi" flavor host). */
  readonly tapiV2BaseUrl?: string;
  /** The "api" flavor host (default `https://api.indodax.com`). */
  readonly apiV2BaseUrl?: string;
  /** Which v2 to use for `orderHistories` / `myTrades` (default `tapi`). */
  readonly v2Flavor?: V2Flavor;
  /** The dedicated TAPIv2 key of the "api" flavor (required with `v2Flavor: 'api'`). */
  readonly v2Credentials?: Credentials;
  /** Give up on one attempt after this long (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** The `recvWindow` sent with every call (default 5000 ms, the exchange's default). */
  readonly recvWindowMs?: number;
  /** Retries of 429, 5xx, network errors and timeouts (default 4 attempts, 500 ms … 10 s). */
  readonly retry?: Partial<RetryOptions>;
  /** Client-side rate limits. */
  readonly rateLimits?: TradeApiRateLimits;
  /** The `fetch` to use (default: the global one). */
  readonly fetch?: RestFetchLike;
  /**
   * Send every call through this HTTP(S) proxy (a `CONNECT` tunnel; TLS stays end to end):
   * `http://proxy.lan:3128`, or `{ url, noProxy }`. Ignored when `fetch` is given.
   */
  readonly proxy?: ProxyOption;
  /** Runs timeouts, backoff, rate limits and reads the time (default `asyncScheduler`). */
  readonly scheduler?: SchedulerLike;
  /** A source of numbers in [0, 1) for the backoff jitter (default `Math.random`). */
  readonly random?: () => number;
  /**
   * Send signed calls over `http:` to hosts that are not loopback (default `false`: every call
   * fails with `TradeApiError` code `insecure_transport` before anything is sent). Only for a
   * TLS-terminating proxy on a private network.
   */
  readonly allowInsecureTransport?: boolean;
}
