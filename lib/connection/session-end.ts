import { classify, codeName, type FailureAction } from '../protocol/codes';
import { TokenRequestError } from '../token/error';
import { ChannelError, type ChannelErrorKind } from './types';

/**
 * Why one socket's life ended, and what to do next. Internal to the connection layer:
 * recoverable ends become `disconnected` statuses, terminal ones a {@link ChannelError}.
 * @internal
 */
export class SessionEnd extends Error {
  override readonly name = 'SessionEnd';
  constructor(
    readonly action: FailureAction,
    readonly kind: ChannelErrorKind,
    readonly code: number | undefined,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
  }

  toChannelError(): ChannelError {
    return new ChannelError(this.kind, this.code, this.reason, { cause: this });
  }
}

const PERMISSION_CODES = new Set([101, 103, 3507]);
const TOKEN_CODES = new Set([3500]);

/** The kind of terminal failure a server code stands for. @internal */
export function kindOf(code: number): ChannelErrorKind {
  if (PERMISSION_CODES.has(code)) return 'permission';
  if (TOKEN_CODES.has(code)) return 'token';
  return 'server';
}

/** A reply error or close code → SessionEnd, through the one classifier. @internal */
export function endFromCode(code: number, reason: string, temporary = false): SessionEnd {
  return new SessionEnd(classify(code, temporary), kindOf(code), code, reason || codeName(code));
}

/**
 * A failed token request → SessionEnd: non-retryable ones are terminal. The token error's
 * message already says what failed (no second prefix); `during` names a refresh. An HTTP
 * status is not a server code: `code` stays empty.
 * @internal
 */
export function endFromTokenError(error: unknown, during?: string): SessionEnd {
  if (error instanceof TokenRequestError) {
    const kind: ChannelErrorKind = error.code === 'insecure_transport' ? 'insecure_transport' : 'token';
    const reason = during === undefined ? error.message : `${during}: ${error.message}`;
    return new SessionEnd(error.retryable ? 'reconnect' : 'terminal', kind, undefined, reason, {
      cause: error,
    });
  }
  const what = error instanceof Error ? error.message : String(error);
  return new SessionEnd('reconnect', 'token', undefined, `${during ?? 'token request failed'}: ${what}`);
}
