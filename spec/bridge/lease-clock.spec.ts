import { spawnBridge, type CliChild } from '../bus/support/child';
import { startExchange, type TestExchange } from '../bus/support/exchange';
import { eventually, leaseOwners, startNats, type TestNats } from '../bus/support/nats-server';

// Two bridges whose clocks are 30 s ahead and 30 s behind (a shifted Date.now in each child),
// a real nats-server: ownership stays put, and a SIGKILLed bridge's accounts are taken over
// within lease + 5 s. Expiry is judged on each bridge's own clock, never against server stamps.
const LEASE_MS = 2_000;
const SHIFT_MS = 30_000;

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

function bridge(id: string, shiftMs: number): CliChild {
  const env = { ...exchange.env, INDODAX_PWS_TEST_CLOCK_SHIFT_MS: String(shiftMs) };
  const c = spawnBridge(nats.url, exchange.file, env, id, LEASE_MS);
  children.push(c);
  return c;
}

const owners = () => leaseOwners(nats.url, exchange.names, LEASE_MS);

const changes = (c: CliChild) => c.lines.filter((l) => /"type":"(claimed|released|lost)"/.test(l)).length;

it('clocks 30 s ahead and behind: ownership stays put; after SIGKILL the other takes over within lease + 5 s', async () => {
  const ahead = bridge('ahead', SHIFT_MS);
  const behind = bridge('behind', -SHIFT_MS);
  await Promise.all([ahead.line((l) => l.includes('"ready"')), behind.line((l) => l.includes('"ready"'))]);
  await eventually('six accounts split between the two bridges', async () => {
    const o = await owners();
    const split = new Set(o.values());
    return o.size === 6 && split.size === 2 ? true : undefined;
  });
  const settled = [changes(ahead), changes(behind)];
  // an observation window, not a wait for something: three whole leases in which nothing may change hands
  await new Promise((resolve) => setTimeout(resolve, 3 * LEASE_MS));
  expect([changes(ahead), changes(behind)]).toEqual(settled);
  expect([...ahead.lines, ...behind.lines].filter((l) => l.includes('"lost"'))).toEqual([]);
  expect((await owners()).size).toBe(6);

  ahead.child.kill('SIGKILL');
  const killedAt = Date.now();
  await ahead.exited;
  await eventually(
    'every account owned by the bridge 30 s behind',
    async () => {
      const o = await owners();
      return exchange.names.every((n) => o.get(n) === 'behind') || undefined;
    },
    LEASE_MS + 5_000,
    50,
  );
  const takeoverMs = Date.now() - killedAt;
  expect(takeoverMs).toBeLessThan(LEASE_MS + 5_000);
  console.log(`clock skew ±${SHIFT_MS} ms: takeover ${takeoverMs} ms after SIGKILL (lease ${LEASE_MS} ms)`);
}, 60_000);
