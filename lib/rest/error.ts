/**
 * What went wrong in a {@link TradeApiError}. Transport problems have fixed names;
 * anything the server said is its own code, verbatim, as a string (`invalid_credentials`,
 * `bad_sign`, `1112`, `-2013`, …).
 *
 * - `http`: an HTTP status without a body we could read (5xx retryable, 4xx not)
 * - `network`: the request never got an answer (retryable)
 * - `timeout`: no answer within `timeoutMs` (retryable)
 * - `malformed_response`: the body is not JSON or not the documented shape
 * - `rate_limited`: HTTP 429 or a documented "too many requests" code (retryable)
 * - `clock_skew`: the server rejected our timestamp (see `docs/rest.md`)
 * - `invalid_arguments`: refused before any request (empty key, bad parameters)
 * - `insecure_transport`: an `http:` URL to a host that is not loopback; nothing was sent,
 *   never retried (its `cause` is an `InsecureTransportError`; see `allowInsecureTransport`)
 */
export type TradeApiErrorCode =
  | 'http'
  | 'network'
  | 'timeout'
  | 'malformed_response'
  | 'rate_limited'
  | 'clock_skew'
  | 'invalid_arguments'
  | 'insecure_transport'
  | (string & {});

/** Extra facts a {@link TradeApiError} may carry. */
export interface TradeApiErrorDetails {
  /** The HTTP status, when the failure came with one. */
  readonly status?: number;
  /** The server's own code (`too_many_requests`, `1002`, `-1021`, …) when it differs from `code`. */
  readonly serverCode?: string;
  /** The underlying error (network failures); never holds the secret. */
  readonly cause?: unknown;
  /** The wait the server asked for (`Retry-After`), in ms. */
  readonly retryAfterMs?: number;
}

/**
 * The error of every {@link createTradeApi} method. `code` says what went wrong,
 * `retryable` whether asking again later may help, `endpoint` which call failed
 * (`tapi:openOrders`, `v2:order/histories`, …). The message never contains the secret.
 *
 * ## Example
 * ```ts
 * api.openOrders().subscribe({
 *   error: (e) => {
 *     if (e instanceof TradeApiError && e.code === 'clock_skew') console.error('fix the clock');
 *   },
 * });
 * ```
 */
export class TradeApiError extends Error {
  override readonly name = 'TradeApiError';
  /** The HTTP status, when the failure came with one. */
  readonly status: number | undefined;
  /** The server's own code, when it differs from `code` (e.g. `1002` for `clock_skew`). */
  readonly serverCode: string | undefined;
  /** The wait the server asked for with `Retry-After`, in ms; retries wait at least this long. */
  readonly retryAfterMs: number | undefined;

  constructor(
    /** What went wrong (one of the `TradeApiErrorCode` values). */
    readonly code: TradeApiErrorCode,
    message: string,
    /** Whether a later attempt may succeed. */
    readonly retryable: boolean,
    /** Which call failed, e.g. `tapi:getOrder` or `v2:myTrades`. */
    readonly endpoint: string,
    details: TradeApiErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.serverCode = details.serverCode;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/**
 * The error of a request the exchange refused for its timestamp. Retryable when the
 * clock offset was just corrected from the `Date` header (the retry carries a corrected
 * timestamp); otherwise the message tells the user to check the system clock.
 * @internal
 */
export function clockSkewError(
  endpoint: string,
  said: string,
  clockCorrected: boolean,
  status: number,
  serverCode: string,
): TradeApiError {
  return new TradeApiError(
    'clock_skew',
    `${endpoint}: the exchange rejected the request timestamp (${said}); ` +
      (clockCorrected
        ? 'the clock offset was corrected from the Date header, retrying'
        : 'check the system clock'),
    clockCorrected,
    endpoint,
    { status, serverCode },
  );
}
