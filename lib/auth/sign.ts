import { createHmac } from 'node:crypto';

/**
 * Signs a request body the way the Indodax private APIs expect: the hex HMAC-SHA512
 * of the exact body bytes (UTF-8), keyed with the API secret.
 *
 * @example
 * ```ts
 * const sign = signRequestBody('client=tapi&tapi_key=KEY', secret);
 * // headers: { Sign: sign }
 * ```
 * @param body - the form body exactly as it is sent (e.g. `client=tapi&tapi_key=KEY`)
 * @param secret - the TAPI secret; it never leaves this function
 * @returns 128 lowercase hex characters
 */
export function signRequestBody(body: string, secret: string): string {
  return createHmac('sha512', Buffer.from(secret, 'utf8')).update(body, 'utf8').digest('hex');
}

/**
 * Hex HMAC-SHA256 of a payload: the signature of the Trade API v2 "api" flavor.
 * @internal
 */
export function signSha256(payload: string, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(payload, 'utf8').digest('hex');
}
