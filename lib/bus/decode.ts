import { isLeft } from 'fp-ts/Either';
import { OrderUpdate, type InvalidMessage } from '../orders';
import { invalidMessage } from '../orders/decode';
import { formatValidationErrors } from '../util/report';

/** What one message of the stream turned out to be. */
export type BusPayload =
  | { readonly kind: 'update'; readonly update: OrderUpdate }
  | { readonly kind: 'invalid'; readonly problem: InvalidMessage };

/**
 * Decodes one payload of `INDODAX_ORDERS` (the `OrderUpdate` as JSON, exact strings) with the
 * `OrderUpdate` codec. A payload that is not JSON or not an update is reported with its raw
 * text and the subject; it never throws.
 *
 * ## Example
 * ```ts
 * const r = decodeBusPayload('{"status":"NEW",...}', 'indodax.orders.acct0.btcidr.NEW');
 * if (r.kind === 'update') store = reduceOrderState(store, r.update);
 * ```
 */
export function decodeBusPayload(text: string, subject: string): BusPayload {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return {
      kind: 'invalid',
      problem: { raw: text, rawText: text, reason: `${subject}: not JSON (${why})` },
    };
  }
  const decoded = OrderUpdate.decode(raw);
  if (isLeft(decoded)) {
    return {
      kind: 'invalid',
      problem: invalidMessage(raw, `${subject}: ${formatValidationErrors(decoded.left)}`),
    };
  }
  return { kind: 'update', update: decoded.right };
}
