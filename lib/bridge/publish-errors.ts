import { isHeaderSafe } from '../bus/names';

/**
 * Why a publish failed, as a link acts on it:
 *
 * - `refused`: this update can never be carried (a header-hostile id, a payload over the
 *   server's `max_payload`): it is reported with a `skipped` event and the next one flows;
 * - `lost`: the stream is gone (NATS restarted empty, the stream deleted): the bus re-creates it
 *   and the publish is retried;
 * - `transient`: a timeout, a connection away: retried with backoff.
 */
export type PublishFailureKind = 'refused' | 'lost' | 'transient';

/**
 * A failed publish, classified. The message never holds a payload (only an escaped id).
 *
 * ## Example
 * ```ts
 * publisher.publishUpdate(subject, payload, msgId).catch((e) => e instanceof BusPublishError && e.kind);
 * ```
 */
export class BusPublishError extends Error {
  override readonly name = 'BusPublishError';
  /** The JetStream API error code (`err_code`) when JetStream refused it, e.g. 10071 for a wrong last sequence. */
  readonly code: number | undefined;
  constructor(
    readonly kind: PublishFailureKind,
    message: string,
    options?: { cause?: unknown; code?: number },
  ) {
    super(message, options);
    this.code = options?.code;
  }
}

// The NATS clients' error classes and JetStream API codes this looks at (by name and code, never
// by message text): `InvalidArgumentError` (a header value with \r or \n, a payload over
// max_payload: nothing was sent), `JetStreamNotEnabled` (no responder on the subject: no stream
// takes it), `JetStreamApiError` 10059 (stream not found) and 10039 (JetStream not enabled).
/** JetStream API codes that mean the stream is gone: 10059 stream not found, 10039 JetStream not enabled. @internal */
export const LOST_CODES: ReadonlySet<number> = new Set([10059, 10039]);

/**
 * Classifies anything a publish threw: a {@link BusPublishError} keeps its kind; the NATS
 * clients' errors are told apart by their class name and JetStream API code.
 *
 * ## Example
 * ```ts
 * publishFailureKind(new BusPublishError('refused', 'too large')); // 'refused'
 * ```
 */
export function publishFailureKind(error: unknown): PublishFailureKind {
  if (error instanceof BusPublishError) return error.kind;
  if (!(error instanceof Error)) return 'transient';
  if (error.name === 'InvalidArgumentError') return 'refused';
  if (error.name === 'JetStreamNotEnabled') return 'lost';
  const code = (error as { code?: unknown }).code;
  if (error.name === 'JetStreamApiError' || error.name === 'StreamNotFoundError')
    return typeof code === 'number' && LOST_CODES.has(code) ? 'lost' : 'transient';
  return 'transient';
}

/**
 * Why an update cannot be carried at all, checked before anything is sent: an id that would
 * make the `Nats-Msg-Id` header invalid, or a payload (with its headers) over `maxPayload`.
 *
 * ## Example
 * ```ts
 * refusalOf('{"status":"NEW"}', 'acct0:1\n:NEW:0', 1_048_576); // 'the message id holds a control character or is too long'
 * ```
 */
export function refusalOf(
  payload: string,
  msgId: string,
  maxPayload: number | undefined,
): string | undefined {
  if (!isHeaderSafe(msgId)) return 'the message id holds a control character or is too long';
  // the headers travel inside max_payload: NATS/1.0 line, Nats-Msg-Id line, blank line
  const size = Buffer.byteLength(payload) + Buffer.byteLength(msgId) + 64;
  if (maxPayload !== undefined && maxPayload > 0 && size > maxPayload)
    return `the payload (${size} bytes with headers) is over the server's max_payload (${maxPayload})`;
  return undefined;
}
