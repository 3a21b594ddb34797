import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeRestRoutes, foldOrderLog } from '../../../lib/testing/fake-rest';
import { startFakeServer, type FakeAccount, type FakeServer } from '../../../lib/testing/fake-server';
import { storeDifferences } from '../../../lib/testing/store-check';
import { orderLifecycle } from '../../../lib/testing/builders';
import type { OrderStateSnapshot } from '../../../lib/orders';
import { parseAccountsFile, type BridgeAccount } from '../../../lib/bridge/accounts-file';

/** The testing kit's fake exchange with N accounts, an accounts file and its environment. */
export interface TestExchange {
  readonly server: FakeServer;
  readonly names: readonly string[];
  readonly accountOf: (name: string) => FakeAccount;
  /** The accounts file (environment variable names only). */
  readonly file: string;
  /** The environment variables the file names. */
  readonly env: Record<string, string>;
  /** Publishes order `k` of an account, whole lifecycle (NEW, FILL, FILL, DONE), one push per event. */
  order(name: string, k: number): void;
  /** Differences between a store and the account's exchange (empty when equal). */
  differences(name: string, snapshot: OrderStateSnapshot): string[];
  /** The accounts file as a bridge reads it, with `env` (default: the one that goes with it). */
  bridgeAccounts(env?: Record<string, string>): readonly BridgeAccount[];
}

export async function startExchange(count: number): Promise<TestExchange> {
  const server = await startFakeServer({
    pingIntervalMs: 1_000,
    routes: (s) =>
      fakeRestRoutes({
        orderLog: (key) => s.orderLog(s.accountByKey(key)?.id ?? '') ?? [],
        secretOf: (key) => s.accountByKey(key)?.keys.find((k) => k.apiKey === key)?.apiSecret,
      }).routes,
  });
  const names = Array.from({ length: count }, (_, i) => `acct${i}`);
  const accounts = new Map(names.map((n) => [n, server.addAccount()]));
  const env: Record<string, string> = {};
  const entries = names.map((name) => {
    const a = accounts.get(name)!;
    env[`${name.toUpperCase()}_KEY`] = a.credentials.apiKey;
    env[`${name.toUpperCase()}_SECRET`] = a.credentials.apiSecret;
    return {
      name,
      apiKeyEnv: `${name.toUpperCase()}_KEY`,
      apiSecretEnv: `${name.toUpperCase()}_SECRET`,
      environment: server.environment,
    };
  });
  const file = join(mkdtempSync(join(tmpdir(), 'indodax-pws-accounts-')), 'accounts.json');
  writeFileSync(file, JSON.stringify({ accounts: entries }));
  return {
    server,
    names,
    accountOf: (name) => accounts.get(name)!,
    file,
    env,
    order: (name, k) => {
      const account = accounts.get(name)!;
      const items = orderLifecycle({
        orderId: `btcidr-limit-${names.indexOf(name) * 1_000_000 + k}`,
        transactionTime: Date.now(),
        stepMs: 1,
      });
      for (const item of items) server.publish([item], { account });
    },
    bridgeAccounts: (withEnv = env) => {
      const parsed = parseAccountsFile(readFileSync(file, 'utf8'), withEnv);
      if (!parsed.ok) throw new Error(parsed.error);
      return parsed.accounts;
    },
    differences: (name, snapshot) =>
      storeDifferences(snapshot, foldOrderLog(server.orderLog(accounts.get(name)!))).map(
        (d) => `${name} ${d.orderId}: ${d.what}`,
      ),
  };
}
