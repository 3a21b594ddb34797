import { timingSafeEqual } from 'node:crypto';
import { signRequestBody } from '../auth/sign';
import { TOKEN_PATH } from '../token/request-token';
import { json, type FakeRequest, type FakeRouteResult } from './fake-http';

/**
 * A planned failure of the token endpoint (see `FakeServer.failNextTokenRequests`):
 * - `status`: answer with that HTTP status (e.g. 503, 429) and a short text body;
 * - `errorCode`: answer HTTP 200 `{success:0, error, error_code}` with that code;
 * - `hang`: never answer (until `close()`).
 *
 * ## Example
 * ```ts
 * server.failNextTokenRequests(2, { status: 429, retryAfter: 1 });
 * server.failNextTokenRequests(1, { hang: true });
 * ```
 */
export interface FakeTokenFault {
  readonly status?: number;
  readonly errorCode?: string;
  /** The `error` message with `errorCode` (default: the real message of a known code, else the code). */
  readonly error?: string;
  /** Seconds for a `Retry-After` header (with `status`). */
  readonly retryAfter?: number;
  readonly hang?: boolean;
}

/**
 * The real error messages of `generate_token`, by `error_code`.
 *
 * ## Example
 * ```ts
 * TOKEN_ERRORS.bad_sign; // 'Invalid credentials. Bad sign.'
 * ```
 */
export const TOKEN_ERRORS: Readonly<Record<string, string>> = {
  invalid_tapi_key: 'Invalid TAPI key',
  invalid_credentials: 'Invalid credentials. API not found or session has expired.',
  bad_sign: 'Invalid credentials. Bad sign.',
};

/** What the endpoint decided. @internal */
export type TokenOutcome =
  | { readonly kind: 'issued'; readonly apiKey: string; readonly result: FakeRouteResult }
  | { readonly kind: 'error'; readonly errorCode: string; readonly result: FakeRouteResult }
  | { readonly kind: 'fault'; readonly status: number; readonly result: FakeRouteResult }
  | { readonly kind: 'hang' };

/** What the endpoint needs from the server. @internal */
export interface TokenIssuer {
  secretOf(apiKey: string): string | undefined;
  /** Mints `{connToken, channel}` for the account that owns `apiKey`. */
  issue(apiKey: string): { connToken: string; channel: string };
}

const errorAnswer = (code: string, message?: string): TokenOutcome => ({
  kind: 'error',
  errorCode: code,
  result: json(200, { success: 0, error: message ?? TOKEN_ERRORS[code] ?? code, error_code: code }),
});

const STATUS_TEXT: Readonly<Record<number, string>> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const sameHex = (a: string, b: string): boolean =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * The fake `POST /api/private_ws/v1/generate_token`: planned faults first, then the real
 * checks in the real order (`tapi_key` present, key known, `Sign` = HMAC-SHA512 of the exact
 * body with the key's secret). Returns `undefined` for other paths.
 * @internal
 */
export function tokenEndpoint(
  req: FakeRequest,
  issuer: TokenIssuer,
  takeFault: () => FakeTokenFault | undefined,
): TokenOutcome | undefined {
  if (req.url.pathname !== TOKEN_PATH && req.url.pathname !== `${TOKEN_PATH}/`) return undefined;
  const fault = takeFault();
  if (fault?.hang) return { kind: 'hang' };
  if (fault?.status !== undefined) {
    const headers: Record<string, string> = { 'content-type': 'text/html' };
    if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
    const text = `${fault.status} ${STATUS_TEXT[fault.status] ?? 'Error'}`;
    return { kind: 'fault', status: fault.status, result: { status: fault.status, body: text, headers } };
  }
  if (fault?.errorCode !== undefined) return errorAnswer(fault.errorCode, fault.error);
  if (req.method !== 'POST') return errorAnswer('invalid_tapi_key');
  const form = new URLSearchParams(req.body);
  const apiKey = form.get('tapi_key') ?? '';
  if (apiKey.trim() === '') return errorAnswer('invalid_tapi_key');
  const secret = issuer.secretOf(apiKey);
  if (secret === undefined) return errorAnswer('invalid_credentials');
  const sign = req.headers.sign;
  const given = (Array.isArray(sign) ? sign[0] : sign)?.toLowerCase() ?? '';
  if (!sameHex(given, signRequestBody(req.body, secret))) return errorAnswer('bad_sign');
  return { kind: 'issued', apiKey, result: json(200, { success: 1, return: issuer.issue(apiKey) }) };
}
