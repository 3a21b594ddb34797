import { tap } from 'rxjs';
import { requestToken } from '../../lib/token/request-token';
import { privateChannel } from '../../lib/connection/private-channel';
import type { ConnectionStatus } from '../../lib/connection/types';
import { orderUpdates, type InvalidMessage } from '../../lib/orders';
import { newOrder } from '../../lib/testing/builders';
import { startFakeServer } from '../../lib/testing/fake-server';
import type { FakeServer } from '../../lib/testing/fake-server';
import type { InvalidFrameLine } from '../../lib/protocol/frames';
import { seededRandom } from '../../lib/util/random';

const SEED = Number(process.env['SOAK_SEED'] ?? Date.now() % 1_000_000);
const EVENTS = Number(process.env['SOAK_EVENTS'] ?? 600);
const FAULT_RATE = 0.12;

/** What the client saw, in order: status changes and the sequence numbers of order updates. */
type Seen = { status: ConnectionStatus } | { seq: number };

/** Waits (loopback round-trips only) until `check` holds; fails the test after `ms`. */
async function waitFor(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

type Fault = (server: FakeServer, random: () => number) => string;

const pick = <T>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
const codeIn = (random: () => number, from: number, to: number): number =>
  from + Math.floor(random() * (to - from + 1));

const FAULTS: readonly Fault[] = [
  (server) => (server.dropConnections(), 'dropped TCP'),
  (server) => (server.goSilent(), 'silence'),
  (server, random) => {
    const code = random() < 0.5 ? codeIn(random, 3000, 3499) : codeIn(random, 4000, 4499);
    server.disconnect(code, 'soak');
    return `close ${code}`;
  },
  (server, random) => {
    const status = pick(random, [503, 429]);
    const times = 1 + Math.floor(random() * 3);
    server.failNextTokenRequests(times, { status });
    server.dropConnections();
    return `token endpoint ${status} ×${times}`;
  },
  (server) => (server.expireTokensNow(), 'tokens expired'),
];

describe('soak: random faults, nothing lost', () => {
  let server: FakeServer;

  beforeAll(async () => {
    console.log(`soak seed ${SEED} (repeat with SOAK_SEED=${SEED})`);
    // Short intervals: pings every 20 ms, tokens live 1 s (ttl 1 leaves no room for the margin: refresh at 0.25 s), 50 ms grace after expiry.
    server = await startFakeServer({ pingIntervalMs: 20, tokenTtlSeconds: 1, expireGraceMs: 50 });
  });
  afterAll(() => server.close());

  it('delivers every event published while subscribed exactly once, in order; every gap is a disconnected → subscribed pair', async () => {
    const random = seededRandom(SEED);
    const seen: Seen[] = [];
    const badLines: InvalidFrameLine[] = [];
    const badItems: InvalidMessage[] = [];
    let subscribed = false;
    const statusTap = (status: ConnectionStatus): void => {
      seen.push({ status });
      if (status.state === 'subscribed') subscribed = true;
      if (status.state === 'disconnected') subscribed = false;
    };
    const sub = privateChannel({
      token$: requestToken(server.credentials, { restBaseUrl: server.restBaseUrl, timeoutMs: 2_000 }),
      wsUrl: server.wsUrl,
      reconnect: { minDelayMs: 5, maxDelayMs: 40, random },
      pingIntervalMs: 20,
      pingTimeoutMs: 80,
      requestTimeoutMs: 1_000,
      onInvalid: (line) => badLines.push(line),
    })
      .pipe(
        // Status messages are noted here, in order; orderUpdates() passes over them.
        tap((m) => m.type === 'status' && statusTap(m.status)),
        orderUpdates({ onInvalid: (p) => badItems.push(p) }),
      )
      .subscribe({
        next: (u) => seen.push({ seq: Number(u.order.orderId.replace('btcidr-limit-', '')) }),
        error: (e: unknown) => {
          throw e;
        },
      });

    const published: { seq: number; reached: number }[] = [];
    const faults: Record<string, number> = {};
    let rawSent = 0;
    const delivered = (): number => seen.filter((s) => 'seq' in s).length;
    const expected = (): number => published.filter((p) => p.reached > 0).length;

    await waitFor('the first subscribe', () => subscribed && server.subscribers() === 1);
    for (let seq = 0; seq < EVENTS; seq += 1) {
      const reached = server.publish([newOrder({ orderId: `btcidr-limit-${seq}` })]);
      published.push({ seq, reached });
      if (random() >= FAULT_RATE) continue;
      // Before a fault, let what was sent arrive: a fault must not eat a frame already on the wire.
      await waitFor('delivery before a fault', () => delivered() === expected());
      if (random() < 0.2) {
        rawSent += server.sendRaw('not json at all');
        await waitFor('the bad frame', () => badLines.length === rawSent);
        continue;
      }
      const mark = seen.length;
      const name = pick(random, FAULTS)(server, random);
      const kind = name.startsWith('close') ? 'close code' : name.replace(/ \d.*$/, '');
      faults[kind] = (faults[kind] ?? 0) + 1;
      // Publish into the gap: these reach nobody and count as missed.
      for (let i = 0; i < 1 + Math.floor(random() * 3); i += 1) {
        seq += 1;
        published.push({ seq, reached: server.publish([newOrder({ orderId: `btcidr-limit-${seq}` })]) });
      }
      // The client must notice (a refresh inside the expiry grace also saves the link).
      await waitFor(`the client noticing ${name}`, () =>
        seen.slice(mark).some((x) => 'status' in x && ['disconnected', 'refreshed'].includes(x.status.state)),
      );
      await waitFor(`the resubscribe after ${name}`, () => subscribed && server.subscribers() === 1);
      server.resume();
    }
    await waitFor('the last deliveries', () => delivered() === expected());
    sub.unsubscribe();

    const got = seen.flatMap((s) => ('seq' in s ? [s.seq] : []));
    const sent = published.filter((p) => p.reached > 0).map((p) => p.seq);
    const missed = published.filter((p) => p.reached === 0).map((p) => p.seq);
    console.log(
      `soak seed ${SEED}: ${published.length} published, ${got.length} delivered, ${missed.length} missed, ` +
        `faults ${JSON.stringify(faults)}, bad frames ${rawSent}, ` +
        `disconnects ${seen.filter((s) => 'status' in s && s.status.state === 'disconnected').length}`,
    );

    expect(got).toEqual(sent); // exactly once, in order
    expect(badItems).toEqual([]);
    expect(badLines).toHaveLength(rawSent);
    expect(Object.keys(faults).length).toBeGreaterThan(1);

    // Each run of missed events lies between a disconnected and a later subscribed.
    for (const m of missed) {
      const before = got.filter((s) => s < m).pop();
      const after = got.find((s) => s > m);
      const from = before === undefined ? 0 : seen.findIndex((s) => 'seq' in s && s.seq === before);
      const to = after === undefined ? seen.length : seen.findIndex((s) => 'seq' in s && s.seq === after);
      const states = seen.slice(from, to).flatMap((s) => ('status' in s ? [s.status.state] : []));
      const d = states.indexOf('disconnected');
      expect({ missed: m, pair: d >= 0 && states.indexOf('subscribed', d) > d }).toEqual({
        missed: m,
        pair: true,
      });
    }
  }, 60_000);
});
