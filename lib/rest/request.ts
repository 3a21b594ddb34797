import { Observable, defer, retry, switchMap, throwError, type SchedulerLike } from 'rxjs';
import type * as t from 'io-ts';
import * as E from 'fp-ts/Either';
import { backoff } from '../util/backoff';
import type { FetchInitLike, FetchResponseLike } from '../util/fetch';
import { describeNetworkFailure, hostOf } from '../util/network-failure';
import { redactSecrets } from '../util/redact';
import { formatValidationErrors } from '../util/report';
import { safeTimeout } from '../util/safe-timeout';
import { safeTimer } from '../util/safe-timer';
import { insecureTransport } from '../util/transport-security';
import type { ServerClock } from './clock';
import { TradeApiError } from './error';
import { parseJsonExact } from './json';
import type { TokenBucket } from './limiter';

/** A `fetch` response that may also expose headers (the global `Response` does). */
export interface RestResponseLike extends FetchResponseLike {
  readonly headers?: { get(name: string): string | null };
}

/**
 * The `fetch` the trade API uses; the global `fetch` fits, and so does any {@link FetchLike}
 * (without headers, the clock-skew correction has nothing to measure).
 *
 * ## Example
 * ```ts
 * const fetch: RestFetchLike = (url, init) => globalThis.fetch(url, init);
 * ```
 */
export type RestFetchLike = (url: string, init: FetchInitLike) => Promise<RestResponseLike>;

/** How failed requests are retried (429, 5xx, network, timeout, v2 internal errors). */
export interface RetryOptions {
  /** Attempts in all, the first included (default 4; 1 turns retrying off). */
  readonly maxAttempts: number;
  /** Backoff floor (default 500 ms). */
  readonly minDelayMs: number;
  /** Backoff cap (default 10 000 ms). */
  readonly maxDelayMs: number;
}

/** A request ready to send. @internal */
export interface PreparedRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body?: string;
}

/** What the transport needs to know about one call. @internal */
export interface CallSpec<A> {
  /** `tapi:getOrder`, `v2:myTrades`, … (goes into errors). */
  readonly endpoint: string;
  readonly bucket: TokenBucket;
  /** Builds and signs the request for a timestamp (called again on every attempt). */
  prepare(timestampMs: number): PreparedRequest;
  /** The surface's refusal (body code or status), if the answer is one. */
  classify(status: number, body: unknown, clockCorrected: boolean): TradeApiError | undefined;
  /** Decodes the successful body. */
  decode(body: unknown): t.Validation<A>;
}

/** The shared machinery of one trade API instance. @internal */
export interface RequestContext {
  readonly fetch: RestFetchLike;
  readonly scheduler: SchedulerLike;
  readonly timeoutMs: number;
  readonly retry: RetryOptions;
  readonly clock: ServerClock;
  readonly random: () => number;
  /** Send over `http:` to hosts that are not loopback (default off). */
  readonly allowInsecureTransport?: boolean;
}

/**
 * Sends one call: waits for a rate-limit slot, signs with a fresh timestamp, times out on
 * the scheduler, decodes, and retries retryable failures with full-jitter backoff.
 * Unsubscribing aborts the request in flight.
 *
 * ```text
 * take slot ─ fetch ─ 503 ─(backoff)─ take slot ─ fetch ─ 200 ─► value|
 * ```
 *
 * ## Example
 * ```ts
 * sendRequest(spec, context).subscribe((value) => console.log(value));
 * ```
 * @internal
 */
export function sendRequest<A>(spec: CallSpec<A>, ctx: RequestContext): Observable<A> {
  const attempt$ = defer(() => spec.bucket.take().pipe(switchMap(() => fetchOnce(spec, ctx))));
  return attempt$.pipe(
    retry({
      count: Math.max(0, ctx.retry.maxAttempts - 1),
      delay: (error: unknown, retryCount: number) =>
        error instanceof TradeApiError && error.retryable
          ? safeTimer(
              Math.max(
                backoff(retryCount - 1, ctx.retry.minDelayMs, ctx.retry.maxDelayMs, ctx.random),
                Math.min(error.retryAfterMs ?? 0, ctx.retry.maxDelayMs),
              ),
              ctx.scheduler,
            )
          : throwError(() => error),
    }),
  );
}

