import { createHmac, timingSafeEqual } from 'node:crypto';

/** The claims the fake server puts into a connection token. @internal */
export interface FakeTokenClaims {
  /** The account's user id (a hex string); the channel is `pws:#<sub>`. */
  readonly sub: string;
  /** Expiry in seconds since the epoch (fractional only when the ttl option is fractional). */
  readonly exp: number;
  /** Issued-at in seconds. */
  readonly iat: number;
  /** The fake's own serial number of the token (lets `expireTokensNow()` expire every older token). */
  readonly seq: number;
}

/** What {@link verifyFakeJwt} concluded. @internal */
export type FakeJwtVerdict =
  | { readonly ok: true; readonly claims: FakeTokenClaims }
  | { readonly ok: false; readonly reason: 'invalid' | 'expired' };

const b64url = (buf: Buffer): string => buf.toString('base64url');
const HEADER = b64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' }), 'utf8'));

const mac = (input: string, secret: Buffer): Buffer =>
  createHmac('sha256', secret).update(input, 'utf8').digest();

/**
 * Encodes an HS256 JWT (header `{"alg":"HS256","typ":"JWT"}`) with the fake server's secret.
 *
 * @internal
 * ## Example
 * ```ts
 * const token = signFakeJwt({ sub: 'c12d3ca0', exp: 1705718612, iat: 1705632212, seq: 1 }, secret);
 * ```
 */
export function signFakeJwt(claims: FakeTokenClaims, secret: Buffer): string {
  const payload = b64url(Buffer.from(JSON.stringify(claims), 'utf8'));
  const input = `${HEADER}.${payload}`;
  return `${input}.${b64url(mac(input, secret))}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Verifies an HS256 JWT the way Centrifugo does for a connection token: a bad shape, a wrong
 * algorithm, a bad signature or a missing `sub` is `invalid`; a good token whose `exp` has
 * passed (or whose `seq` is at most `expiredUpToSeq`, see `expireTokensNow`) is `expired`.
 *
 * @internal
 * ## Example
 * ```ts
 * const verdict = verifyFakeJwt(token, secret, Date.now());
 * if (verdict.ok) console.log(verdict.claims.sub);
 * ```
 */
export function verifyFakeJwt(
  token: string,
  secret: Buffer,
  nowMs: number,
  expiredUpToSeq = 0,
): FakeJwtVerdict {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'invalid' };
  const [header = '', payload = '', signature = ''] = parts;
  let head: unknown;
  let body: unknown;
  try {
    head = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (!isRecord(head) || head.alg !== 'HS256' || !isRecord(body)) return { ok: false, reason: 'invalid' };
  const expected = mac(`${header}.${payload}`, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'invalid' };
  const { sub, exp, iat, seq } = body;
  if (typeof sub !== 'string' || sub === '' || typeof exp !== 'number')
    return { ok: false, reason: 'invalid' };
  const serial = typeof seq === 'number' ? seq : 0;
  if (exp * 1000 <= nowMs || (expiredUpToSeq > 0 && serial <= expiredUpToSeq))
    return { ok: false, reason: 'expired' };
  return { ok: true, claims: { sub, exp, iat: typeof iat === 'number' ? iat : 0, seq: serial } };
}
