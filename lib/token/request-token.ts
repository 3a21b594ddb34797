import { Observable, asyncScheduler, throwError, timeout, type SchedulerLike } from 'rxjs';
import * as E from 'fp-ts/Either';
import { signRequestBody } from '../auth/sign';
import type { Credentials } from '../auth/credentials';
import { environments, type Environment } from '../environments';
import { globalFetch, joinUrl, type FetchLike } from '../util/fetch';
import { formatValidationErrors } from '../util/report';
import { TokenResponse, type PrivateToken } from './codecs';
import { TokenRequestError } from './error';

/** The path of the token endpoint under `restBaseUrl`. */
export const TOKEN_PATH = '/api/private_ws/v1/generate_token';

/** Options of {@link requestToken}. */
export interface RequestTokenOptions {
  /** Which exchange to ask (default `environments.production`). */
  readonly environment?: Environment;
  /** Overrides `environment.restBaseUrl` (e.g. `https://btcapi.net` for whitelisted hosts). */
  readonly restBaseUrl?: string;
  /** Give up after this long (default 10 000 ms), on `scheduler`. */
  readonly timeoutMs?: number;
  /** The `fetch` to use (default: the global one). */
  readonly fetch?: FetchLike;
  /** Runs the timeout (default `asyncScheduler`); pass a `TestScheduler` in tests. */
  readonly scheduler?: SchedulerLike;
}

const NON_RETRYABLE_HTTP = (status: number): boolean => status >= 400 && status < 500 && status !== 429;

/**
 * Asks the exchange for a private WebSocket token and the user's private channel.
 *
 * Cold: nothing happens until you subscribe, and every subscription sends exactly
 * one signed `POST {restBaseUrl}/api/private_ws/v1/generate_token` with the body
 * `client=tapi&tapi_key=KEY`. Unsubscribing aborts the request. Fails with a
 * {@link TokenRequestError}; empty credentials fail at once without a request.
 *
 * ```text
 * subscribe ──POST──────────────► {connToken, channel}|
 * subscribe ──POST──── (timeoutMs) ──────────────────# TokenRequestError(timeout)
 * ```
 *
 * ## Example
 * ```ts
 * const token$ = requestToken({ apiKey, apiSecret }, { environment: environments.production });
 * token$.subscribe(({ channel }) => console.log('channel', channel));
 * ```
 *
 * @param credentials - the TAPI key and secret
 * @param options - environment, timeout, fetch and scheduler
 * @returns a cold Observable that emits one {@link PrivateToken} and completes
 */
export function requestToken(
  credentials: Credentials,
  options: RequestTokenOptions = {},
): Observable<PrivateToken> {
  const { apiKey, apiSecret } = credentials;
  if (typeof apiKey !== 'string' || apiKey.trim() === '') {
    return throwError(
      () => new TokenRequestError('invalid_arguments', 'requestToken: the API key is empty', false),
    );
  }
  if (typeof apiSecret !== 'string' || apiSecret === '') {
    return throwError(
      () => new TokenRequestError('invalid_arguments', 'requestToken: the API secret is empty', false),
    );
  }
  const base = options.restBaseUrl ?? (options.environment ?? environments.production).restBaseUrl;
  const url = joinUrl(base, TOKEN_PATH);
  const fetchFn = options.fetch ?? globalFetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const scheduler = options.scheduler ?? asyncScheduler;

  const request$ = new Observable<PrivateToken>((subscriber) => {
    const controller = new AbortController();
    const body = `client=tapi&tapi_key=${encodeURIComponent(apiKey)}`;
    const headers = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Sign: signRequestBody(body, apiSecret),
    };
    let done = false;
    const fail = (error: TokenRequestError): void => {
      done = true;
      subscriber.error(error);
    };
    fetchFn(url, { method: 'POST', headers, body, signal: controller.signal })
      .then(async (response) => {
        const text = await response.text();
        if (controller.signal.aborted) return;
        interpret(response.status, text, fail, (token) => {
          done = true;
          subscriber.next(token);
          subscriber.complete();
        });
      })
      .catch((cause: unknown) => {
        if (controller.signal.aborted) return;
        const what = cause instanceof Error ? cause.message : String(cause);
        fail(new TokenRequestError('network', `Token request failed: ${what}`, true, { cause }));
      });
    return () => {
      if (!done) controller.abort();
    };
  });

  return request$.pipe(
    timeout({
      first: timeoutMs,
      scheduler,
      with: () =>
        throwError(
          () => new TokenRequestError('timeout', `Token request got no answer within ${timeoutMs} ms`, true),
        ),
    }),
  );
}

function interpret(
  status: number,
  text: string,
  fail: (e: TokenRequestError) => void,
  succeed: (token: PrivateToken) => void,
): void {
  let json: unknown;
  let parsed = true;
  try {
    json = JSON.parse(text);
  } catch {
    parsed = false;
  }
  const decoded = parsed ? TokenResponse.decode(json) : undefined;
  if (status < 200 || status > 299) {
    const server =
      decoded && E.isRight(decoded) && decoded.right.success === 0
        ? `: ${decoded.right.error} (${decoded.right.error_code})`
        : '';
    fail(
      new TokenRequestError(
        'http',
        `Token request got HTTP ${status}${server}`,
        !NON_RETRYABLE_HTTP(status),
        {
          status,
        },
      ),
    );
    return;
  }
  if (!decoded) {
    fail(new TokenRequestError('malformed_response', 'Token response is not JSON', false, { status }));
    return;
  }
  if (E.isLeft(decoded)) {
    const why = formatValidationErrors(decoded.left, { redactValues: true, max: 3 });
    fail(
      new TokenRequestError('malformed_response', `Token response has an unexpected shape: ${why}`, false, {
        status,
      }),
    );
    return;
  }
  const answer = decoded.right;
  if (answer.success === 1) {
    succeed({ connToken: answer.return.connToken, channel: answer.return.channel });
  } else {
    fail(
      new TokenRequestError(
        answer.error_code,
        `Token request refused: ${answer.error} (${answer.error_code})`,
        false,
        { status },
      ),
    );
  }
}