function fetchOnce<A>(spec: CallSpec<A>, ctx: RequestContext): Observable<A> {
  const { endpoint } = spec;
  const request$ = new Observable<A>((subscriber) => {
    const controller = new AbortController();
    const prepared = spec.prepare(ctx.clock.now());
    const host = hostOf(prepared.url);
    // Whatever the server echoes goes into messages only after the key and Sign are out.
    const clean = (error: TradeApiError): TradeApiError =>
      withMessage(error, redactSecrets(error.message, Object.values(prepared.headers)));
    let done = false;
    const finish = (result: E.Either<TradeApiError, A>): void => {
      done = true;
      if (E.isLeft(result)) subscriber.error(clean(result.left));
      else {
        subscriber.next(result.right);
        subscriber.complete();
      }
    };
    const refusal = insecureTransport(
      prepared.url,
      `signed ${endpoint} call`,
      ctx.allowInsecureTransport === true,
    );
    if (refusal) {
      finish(
        E.left(new TradeApiError('insecure_transport', refusal.message, false, endpoint, { cause: refusal })),
      );
      return;
    }
    const init: FetchInitLike = {
      method: prepared.method,
      headers: prepared.headers,
      signal: controller.signal,
      ...(prepared.body === undefined ? {} : { body: prepared.body }),
    };
    ctx
      .fetch(prepared.url, init)
      .then(async (response) => {
        const text = await response.text();
        if (controller.signal.aborted) return;
        const corrected = ctx.clock.observe(response.headers?.get('date'), ctx.scheduler.now());
        const result = interpret(spec, response.status, text, corrected);
        finish(E.mapLeft(withRetryAfter(response.headers?.get('retry-after')))(result));
      })
      .catch((cause: unknown) => {
        if (controller.signal.aborted || done) return;
        const why = describeNetworkFailure(cause, prepared.url);
        finish(
          E.left(
            new TradeApiError('network', `${endpoint} to ${host} failed: ${why}`, true, endpoint, { cause }),
          ),
        );
      });
    return () => {
      if (!done) controller.abort();
    };
  });
  return request$.pipe(
    safeTimeout(
      ctx.timeoutMs,
      ctx.scheduler,
      () =>
        new TradeApiError('timeout', `${endpoint} got no answer within ${ctx.timeoutMs} ms`, true, endpoint),
    ),
  );
}

function interpret<A>(
  spec: CallSpec<A>,
  status: number,
  text: string,
  corrected: boolean,
): E.Either<TradeApiError, A> {
  const { endpoint } = spec;
  let body: unknown;
  let parsed = true;
  try {
    body = parseJsonExact(text);
  } catch {
    parsed = false;
  }
  const refusal = spec.classify(status, parsed ? body : undefined, corrected);
  if (refusal) return E.left(refusal);
  if (status < 200 || status > 299) {
    const retryable = status >= 500 || status === 429;
    const code = status === 429 ? 'rate_limited' : 'http';
    return E.left(new TradeApiError(code, `${endpoint} got HTTP ${status}`, retryable, endpoint, { status }));
  }
  if (!parsed) {
    return E.left(
      new TradeApiError(
        'malformed_response',
        `${endpoint}: the answer is not JSON: ${snippet(text)}`,
        false,
        endpoint,
        {
          status,
        },
      ),
    );
  }
  const decoded = spec.decode(body);
  if (E.isLeft(decoded)) {
    const why = formatValidationErrors(decoded.left, { max: 3 });
    return E.left(
      new TradeApiError('malformed_response', `${endpoint}: unexpected answer: ${why}`, false, endpoint, {
        status,
      }),
    );
  }
  return decoded;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 77)}...` : flat);
}

/** Puts a `Retry-After` (seconds) on a retryable error, so the retry waits at least that long. */
function withRetryAfter(header: string | null | undefined): (error: TradeApiError) => TradeApiError {
  return (error) => {
    const seconds = header ? Number(header) : NaN;
    if (!error.retryable || !(seconds >= 0)) return error;
    return rebuild(error, error.message, seconds * 1000);
  };
}

/** The same error with another message (the same object when the message is unchanged). */
function withMessage(error: TradeApiError, message: string): TradeApiError {
  return message === error.message ? error : rebuild(error, message, error.retryAfterMs);
}

function rebuild(error: TradeApiError, message: string, retryAfterMs: number | undefined): TradeApiError {
  return new TradeApiError(error.code, message, error.retryable, error.endpoint, {
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.serverCode === undefined ? {} : { serverCode: error.serverCode }),
    ...(error.cause === undefined ? {} : { cause: error.cause }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
