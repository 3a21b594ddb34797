// What a managed connection emits: below both connection/ and orders/, so neither imports the other.

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
