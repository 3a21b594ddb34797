import { createHash } from 'node:crypto';
import { identityKey } from '../bus/names';
import type { IdentityAnswer } from './link-types';

/** The part of a KV bucket {@link bindIdentity} uses. @internal */
export interface IdentityStore {
  create(key: string, value: string): Promise<number>;
  get(key: string): Promise<{ string(): string; operation: string } | null>;
}

/**
 * The exchange user a private channel names, as stored on the bus: the SHA-256 of the channel
 * string (`pws:#<user hash>`), so the bucket never holds the channel itself.
 *
 * ## Example
 * ```ts
 * exchangeUserOf('pws:#c12d3ca0'); // '5b0e…' (64 hex digits)
 * ```
 */
export function exchangeUserOf(channel: string): string {
  return createHash('sha256').update(channel).digest('hex');
}

/**
 * Binds `account` to the exchange user `channel` names, on first use (create-if-absent): `ok` when
 * the binding is new or the same user, `mismatch` when the name is bound to another user (these
 * credentials belong to someone else: publish nothing for it).
 *
 * ## Example
 * ```ts
 * if ((await bindIdentity(kv, 'acct0', token.channel)) === 'mismatch') stop();
 * ```
 * @internal
 */
export async function bindIdentity(
  store: IdentityStore,
  account: string,
  channel: string,
): Promise<IdentityAnswer> {
  const user = exchangeUserOf(channel);
  const key = identityKey(account);
  try {
    await store.create(key, user);
    return 'ok';
  } catch {
    // already bound (or NATS away: then the read below fails too and the caller asks again)
    const entry = await store.get(key);
    if (entry === null || entry.operation !== 'PUT') throw new Error(`cannot bind ${account}`);
    return entry.string() === user ? 'ok' : 'mismatch';
  }
}
