import { randomBytes } from 'node:crypto';
import type { Credentials } from '../auth/credentials';

/**
 * One account of the fake exchange: its user id, its keys, its private channel and its
 * ORDER EVENT LOG (every raw `order_update` item published to it or applied offline, in order).
 *
 * ## Example
 * ```ts
 * const alice = server.addAccount();
 * requestToken(alice.credentials, { environment: server.environment }); // channel: alice.channel
 * ```
 */
export interface FakeAccount {
  /** The user id: the token's `sub`, a 40-digit hex string like the real ones. */
  readonly id: string;
  /** `pws:#<id>`: the channel the token endpoint hands out. */
  readonly channel: string;
  /** The account's first key pair (pass it to `requestToken` or `createPrivateClient`). */
  readonly credentials: Credentials;
  /** Every key pair of the account (see `FakeServer.addKey`). */
  readonly keys: readonly Credentials[];
  /** The raw `order_update` items, in publish order (read-only view; see `FakeServer.orderLog`). */
  readonly orderLog: readonly unknown[];
}

/**
 * What `addAccount` accepts: fixed keys or id for reproducible tests; anything left out is random.
 *
 * ## Example
 * ```ts
 * const bob = server.addAccount({ apiKey: 'BOB', apiSecret: 'bob-secret' });
 * ```
 */
export interface FakeAccountInit {
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly id?: string;
}

interface MutableAccount extends FakeAccount {
  readonly keys: Credentials[];
  readonly orderLog: unknown[];
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The items of a publication's `data` (an array, or one value) that are order updates. @internal */
export function orderUpdateItems(data: unknown): unknown[] {
  const items: readonly unknown[] = Array.isArray(data) ? data : [data];
  return items.filter((item) => isRecord(item) && item.eventType === 'order_update');
}

/**
 * The fake server's account registry: keys → account, id → account.
 * @internal
 */
export class FakeAccounts {
  private readonly byKey = new Map<string, { account: MutableAccount; secret: string }>();
  private readonly byId = new Map<string, MutableAccount>();

  add(init: FakeAccountInit = {}): FakeAccount {
    const id = init.id ?? hex(20);
    if (this.byId.has(id)) throw new Error(`fake server: an account with id ${id} exists already`);
    const credentials = {
      apiKey: init.apiKey ?? `FAKE-${hex(12).toUpperCase()}`,
      apiSecret: init.apiSecret ?? hex(32),
    };
    if (this.byKey.has(credentials.apiKey)) throw new Error('fake server: that API key is taken already');
    const account: MutableAccount = {
      id,
      channel: `pws:#${id}`,
      credentials,
      keys: [credentials],
      orderLog: [],
    };
    this.byId.set(id, account);
    this.byKey.set(credentials.apiKey, { account, secret: credentials.apiSecret });
    return account;
  }

  addKey(account: FakeAccount, init: { apiKey?: string; apiSecret?: string } = {}): Credentials {
    const own = this.byId.get(account.id);
    if (!own) throw new Error('fake server: unknown account');
    const credentials = {
      apiKey: init.apiKey ?? `FAKE-${hex(12).toUpperCase()}`,
      apiSecret: init.apiSecret ?? hex(32),
    };
    if (this.byKey.has(credentials.apiKey)) throw new Error('fake server: that API key is taken already');
    own.keys.push(credentials);
    this.byKey.set(credentials.apiKey, { account: own, secret: credentials.apiSecret });
    return credentials;
  }

  byApiKey(apiKey: string): FakeAccount | undefined {
    return this.byKey.get(apiKey)?.account;
  }

  secretOf(apiKey: string): string | undefined {
    return this.byKey.get(apiKey)?.secret;
  }

  byUserId(id: string): FakeAccount | undefined {
    return this.byId.get(id);
  }

  /** Resolves a target: an account, its id or any of its API keys. */
  resolve(target: FakeAccount | string): FakeAccount | undefined {
    if (typeof target !== 'string') return this.byId.get(target.id);
    return this.byId.get(target) ?? this.byApiKey(target);
  }

  append(account: FakeAccount, data: unknown): number {
    const own = this.byId.get(account.id);
    if (!own) return 0;
    const items = orderUpdateItems(data);
    for (const item of items) own.orderLog.push(item);
    return items.length;
  }

  all(): readonly FakeAccount[] {
    return [...this.byId.values()];
  }
}
