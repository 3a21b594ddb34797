export type {
  ChannelMessage,
  ConnectionStatus,
  PublicationMessage,
  StatusMessage,
} from '../protocol/messages';

/**
 * Why a channel stopped for good.
 *
 * - `token`: the token request failed and will not succeed by retrying (bad key or sign)
 * - `permission`: the server refused the subscription (103) or the token
 * - `server`: a terminal reply error or close code from the server
 * - `protocol`: the server broke the protocol in a way that cannot be recovered from
 * - `exhausted`: `reconnect.maxAttempts` ran out
 * - `insecure_transport`: a `ws:`/`http:` URL to a host that is not loopback; nothing was sent
 *   (see `allowInsecureTransport`)
 */
export type ChannelErrorKind =
  'token' | 'permission' | 'server' | 'protocol' | 'exhausted' | 'insecure_transport';

/**
 * The only error {@link privateChannel} ever raises: a failure that retrying will not mend.
 * `code` is the server's reply or close code when there was one.
 *
 * @example
 * ```ts
 * channel$.subscribe({ error: (e: ChannelError) => console.error(e.kind, e.code, e.reason) });
 * ```
 */
export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  constructor(
    /** Which kind of terminal failure this is. */
    readonly kind: ChannelErrorKind,
    /** The server's reply error code or close code, when there was one. */
    readonly code: number | undefined,
    /** What the server or the client said (never a secret or a token). */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${kind}${code === undefined ? '' : ` ${code}`}: ${reason}`, options);
  }
}
