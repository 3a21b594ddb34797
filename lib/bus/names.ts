import type { OrderUpdate } from '../orders';

/** The JetStream stream every bridge publishes order updates to. */
export const ORDERS_STREAM = 'INDODAX_ORDERS';
/** The subjects of {@link ORDERS_STREAM}. */
export const ORDERS_SUBJECTS = 'indodax.orders.>';
/** The KV bucket that holds the bridges' leases (key = account name, value = bridge id). */
export const LEASE_BUCKET = 'indodax_leases';

const NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Whether `name` may be an account name or a bridge id: `[A-Za-z0-9_-]+`, so it is one
 * NATS subject token and one KV key, and never collides with a bridge's presence key.
 *
 * ## Example
 * ```ts
 * isBusName('acct-0'); // true
 * isBusName('a.b'); // false
 * ```
 */
export function isBusName(name: string): boolean {
  return NAME.test(name);
}

/**
 * A symbol as one subject token: kept as is when it is one (`btcidr`), otherwise every
 * character outside `[A-Za-z0-9_-]` becomes `_` (a `.`, `*` or `>` would change the subject's shape).
 *
 * ## Example
 * ```ts
 * subjectToken('btc.idr'); // 'btc_idr'
 * ```
 */
export function subjectToken(text: string): string {
  const token = text.replace(/[^A-Za-z0-9_-]/g, '_');
  return token === '' ? '_' : token;
}

/**
 * The subject of one update: `indodax.orders.<account>.<symbol>.<status>`.
 *
 * ## Example
 * ```ts
 * ordersSubject('acct0', update); // 'indodax.orders.acct0.btcidr.FILL'
 * ```
 */
export function ordersSubject(account: string, update: OrderUpdate): string {
  return `indodax.orders.${account}.${subjectToken(update.order.symbol)}.${update.status}`;
}

/**
 * The subjects of one account's updates, for a consumer's filter: `indodax.orders.<account>.>`.
 *
 * ## Example
 * ```ts
 * accountOrdersFilter('acct0'); // 'indodax.orders.acct0.>'
 * ```
 */
export function accountOrdersFilter(account: string): string {
  return `indodax.orders.${account}.>`;
}

/**
 * The subject of an account's connection status: `indodax.status.<account>`.
 *
 * ## Example
 * ```ts
 * statusSubject('acct0'); // 'indodax.status.acct0'
 * ```
 */
export function statusSubject(account: string): string {
  return `indodax.status.${account}`;
}

/**
 * The `Nats-Msg-Id` of an update, `<account>:<orderId>:<status>:<tradeId or executedQty>`:
 * the same update published twice (by the old and the new owner after a takeover, or by a
 * retried publish) gets the same id, and JetStream stores it once.
 *
 * ## Example
 * ```ts
 * updateMsgId('acct0', fillUpdate); // 'acct0:btcidr-limit-1:FILL:T-1'
 * updateMsgId('acct0', newUpdate); // 'acct0:btcidr-limit-1:NEW:0'
 * ```
 */
export function updateMsgId(account: string, update: OrderUpdate): string {
  const last = update.status === 'FILL' ? update.order.tradeId : update.order.executedQty;
  return `${account}:${update.order.orderId}:${update.status}:${last}`;
}

/** The KV bucket that binds each account name to one exchange user (no TTL; key `identity.<account>`). */
export const IDENTITY_BUCKET = 'indodax_identities';

/**
 * The key of an account's exchange-user binding in {@link IDENTITY_BUCKET}: `identity.<account>`.
 *
 * ## Example
 * ```ts
 * identityKey('acct0'); // 'identity.acct0'
 * ```
 */
export function identityKey(account: string): string {
  return `identity.${account}`;
}

/** C0 controls, DEL and the C1 controls: nothing a NATS header value (or a log line) should hold. */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

/**
 * Whether `value` can be a NATS header value (`Nats-Msg-Id`): no control characters
 * (`\r`, `\n`, NUL…), at most 256 characters.
 *
 * ## Example
 * ```ts
 * isHeaderSafe('acct0:1:NEW:0'); // true
 * isHeaderSafe('acct0:1\r\n:NEW:0'); // false
 * ```
 */
export function isHeaderSafe(value: string): boolean {
  return value.length <= 256 && !hasControl(value);
}

/**
 * An identifier as it may be shown in an event or a log line: JSON-escaped (`\r` → `\\r`, no
 * raw control character), cut to 128 characters.
 *
 * ## Example
 * ```ts
 * shownId('a\r\nb'); // 'a\\r\\nb'
 * ```
 */
export function shownId(value: string): string {
  const escaped = JSON.stringify(value).slice(1, -1);
  return escaped.length > 128 ? `${escaped.slice(0, 128)}…` : escaped;
}
