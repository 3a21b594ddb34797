/**
 * A TAPI key and its secret. The secret only ever signs requests; it is never
 * sent, logged, or put into an error message.
 *
 * @example
 * ```ts
 * const credentials: Credentials = {
 *   apiKey: process.env.INDODAX_API_KEY ?? '',
 *   apiSecret: process.env.INDODAX_API_SECRET ?? '',
 * };
 * ```
 */
export interface Credentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}
