import { fromJetStream } from '../../lib/bus';
import type { OrderStateSnapshot } from '../../lib/orders';
import { spawnBridge, type CliChild } from '../bus/support/child';
import { startExchange, type TestExchange } from '../bus/support/exchange';
import { eventually, leaseOwners, startNats, storedFor, type TestNats } from '../bus/support/nats-server';

// Two bridges (child processes running the CLI from the sources), six accounts on the fake
// exchange, a real nats-server -js. One bridge is killed with SIGKILL mid-stream.
const LEASE_MS = 2_000;

let nats: TestNats;
let exchange: TestExchange;
const children: CliChild[] = [];

beforeAll(async () => {
  nats = await startNats();
  exchange = await startExchange(6);
});
afterAll(async () => {
  for (const c of children)
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
  await exchange?.server.close();
  await nats?.stop();
});

function bridge(id: string): CliChild {
  const c = spawnBridge(nats.url, exchange.file, exchange.env, id, LEASE_MS);
  children.push(c);
  return c;
}

const owners = () => leaseOwners(nats.url, exchange.names, LEASE_MS);

it('a bridge killed with SIGKILL: its accounts are owned again within lease + 15 s, and every store equals its exchange', async () => {
  const a = bridge('bridge-a');
  const b = bridge('bridge-b');
  await Promise.all([a.line((l) => l.includes('"ready"')), b.line((l) => l.includes('"ready"'))]);

  // both up: all six owned, none above its fair share + 1, every account subscribed at the exchange
  const split = await eventually(
    'six accounts split between two bridges, every socket subscribed',
    async () => {
      const o = await owners();
      const counts = [...o.values()].reduce(
        (m, id) => m.set(id, (m.get(id) ?? 0) + 1),
        new Map<string, number>(),
      );
      const subscribed = exchange.names.every(
        (n) => exchange.server.subscribers(exchange.accountOf(n)) === 1,
      );
      return o.size === 6 && counts.size === 2 && subscribed ? counts : undefined;
    },
  );
  for (const n of split.values()) expect(n).toBeLessThanOrEqual(3 + 1);

  for (const name of exchange.names) for (let k = 0; k < 3; k++) exchange.order(name, k);
  // the bus knows every account (its orders and symbols) before the kill
  await eventually('the first orders of every account on the bus', async () => {
    const counts = await Promise.all(exchange.names.map((n) => storedFor(nats.url, n)));
    return counts.every((c) => c >= 12) || undefined;
  });
  const before = await owners();
  const killedAccounts = exchange.names.filter((n) => before.get(n) === 'bridge-a');
  // mid-stream: pushes in flight when bridge-a dies, more while nobody listens to its accounts
  for (const name of exchange.names) exchange.order(name, 3);
  a.child.kill('SIGKILL');
  const killedAt = Date.now();
  await a.exited;
  for (const name of exchange.names) for (let k = 4; k < 6; k++) exchange.order(name, k);

  await eventually(
    'every account owned by bridge-b',
    async () => {
      const o = await owners();
      return exchange.names.every((n) => o.get(n) === 'bridge-b') || undefined;
    },
    LEASE_MS + 15_000,
  );
  const takeoverMs = Date.now() - killedAt;
  expect(takeoverMs).toBeLessThan(LEASE_MS + 15_000);
  console.log(
    `takeover of ${killedAccounts.length} accounts: ${takeoverMs} ms after SIGKILL (lease ${LEASE_MS} ms)`,
  );

  await eventually(
    'bridge-b subscribed to every account',
    () => exchange.names.every((n) => exchange.server.subscribers(exchange.accountOf(n)) === 1) || undefined,
  );
  for (const name of exchange.names) for (let k = 6; k < 8; k++) exchange.order(name, k);

  const clients = exchange.names.map((name) => fromJetStream({ servers: nats.url, account: name }));
  const latest = new Map<string, OrderStateSnapshot>();
  const subs = clients.map((c, i) => c.orders$.subscribe((s) => latest.set(exchange.names[i]!, s)));
  try {
    let differences: string[] = [];
    await eventually(
      'every bus store equals its exchange',
      () => {
        differences = exchange.names.flatMap((n) => {
          const s = latest.get(n);
          return s ? exchange.differences(n, s) : [`${n}: no snapshot`];
        });
        return differences.length === 0 || undefined;
      },
      20_000,
      200,
    ).catch((e: unknown) => {
      throw new Error(
        `${String(e)}\n${differences.slice(0, 10).join('\n')}\nbridge-b:\n${b.lines.slice(-30).join('\n')}`,
      );
    });
    expect(differences).toEqual([]);
  } finally {
    subs.forEach((s) => s.unsubscribe());
    await Promise.all(clients.map((c) => c.close()));
  }
}, 60_000);
