/**
 * Where a managed connection stands. One is emitted for every change:
 *
 * - `connecting`: a socket is being opened (`attempt` counts from 1 since the last subscribe)
 * - `connected`: the server accepted `connect` (`ttl`: seconds until the token must be refreshed)
 * - `subscribed`: the private channel is live; publications flow from here on
 * - `refreshed`: the token was refreshed in place (`ttl` of the new one)
 * - `disconnected`: the link is gone; `retryInMs` says when the next attempt starts
 *
 * @example
 * ```ts
 * const isLive = (s: ConnectionStatus) => s.state === 'subscribed';
 * ```
 */
export type ConnectionStatus =
  | { readonly state: 'connecting'; readonly attempt: number }
  | { readonly state: 'connected'; readonly client: string; readonly ttl?: number }
  | { readonly state: 'subscribed'; readonly channel: string }
  | { readonly state: 'refreshed'; readonly ttl?: number }
  | {
      readonly state: 'disconnected';
      readonly code?: number;
      readonly reason: string;
      readonly retryInMs?: number;
    };

/** A status change of the connection. */
export interface StatusMessage {
  readonly type: 'status';
  readonly status: ConnectionStatus;
}

/** A publication on the private channel, with the raw `pub.data` (decode it with `orderUpdates()`). */
export interface PublicationMessage {
  readonly type: 'publication';
  readonly channel: string;
  readonly data: unknown;
}

/**
 * What {@link privateChannel} emits: status changes and publications, in the order
 * they happened.
 *
 * @example
 * ```ts
 * channel$.pipe(filter((m): m is PublicationMessage => m.type === 'publication'));
 * ```
 */
export type ChannelMessage = StatusMessage | PublicationMessage;

/**
 * Why a channel stopped for good.
 *
 * - `token`: the token request failed and will not succeed by retrying (bad key or sign)
 * - `permission`: the server refused the subscription (103) or the token
 * - `server`: a terminal reply error or close code from the server
 * - `protocol`: the server broke the protocol in a way that cannot be recovered from
 * - `exhausted`: `reconnect.maxAttempts` ran out
 */
export type ChannelErrorKind = 'token' | 'permission' | 'server' | 'protocol' | 'exhausted';

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
