import { filter, firstValueFrom, map, startWith, take, type Observable } from 'rxjs';
import type { FakeAccount } from './fake-accounts';
import type { FakeSession } from './fake-centrifugo';
import type { FakeConnectionInfo, FakeServerStats } from './fake-server-types';

const pushLine = (account: FakeAccount, data: unknown): string =>
  JSON.stringify({ push: { channel: account.channel, pub: { data } } });

/**
 * The fake server's open connections, indexed by account, and the way pushes reach them.
 * @internal
 */
export class FakeHub {
  private readonly sessions = new Set<FakeSession>();
  private readonly byAccount = new Map<string, Set<FakeSession>>();
  private readonly batches = new Map<FakeSession, string[]>();

  add(session: FakeSession): void {
    this.sessions.add(session);
  }

  /** Indexes a session under its account once `connect` succeeded. */
  connected(session: FakeSession): void {
    const id = session.account?.id;
    if (id === undefined) return;
    const set = this.byAccount.get(id) ?? new Set<FakeSession>();
    set.add(session);
    this.byAccount.set(id, set);
  }

  forget(session: FakeSession): void {
    this.sessions.delete(session);
    this.batches.delete(session);
    const id = session.account?.id;
    const set = id === undefined ? undefined : this.byAccount.get(id);
    set?.delete(session);
    if (id !== undefined && set?.size === 0) this.byAccount.delete(id);
  }

  /** The account's connected sessions, or every open session. */
  of(account: FakeAccount | undefined): FakeSession[] {
    return account === undefined ? [...this.sessions] : [...(this.byAccount.get(account.id) ?? [])];
  }

  /** Writes one push to the account's subscribed sessions (or holds it for this tick's batch). */
  publish(account: FakeAccount, data: unknown, batch: boolean): number {
    const line = pushLine(account, data);
    let delivered = 0;
    for (const session of this.byAccount.get(account.id) ?? []) {
      if (!session.subscribed || session.silent) continue;
      if (!batch) {
        if (session.push(line)) delivered += 1;
        continue;
      }
      if (this.batches.size === 0) queueMicrotask(() => this.flush());
      const lines = this.batches.get(session) ?? [];
      lines.push(line);
      this.batches.set(session, lines);
      delivered += 1;
    }
    return delivered;
  }

  /** Writes several pushes as ONE frame to the account's subscribed sessions. */
  publishBatch(account: FakeAccount, datas: readonly unknown[]): number {
    const frame = datas.map((data) => pushLine(account, data)).join('\n');
    let delivered = 0;
    for (const session of this.byAccount.get(account.id) ?? []) if (session.push(frame)) delivered += 1;
    return delivered;
  }

  subscribers(account: FakeAccount): number {
    let n = 0;
    for (const session of this.byAccount.get(account.id) ?? []) if (session.subscribed) n += 1;
    return n;
  }

  /** `openSockets`, `connected` and `subscribed` of the stats. */
  census(): { openSockets: number; connected: number; subscribed: number } {
    let connected = 0;
    let subscribed = 0;
    for (const s of this.sessions) {
      if (s.state === 'connected') connected += 1;
      if (s.subscribed) subscribed += 1;
    }
    return { openSockets: this.sessions.size, connected, subscribed };
  }

  connections(): FakeConnectionInfo[] {
    return [...this.sessions].map((s) => ({
      id: s.id,
      state: s.state,
      account: s.account?.id,
      client: s.client,
      subscribed: s.subscribed,
      silent: s.silent,
      framePing: s.framePing,
    }));
  }

  private flush(): void {
    for (const [session, lines] of this.batches) if (lines.length > 0) session.push(lines.join('\n'));
    this.batches.clear();
  }
}

/**
 * Resolves with the stats once `predicate` holds: checked at once and after every event.
 * @internal
 */
export function untilStats(
  events$: Observable<unknown>,
  stats: () => FakeServerStats,
  predicate: (s: FakeServerStats) => boolean,
  timeoutMs: number | undefined,
  setTimer: (fn: () => void, ms: number) => () => void,
): Promise<FakeServerStats> {
  const met = firstValueFrom(
    events$.pipe(
      startWith(undefined),
      map(() => stats()),
      filter(predicate),
      take(1),
    ),
    { defaultValue: undefined },
  ).then((s) => {
    if (s === undefined) throw new Error('fake server: closed before the condition held');
    return s;
  });
  if (timeoutMs === undefined) return met;
  return new Promise((resolve, reject) => {
    const cancel = setTimer(
      () =>
        reject(
          new Error(`fake server: condition not met within ${timeoutMs} ms: ${JSON.stringify(stats())}`),
        ),
      timeoutMs,
    );
    met.then(
      (s) => {
        cancel();
        resolve(s);
      },
      (e: unknown) => {
        cancel();
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
