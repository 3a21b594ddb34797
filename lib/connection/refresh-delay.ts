/** How early a token is refreshed. @internal */
export interface RefreshTiming {
  /** Refresh when this share of the ttl has passed (0..1). */
  readonly share: number;
  /** Extra lead before the earliest possible expiry, for the network (≥ 0). */
  readonly marginMs: number;
}

/**
 * The second a whole-seconds `ttl` may already have lost (`exp − floor(now)`).
 *
 * ## Example
 * ```ts
 * const earliestExpiry = receivedAt + ttl * 1000 - TRUNCATION_MS;
 * ```
 * @internal
 */
export const TRUNCATION_MS = 1000;

/**
 * When to send `refresh` after a `connect`/`refresh` reply with `ttl`, in ms: the earlier of
 * `share × ttl` and the last moment that still reaches the server before `exp`:
 * `ttl − 1 s (truncation) − marginMs − tokenMs`, where `tokenMs` is how long the last token
 * request took. A ttl with a fractional part (only fakes send one) has lost nothing to
 * truncation. When the ttl is too short for the margin, the refresh goes at a quarter of
 * the ttl: as soon as it can without refreshing in a tight loop.
 *
 * ```text
 * ttl 2 s, token 0 ms, margin 500 ms:    min(1700, 2000 − 1000 − 500)       =      500 ms
 * ttl 60 s:                              min(51 000, 58 500)                =   51 000 ms
 * ttl 86 133 s:                          min(73 213 050, 86 131 500)        = 73 213 050 ms
 * ```
 *
 * ## Example
 * ```ts
 * refreshDelayMs(60, 120, { share: 0.85, marginMs: 500 }); // 51000
 * ```
 * @internal
 */
export function refreshDelayMs(ttlSeconds: number, tokenMs: number, timing: RefreshTiming): number {
  const ttlMs = Math.max(0, ttlSeconds * 1000);
  const lostMs = Number.isInteger(ttlSeconds) ? TRUNCATION_MS : 0;
  const latest = ttlMs - lostMs - Math.max(0, timing.marginMs) - Math.max(0, tokenMs);
  const byShare = ttlMs * Math.min(1, Math.max(0, timing.share));
  return Math.floor(Math.min(byShare, Math.max(latest, ttlMs / 4)));
}
