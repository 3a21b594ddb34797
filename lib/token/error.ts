/**
 * Why a token request failed. Server codes (`invalid_tapi_key`, `invalid_credentials`,
 * `bad_sign`, or any other code the server sends, verbatim) are not retryable;
 * `http` (429 and 5xx retryable, other 4xx not), `network`, `timeout` and
 * `malformed_response` describe the transport; `insecure_transport` (never retryable) means
 * the URL was plain text to a host that is not loopback and nothing was sent (its `cause`
 * is an `InsecureTransportError`); `invalid_arguments` means an empty key or secret.
 */
export type TokenRequestErrorCode =
  | 'invalid_tapi_key'
  | 'invalid_credentials'
  | 'bad_sign'
  | 'http'
  | 'network'
  | 'timeout'
  | 'malformed_response'
  | 'insecure_transport'
  | 'invalid_arguments'
  | (string & {});

/** Extra facts a {@link TokenRequestError} may carry. */
export interface TokenRequestErrorDetails {
  /** The HTTP status, for `http` (and for server codes that came with one). */
  readonly status?: number;
  /** The underlying error (network failures); never holds the secret. */
  readonly cause?: unknown;
}

/**
 * The error of {@link requestToken}. `code` says what went wrong and `retryable`
 * whether asking again later may help. The message never contains the API secret
 * or a token.
 *
 * @example
 * ```ts
 * requestToken(credentials).subscribe({
 *   error: (e) => {
 *     if (e instanceof TokenRequestError && !e.retryable) console.error(e.code, e.message);
 *   },
 * });
 * ```
 */
export class TokenRequestError extends Error {
  override readonly name = 'TokenRequestError';
  /** The HTTP status, when the failure came with one. */
  readonly status: number | undefined;

  constructor(
    /** What went wrong (one of the `TokenRequestErrorCode` values). */
    readonly code: TokenRequestErrorCode,
    message: string,
    /** Whether a later attempt may succeed. */
    readonly retryable: boolean,
    details: TokenRequestErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
  }
}
