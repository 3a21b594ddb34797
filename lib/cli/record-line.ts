import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import type { ChannelMessage } from '../protocol/messages';
import { OrderUpdate } from '../orders';
import { formatValidationErrors } from '../util/report';

/** `required` fields plus optional ones. */
const withOptional = <R extends t.Props, O extends t.Props>(required: R, optional: O) =>
  t.intersection([t.type(required), t.partial(optional)]);

/** A recorded {@link ConnectionStatus}, checked state by state. */
const Status = t.union(
  [
    t.type({ state: t.literal('connecting'), attempt: t.number }),
    withOptional({ state: t.literal('connected'), client: t.string }, { ttl: t.number }),
    t.type({ state: t.literal('subscribed'), channel: t.string }),
    withOptional({ state: t.literal('refreshed') }, { ttl: t.number }),
    withOptional(
      { state: t.literal('disconnected'), reason: t.string },
      { code: t.number, retryInMs: t.number },
    ),
  ],
  'ConnectionStatus',
);

/** A recorded channel message. */
const Message = t.union([
  t.type({ type: t.literal('status'), status: Status }),
  t.type({ type: t.literal('publication'), channel: t.string, data: t.unknown }),
]);

/** The milliseconds since the recording started: finite and ≥ 0. */
const Millis = t.refinement(t.number, (n) => Number.isFinite(n) && n >= 0, 'finite milliseconds ≥ 0');

const Line = t.union([
  t.type({ t: Millis, message: Message }),
  t.type({ t: Millis, frame: t.type({ raw: t.string, reason: t.string }) }),
  // Last: `t.unknown` also accepts a missing key.
  t.type({ t: Millis, restUpdate: t.unknown }),
]);

/**
 * One line of a recording, with the milliseconds since the recording started: a channel
 * message as it arrived, an update that REST reconciliation produced, or a frame line the
 * client could not read (kept as raw text, so a recording reproduces a decode problem).
 * Recordings never hold the API secret or a token: channel messages carry neither.
 * @internal
 */
export type RecordLine =
  | { readonly t: number; readonly message: ChannelMessage }
  | { readonly t: number; readonly restUpdate: OrderUpdate }
  | { readonly t: number; readonly frame: { readonly raw: string; readonly reason: string } };

/** A line of a recording read: a record, or why it is not one. @internal */
export type ReadLine =
  | { readonly ok: true; readonly record: RecordLine }
  | { readonly ok: false; readonly line: number; readonly raw: string; readonly reason: string };

/**
 * Reads one line of a recording. Never throws: anything that is not a record (not JSON,
 * `null`, a status without a state, a REST update that fails the live codec) comes back
 * with a reason.
 * @internal
 */
export function readRecordLine(raw: string, line: number): ReadLine {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, line, raw, reason: 'not JSON' };
  }
  const decoded = Line.decode(value);
  if (isLeft(decoded)) {
    return {
      ok: false,
      line,
      raw,
      reason: `not a record ({"t", "message" | "restUpdate" | "frame"}): ${formatValidationErrors(decoded.left, { max: 2 })}`,
    };
  }
  const record = decoded.right;
  if (!('restUpdate' in record)) return { ok: true, record: record as RecordLine };
  // The same codec as the live path: a recorded REST update is checked, not trusted.
  const update = OrderUpdate.decode(record.restUpdate);
  if (isLeft(update)) {
    return { ok: false, line, raw, reason: `restUpdate: ${formatValidationErrors(update.left, { max: 2 })}` };
  }
  return { ok: true, record: { t: record.t, restUpdate: update.right } };
}
