import { Subject, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { runMarkets, type MarketNote } from '../../lib/cli/fake-market';
import type { FakeAccount, FakeServer, FakeServerEvent } from '../../lib/testing/fake-server';

// runMarkets in virtual time, over a stand-in for the fake server (its events, publish, drops).
function setup(durationMs: number) {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
  const events$ = new Subject<FakeServerEvent>();
  const published: { user: string; at: number; status: string }[] = [];
  const server = {
    events$,
    publish: (data: unknown, options: { account: FakeAccount }) => {
      const [item] = data as { order: { status: string } }[];
      published.push({ user: options.account.id, at: scheduler.now(), status: item!.order.status });
      return 1;
    },
    dropConnections: () => 2,
  } as unknown as FakeServer;
  const users = [{ id: 'u0' }, { id: 'u1' }] as FakeAccount[];
  const notes: (MarketNote & { at: number })[] = [];
  let completed = false;
  const subscription = runMarkets({ server, users, seed: 3, durationMs, scheduler }).subscribe({
    next: (n) => notes.push({ ...n, at: scheduler.now() }),
    complete: () => (completed = true),
  });
  const subscribe = (account: string, at: number) =>
    scheduler.schedule(() => events$.next({ type: 'subscribed', connection: 1, account }), at);
  return { scheduler, published, notes, completed: () => completed, subscribe, subscription };
}

describe('runMarkets', () => {
  it('a market opens at its first subscription (or after the duration), runs the duration, then all close', () => {
    const t = setup(10_000);
    t.subscribe('u0', 1_000);
    t.subscribe('u0', 1_500); // a second subscription opens nothing more
    t.subscribe('nobody', 2_000); // not one of the users
    t.scheduler.flush();
    expect(t.notes).toEqual([
      { kind: 'open', user: 0, why: 'subscribed', at: 1_000 },
      { kind: 'dropped', user: 0, sockets: 2, at: 3_500 }, // a quarter into its round
      { kind: 'open', user: 1, why: 'no client came', at: 10_000 },
      { kind: 'closed', user: 0, at: 11_000 },
      { kind: 'dropped', user: 1, sockets: 2, at: 12_500 },
      { kind: 'closed', user: 1, at: 20_000 },
    ]);
    expect(t.completed()).toBe(true);
    const of = (user: string) => t.published.filter((p) => p.user === user);
    // each market publishes between its opening and the quiet last quarter of its round
    expect(of('u0').length).toBeGreaterThan(5);
    expect(Math.min(...of('u0').map((p) => p.at))).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...of('u0').map((p) => p.at))).toBeLessThanOrEqual(1_000 + 7_500 + 100);
    expect(Math.min(...of('u1').map((p) => p.at))).toBeGreaterThanOrEqual(10_000);
    // the same seed and duration: the same script for a user, wherever it starts
    expect(of('u0').map((p) => p.status)).toEqual(setupStatuses());
  });

  it('without a duration: markets open only on subscription and never close', () => {
    const t = setup(0);
    t.subscribe('u1', 500);
    t.scheduler.schedule(() => t.subscription.unsubscribe(), 100_000);
    t.scheduler.flush();
    expect(t.notes.filter((n) => n.kind === 'open')).toEqual([
      { kind: 'open', user: 1, why: 'subscribed', at: 500 },
    ]);
    expect(t.notes.some((n) => n.kind === 'closed')).toBe(false);
    expect(t.notes.filter((n) => n.kind === 'dropped').map((n) => n.at)).toEqual([
      500 + 11_250,
      500 + 56_250,
    ]);
    expect(t.published.every((p) => p.user === 'u1')).toBe(true);
    expect(t.completed()).toBe(false);
  });
});

/** User 0's statuses when its market opens at 0 instead. */
function setupStatuses(): string[] {
  const t = setup(10_000);
  t.subscribe('u0', 0);
  t.scheduler.flush();
  return t.published.filter((p) => p.user === 'u0').map((p) => p.status);
}
