import { createHash } from 'node:crypto';
import type { AccountsFile } from '../bridge/accounts-file';
import type { Credentials } from '../auth/credentials';
import type { Environment } from '../environments';
import { foldOrderLog, type FakeBookOrder } from '../testing/fake-rest';

/** One order of a `book` line: the exchange's view of it at the end. @internal */
export interface BookOrderJson {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: string;
  readonly origQty: string;
  /** As a store shows it: NEW, FILL (partly filled, open), DONE, CANCELLED or REJECTED. */
  readonly status: 'NEW' | 'FILL' | 'DONE' | 'CANCELLED' | 'REJECTED';
  readonly executedQty: string;
  /** The trade ids of its fills, in order. */
  readonly fills: readonly string[];
}

/** `{"type":"book","account":NAME,"orders":[…]}`: what `fake-exchange --json` ends with. @internal */
export interface BookEvent {
  readonly type: 'book';
  readonly account: string;
  readonly orders: readonly BookOrderJson[];
}

function statusOf(order: FakeBookOrder): BookOrderJson['status'] {
  switch (order.state) {
    case 'open':
      return order.fills.length > 0 ? 'FILL' : 'NEW';
    case 'filled':
      return 'DONE';
    case 'cancelled':
      return 'CANCELLED';
    case 'rejected':
      return 'REJECTED';
  }
}

/**
 * The `book` line of an account: its raw order log folded into every order's final state, in
 * the order the orders were born.
 *
 * ## Example
 * ```ts
 * const line = bookEvent('acct0', server.orderLog(account));
 * ```
 * @internal
 */
export function bookEvent(account: string, log: readonly unknown[]): BookEvent {
  const orders: BookOrderJson[] = [];
  for (const o of foldOrderLog(log).values()) {
    orders.push({
      orderId: o.orderId,
      symbol: o.symbol,
      side: o.side,
      price: o.price,
      origQty: o.origQty,
      status: statusOf(o),
      executedQty: o.executedQty,
      fills: o.fills.map((f) => f.tradeId),
    });
  }
  return { type: 'book', account, orders };
}

/** The names of the fake exchange's users and of their variables. @internal */
export function fakeAccountNames(count: number): { name: string; keyEnv: string; secretEnv: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `acct${i}`,
    keyEnv: `ACCT${i}_KEY`,
    secretEnv: `ACCT${i}_SECRET`,
  }));
}

/**
 * The user id of a fake user: the same for the same name on every run (so a bus that bound
 * `acct0` to a user on an earlier run still agrees), 40 hex digits like the real ones.
 * @internal
 */
export function fakeUserId(name: string): string {
  return createHash('sha1').update(`indodax-pws fake-exchange ${name}`).digest('hex');
}

/** The accounts file `bridge --accounts` reads: variable names and the fake's URLs, no secret. @internal */
export function accountsFileText(count: number, environment: Environment): string {
  const file: AccountsFile = {
    accounts: fakeAccountNames(count).map((a) => ({
      name: a.name,
      apiKeyEnv: a.keyEnv,
      apiSecretEnv: a.secretEnv,
      environment,
    })),
  };
  return JSON.stringify(file, null, 2) + '\n';
}

/** `NAME=value` lines for the variables the accounts file names (the secrets live only here). @internal */
export function envFileText(credentials: readonly Credentials[]): string {
  return fakeAccountNames(credentials.length)
    .map((a, i) => `${a.keyEnv}=${credentials[i]!.apiKey}\n${a.secretEnv}=${credentials[i]!.apiSecret}\n`)
    .join('');
}
