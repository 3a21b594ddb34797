import { isLeft } from 'fp-ts/Either';
import { formatValidationErrors } from '../util/report';
import { Push, Reply } from './codecs';

/** One message of a frame, decoded. */
export type ServerMessage =
  | { readonly kind: 'ping' }
  | { readonly kind: 'reply'; readonly reply: Reply }
  | { readonly kind: 'push'; readonly push: Push['push'] };

/** A line that could not be used, with its raw text and why. */
export interface InvalidFrameLine {
  readonly raw: string;
  readonly reason: string;
}

/** What one line of a frame turned out to be. */
export type FrameLine =
  | { readonly ok: true; readonly message: ServerMessage }
  | { readonly ok: false; readonly invalid: InvalidFrameLine };

/**
 * Decodes one JSON line of a server frame.
 *
 * @example
 * ```ts
 * decodeLine('{}'); // { ok: true, message: { kind: 'ping' } }
 * decodeLine('{"id":1,"connect":{"client":"c"}}'); // a reply
 * decodeLine('nope'); // { ok: false, invalid: { raw: 'nope', reason: 'not JSON: ...' } }
 * ```
 */
export function decodeLine(raw: string): FrameLine {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    return invalid(raw, `not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid(raw, 'not a JSON object');
  }
  const record = value as Record<string, unknown>;
  if ('push' in record) {
    // The common case checked by hand; the codec runs only to decide and describe the rest.
    if (isPlainPush(record['push'])) return { ok: true, message: { kind: 'push', push: record['push'] } };
    const decoded = Push.decode(value);
    return isLeft(decoded)
      ? invalid(raw, formatValidationErrors(decoded.left, { redactValues: true }))
      : { ok: true, message: { kind: 'push', push: decoded.right.push } };
  }
  if ('id' in record) {
    const decoded = Reply.decode(value);
    // Replies may echo tokens (refresh): never put their values into a reason.
    return isLeft(decoded)
      ? invalid(raw, formatValidationErrors(decoded.left, { redactValues: true }))
      : { ok: true, message: { kind: 'reply', reply: decoded.right } };
  }
  if (Object.keys(record).length === 0) return { ok: true, message: { kind: 'ping' } };
  return invalid(raw, `unknown message with fields ${Object.keys(record).join(', ')}`);
}

/**
 * Splits a text frame into its newline-separated JSON messages and decodes each.
 * Empty lines are skipped; a line that fails is returned as invalid and the other
 * lines of the frame are still used.
 *
 * @example
 * ```ts
 * splitFrame('{}\n{"push":{"channel":"c","pub":{"data":[]}}}\n').length; // 2
 * ```
 */
export function splitFrame(frame: string): FrameLine[] {
  const out: FrameLine[] = [];
  let start = 0;
  while (start <= frame.length) {
    let end = frame.indexOf('\n', start);
    if (end === -1) end = frame.length;
    const line = frame.slice(start, end).trim();
    if (line !== '') out.push(decodeLine(line));
    start = end + 1;
  }
  return out;
}

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && Object.prototype.toString.call(u) === '[object Object]';

/**
 * Whether `push` is a push without `disconnect` that the `Push` codec accepts unchanged
 * (a channel string or none, a `pub` record with a number or no `offset`); then the
 * decoded push is `push` itself. Anything else goes through the codec.
 */
function isPlainPush(push: unknown): push is Push['push'] {
  if (!isRecord(push) || push['disconnect'] !== undefined) return false;
  const channel = push['channel'];
  if (channel !== undefined && typeof channel !== 'string') return false;
  const pub = push['pub'];
  if (pub === undefined) return true;
  if (!isRecord(pub)) return false;
  const offset = pub['offset'];
  return offset === undefined || typeof offset === 'number';
}

function invalid(raw: string, reason: string): FrameLine {
  return { ok: false, invalid: { raw, reason } };
}
