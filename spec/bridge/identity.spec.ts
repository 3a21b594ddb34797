import type { BridgeAccount } from '../../lib/bridge/accounts-file';
import { startBridge, type BridgeEvent } from '../../lib/bridge/bridge';
import { bindIdentity, exchangeUserOf, type IdentityStore } from '../../lib/bridge/identity';
import { startExchange, type TestExchange } from '../bus/support/exchange';
import { eventually, startNats, storedFor, type TestNats } from '../bus/support/nats-server';

describe('bindIdentity', () => {
  const memory = (): IdentityStore => {
    const m = new Map<string, string>();
    return {
      create: (k, v) =>
        m.has(k) ? Promise.reject(new Error('wrong last sequence')) : (m.set(k, v), Promise.resolve(1)),
      get: (k) => Promise.resolve(m.has(k) ? { string: () => m.get(k)!, operation: 'PUT' } : null),
    };
  };
  it.each([
    { name: 'first use binds', first: 'pws:#a', then: 'pws:#a', answer: 'ok' },
    {
      name: 'another user for the same name is a mismatch',
      first: 'pws:#a',
      then: 'pws:#b',
      answer: 'mismatch',
    },
  ])('$name', async ({ first, then, answer }) => {
    const store = memory();
    expect(await bindIdentity(store, 'acct0', first)).toBe('ok');
    expect(await bindIdentity(store, 'acct0', then)).toBe(answer);
  });
  it('stores a hash of the channel, never the channel', async () => {
    const values: string[] = [];
    await bindIdentity(
      { create: (_k, v) => (values.push(v), Promise.resolve(1)), get: () => Promise.resolve(null) },
      'a',
      'pws:#abc',
    );
    expect(values).toEqual([exchangeUserOf('pws:#abc')]);
    expect(values[0]).not.toContain('abc');
  });
});

// Two accounts files, same names, credentials swapped: the second bridge publishes nothing for
// the swapped names (one identity-mismatch each, no key in it) and goes on with the others.
describe('one account, one exchange user (real nats-server, the testing kit’s fake exchange)', () => {
  let nats: TestNats;
  let exchange: TestExchange;
  beforeAll(async () => {
    nats = await startNats();
    exchange = await startExchange(3);
  });
  afterAll(async () => {
    await exchange?.server.close();
    await nats?.stop();
  });

  const accountsWith = (env: Record<string, string>): BridgeAccount[] => {
    return [...exchange.bridgeAccounts(env)];
  };

  it('credentials of another user for a bound name: nothing published for it, one identity-mismatch; others go on', async () => {
    const first = await startBridge({
      servers: nats.url,
      id: 'first',
      accounts: accountsWith(exchange.env).slice(0, 2),
      leaseMs: 1_000,
    });
    try {
      await eventually(
        'acct0 and acct1 subscribed',
        () =>
          ['acct0', 'acct1'].every((n) => exchange.server.subscribers(exchange.accountOf(n)) === 1) ||
          undefined,
      );
      exchange.order('acct0', 0);
      exchange.order('acct1', 0);
      await eventually('the first bridge bound and published acct0 and acct1', async () =>
        (await storedFor(nats.url, 'acct0')) === 4 && (await storedFor(nats.url, 'acct1')) === 4
          ? true
          : undefined,
      );
    } finally {
      await first.stop();
    }
    const env = exchange.env;
    const swapped = {
      ...env,
      ACCT0_KEY: env['ACCT1_KEY']!,
      ACCT0_SECRET: env['ACCT1_SECRET']!,
      ACCT1_KEY: env['ACCT0_KEY']!,
      ACCT1_SECRET: env['ACCT0_SECRET']!,
    };
    const events: BridgeEvent[] = [];
    const second = await startBridge({
      servers: nats.url,
      id: 'second',
      accounts: accountsWith(swapped),
      leaseMs: 1_000,
      onEvent: (e) => events.push(e),
    });
    try {
      await eventually('both swapped names refused', () =>
        events.filter((e) => e.type === 'identity-mismatch').length === 2 ? true : undefined,
      );
      exchange.order('acct0', 1); // user A, named acct1 by the second bridge
      exchange.order('acct1', 1); // user B, named acct0 by the second bridge
      exchange.order('acct2', 0);
      await eventually('acct2 goes on', async () =>
        (await storedFor(nats.url, 'acct2')) === 4 ? true : undefined,
      );
      expect(await storedFor(nats.url, 'acct0')).toBe(4);
      expect(await storedFor(nats.url, 'acct1')).toBe(4);
      const mismatches = events.filter((e) => e.type === 'identity-mismatch');
      expect(mismatches.map((e) => e.account).sort()).toEqual(['acct0', 'acct1']);
      const text = JSON.stringify(events);
      for (const secret of Object.values(env)) expect(text).not.toContain(secret);
    } finally {
      await second.stop();
    }
  }, 40_000);
});
