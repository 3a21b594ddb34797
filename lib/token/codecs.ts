import * as t from 'io-ts';

/**
 * The token and channel a private WebSocket connection needs.
 *
 * @example
 * ```ts
 * const token: PrivateToken = { connToken: 'eyJ...', channel: 'pws:#c12d...' };
 * ```
 */
export const PrivateToken = t.type({ connToken: t.string, channel: t.string }, 'PrivateToken');
/** The token and channel a private WebSocket connection needs. */
export type PrivateToken = t.TypeOf<typeof PrivateToken>;

/** `{"success":1,"return":{"connToken","channel"}}` @internal */
export const TokenSuccess = t.type({ success: t.literal(1), return: PrivateToken }, 'TokenSuccess');
/** @internal */
export type TokenSuccess = t.TypeOf<typeof TokenSuccess>;

/** `{"success":0,"error":"...","error_code":"..."}` @internal */
export const TokenFailure = t.type(
  { success: t.literal(0), error: t.string, error_code: t.string },
  'TokenFailure',
);
/** @internal */
export type TokenFailure = t.TypeOf<typeof TokenFailure>;

/** Either answer of the token endpoint. @internal */
export const TokenResponse = t.union([TokenSuccess, TokenFailure], 'TokenResponse');
/** @internal */
export type TokenResponse = t.TypeOf<typeof TokenResponse>;
