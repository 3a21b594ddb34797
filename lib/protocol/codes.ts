/**
 * Every Centrifugo (v5) reply error code and close code this client knows, and the
 * ONE classifier that decides what each means for a connection.
 *
 * Reply error codes are below 1000; close codes are WebSocket close codes (≥ 1000), so
 * one number space serves both.
 */

/** What a failure means for the connection. */
export type FailureAction =
  /** Temporary: back off, take a fresh token, reconnect and resubscribe. */
  | 'reconnect'
  /** The token expired: take a new token and retry at once. */
  | 'new-token'
  /** Retrying will not help: stop and surface the code and reason. */
  | 'terminal';

/** One line of the code table. */
export interface CodeInfo {
  readonly name: string;
  readonly action: FailureAction;
}

/** Reply errors (`{"error":{"code":N}}`) and close codes, one line per code. */
export const CODES: ReadonlyMap<number, CodeInfo> = new Map<number, CodeInfo>([
  // reply errors
  [100, { name: 'internal server error', action: 'reconnect' }],
  [101, { name: 'unauthorized', action: 'terminal' }],
  [102, { name: 'unknown channel', action: 'terminal' }],
  [103, { name: 'permission denied', action: 'terminal' }],
  [104, { name: 'method not found', action: 'terminal' }],
  [105, { name: 'already subscribed', action: 'terminal' }],
  [106, { name: 'limit exceeded', action: 'terminal' }],
  [107, { name: 'bad request', action: 'terminal' }],
  [108, { name: 'not available', action: 'terminal' }],
  [109, { name: 'token expired', action: 'new-token' }],
  [110, { name: 'expired', action: 'terminal' }],
  [111, { name: 'too many requests', action: 'reconnect' }],
  [112, { name: 'unrecoverable position', action: 'terminal' }],
  // transport closes below 3000
  [1000, { name: 'normal closure', action: 'reconnect' }],
  [1001, { name: 'going away', action: 'reconnect' }],
  [1006, { name: 'abnormal closure', action: 'reconnect' }],
  [1009, { name: 'message too big', action: 'terminal' }],
  [1011, { name: 'server error', action: 'reconnect' }],
  // Centrifugo disconnects that ask for a reconnect (3000–3499)
  [3000, { name: 'connection closed', action: 'reconnect' }],
  [3001, { name: 'shutdown', action: 'reconnect' }],
  [3004, { name: 'internal server error', action: 'reconnect' }],
  [3005, { name: 'expired', action: 'reconnect' }],
  [3006, { name: 'subscription expired', action: 'reconnect' }],
  [3008, { name: 'slow', action: 'reconnect' }],
  [3009, { name: 'write error', action: 'reconnect' }],
  [3010, { name: 'insufficient state', action: 'reconnect' }],
  [3011, { name: 'force reconnect', action: 'reconnect' }],
  [3012, { name: 'no pong', action: 'reconnect' }],
  [3013, { name: 'too many requests', action: 'reconnect' }],
  // Centrifugo disconnects that forbid a reconnect (3500–3999)
  [3500, { name: 'invalid token', action: 'terminal' }],
  [3501, { name: 'bad request', action: 'terminal' }],
  [3502, { name: 'stale', action: 'terminal' }],
  [3503, { name: 'force nothing', action: 'terminal' }],
  [3504, { name: 'connection limit', action: 'terminal' }],
  [3505, { name: 'channel limit', action: 'terminal' }],
  [3506, { name: 'inappropriate protocol', action: 'terminal' }],
  [3507, { name: 'permission denied', action: 'terminal' }],
  [3508, { name: 'not available', action: 'terminal' }],
  [3509, { name: 'too many errors', action: 'terminal' }],
]);

/**
 * The one classifier: what a reply error code or close code means.
 *
 * - reply errors: 109 → `new-token`; 100, 111 (or any error the server marks
 *   `temporary`) → `reconnect`; every other code → `terminal`
 * - close codes: 3000–3499, 4000–4499, ≥ 5000 and transport closes below 3000 (except
 *   1009) → `reconnect`; 3500–3999 and 4500–4999 → `terminal`
 *
 * @example
 * ```ts
 * classify(109); // 'new-token'
 * classify(3005); // 'reconnect'
 * classify(3501); // 'terminal'
 * ```
 */
export function classify(code: number, temporary = false): FailureAction {
  const known = CODES.get(code);
  if (code < 1000) {
    if (known) return known.action === 'terminal' && temporary ? 'reconnect' : known.action;
    return temporary ? 'reconnect' : 'terminal';
  }
  if (known) return known.action;
  if (code < 3000) return 'reconnect';
  if (code < 3500) return 'reconnect';
  if (code < 4000) return 'terminal';
  if (code < 4500) return 'reconnect';
  if (code < 5000) return 'terminal';
  return 'reconnect';
}

/** The table's name of a code, or `code N`. */
export function codeName(code: number): string {
  return CODES.get(code)?.name ?? `code ${code}`;
}
