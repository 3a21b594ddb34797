import { Observable, asyncScheduler, throwError, type SchedulerLike } from 'rxjs';
import * as E from 'fp-ts/Either';
import { signRequestBody } from '../auth/sign';
import type { Credentials } from '../auth/credentials';
import { environments, type Environment } from '../environments';
import { globalFetch, joinUrl, type FetchLike } from '../util/fetch';
import type { ProxyOption } from '../util/proxy';
import { proxyFetch } from '../util/proxy-fetch';
import { describeNetworkFailure, hostOf } from '../util/network-failure';
import { redactSecrets } from '../util/redact';
import { formatValidationErrors } from '../util/report';
import { safeTimeout } from '../util/safe-timeout';
import { insecureTransport } from '../util/transport-security';
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
  /**
   * Send the request through this HTTP(S) proxy (a `CONNECT` tunnel; TLS stays end to end):
   * `http://proxy.lan:3128`, or `{ url, noProxy }`. Ignored when `fetch` is given.
   */
  readonly proxy?: ProxyOption;
  /** Runs the timeout (default `asyncScheduler`); pass a `TestScheduler` in tests. */
  readonly scheduler?: SchedulerLike;
  /**
   * Send the signed request over `http:` to a host that is not loopback (default `false`:
   * refused with code `insecure_transport` before anything is sent). Only for a
   * TLS-terminating proxy on a private network.
   */
  readonly allowInsecureTransport?: boolean;
}

const NON_RETRYABLE_HTTP = (status: number): boolean => status >= 400 && status < 500 && status !== 429;

/**
 * Asks the exchange for a private WebSocket token and the user's private channel.
 *
 * Cold: nothing happens until you subscribe, and every subscription sends exactly
 * one signed `POST {restBaseUrl}/api/private_ws/v1/generate_token` with the body
 * `client=tapi&tapi_key=KEY`. Unsubscribing aborts the request. Fails with a
 * {@link TokenRequestError}; empty credentials, and an `http:` URL whose host is not
 * loopback (code `insecure_transport`, unless `allowInsecureTransport`), fail at once
 * without a request. Messages name the host and the cause (`ENOTFOUND indodax.com`);
 * text the server echoes is cleaned of anything shaped like a key, a `Sign` or a token.
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
  const host = hostOf(url);
  const refusal = insecureTransport(url, 'signed token request', options.allowInsecureTransport === true);
  if (refusal) {
    return throwError(
      () => new TokenRequestError('insecure_transport', refusal.message, false, { cause: refusal }),
    );
  }
  const fetchFn = options.fetch ?? (options.proxy !== undefined ? proxyFetch(options.proxy) : globalFetch);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const scheduler = options.scheduler ?? asyncScheduler;
  const clean = (text: string): string => redactSecrets(text, [apiKey, apiSecret]);

  const request$ = new Observable<PrivateToken>((subscriber) => {
    const controller = new AbortController();
    const body = `client=tapi&tapi_key=${encodeURIComponent(apiKey)}`;
    const headers = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Sign: signRequestBody(body, apiSecret),
    };
    let done = false;
    const finish = (result: E.Either<TokenRequestError, PrivateToken>): void => {
      done = true;
      if (E.isLeft(result)) return subscriber.error(result.left);
      subscriber.next(result.right);
      subscriber.complete();
    };
    fetchFn(url, { method: 'POST', headers, body, signal: controller.signal })
      .then(async (response) => {
        const text = await response.text();
        if (controller.signal.aborted) return;
        finish(interpret(response.status, text, host, clean));
      })
      .catch((cause: unknown) => {
        if (controller.signal.aborted || done) return;
        const why = clean(describeNetworkFailure(cause, url));
        finish(
          E.left(
            new TokenRequestError('network', `Token request to ${host} failed: ${why}`, true, { cause }),
          ),
        );
      });
    return () => {
      if (!done) controller.abort();
    };
  });

  return request$.pipe(
    safeTimeout(
      timeoutMs,
      scheduler,
      () =>
        new TokenRequestError(
          'timeout',
          `Token request to ${host} got no answer within ${timeoutMs} ms`,
          true,
        ),
    ),
  );
}

/** The token endpoint's answer → the token, or the error that says what was wrong. */
function interpret(
  status: number,
  text: string,
  host: string,
  clean: (text: string) => string,
): E.Either<TokenRequestError, PrivateToken> {
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
        ? `: ${clean(decoded.right.error)} (${clean(decoded.right.error_code)})`
        : '';
    return E.left(
      new TokenRequestError(
        'http',
        `Token request to ${host} got HTTP ${status}${server}`,
        !NON_RETRYABLE_HTTP(status),
        {
          status,
        },
      ),
    );
  }
  if (!decoded) {
    return E.left(
      new TokenRequestError('malformed_response', `Token response from ${host} is not JSON`, false, {
        status,
      }),
    );
  }
  if (E.isLeft(decoded)) {
    const why = formatValidationErrors(decoded.left, { redactValues: true, max: 3 });
    return E.left(
      new TokenRequestError(
        'malformed_response',
        `Token response from ${host} has an unexpected shape: ${why}`,
        false,
        {
          status,
        },
      ),
    );
  }
  const answer = decoded.right;
  if (answer.success === 0) {
    // An HTTP 200 that says no: the exchange's own words and code, not a status.
    return E.left(
      new TokenRequestError(
        answer.error_code,
        `The exchange refused the token request: ${clean(answer.error)} (${clean(answer.error_code)})`,
        false,
        { status },
      ),
    );
  }
  return E.right({ connToken: answer.return.connToken, channel: answer.return.channel });
}
