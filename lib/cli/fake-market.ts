import {
  EMPTY,
  NEVER,
  concat,
  distinct,
  filter,
  map,
  merge,
  mergeMap,
  of,
  range,
  scan,
  takeWhile,
  tap,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { seededRandom } from '../util/random';
import { safeTimer } from '../util/safe-timer';
import { pushData } from '../testing/builders';
import type { FakeAccount, FakeServer } from '../testing/fake-server';
import { marketItem } from './demo-item';
import { demoSteps } from './demo-script';
import { paced } from './pace';

/** The longest round of a user's script; longer runs play round after round. @internal */
export const ROUND_MS = 45_000;
/** The mean time between two market steps of one user. @internal */
export const STEP_MS = 400;

/** What the markets tell the command. @internal */
export type MarketNote =
  | { readonly kind: 'open'; readonly user: number; readonly why: 'subscribed' | 'no client came' }
  | { readonly kind: 'dropped'; readonly user: number; readonly sockets: number }
  | { readonly kind: 'closed'; readonly user: number };

/** Options of {@link runMarkets}. @internal */
export interface MarketsOptions {
  readonly server: FakeServer;
  readonly users: readonly FakeAccount[];
  readonly seed: number;
  /** How long each market runs from its opening (0: for ever). */
  readonly durationMs: number;
  readonly scheduler: SchedulerLike;
}

/**
 * Runs every user's scripted market: the demo's seeded script (one seed per user), which opens
 * when a client first subscribes to the user's channel, so everything in the book happened while
 * someone could see it or reconcile it (REST histories are read per symbol: an order born and
 * ended before its symbol was ever seen cannot be found). With a duration, a market nobody
 * subscribes to opens after that duration anyway, and each market closes its duration after it
 * opened (the last quarter of each round is quiet, so reconciliation settles). Of the script's
 * faults only the dropped link is played: the others act on the whole server. Completes when
 * every market has closed (never without a duration).
 *
 * ```text
 * user 0:  ──subscribed──► open ─place─fill─(drop)─fill─cancel─···quiet···─ closed (duration)
 * user 1:  ─────────(nobody)──────────────── open at duration ─ ··· ─ closed
 * ```
 *
 * ## Example
 * ```ts
 * runMarkets({ server, users, seed: 7, durationMs: 60_000, scheduler: asyncScheduler })
 *   .subscribe({ next: (note) => console.log(note.kind, note.user), complete: () => void server.close() });
 * ```
 * @internal
 */
export function runMarkets(options: MarketsOptions): Observable<MarketNote> {
  const { server, users, seed, durationMs, scheduler } = options;
  const indexById = new Map(users.map((u, i) => [u.id, i]));
  const roundMs = durationMs === 0 ? ROUND_MS : Math.min(durationMs, ROUND_MS);
  const rounds = durationMs === 0 ? Infinity : Math.max(1, Math.floor(durationMs / roundMs));
  const subscribed$ = server.events$.pipe(
    map((e) => ({
      user: e.type === 'subscribed' ? indexById.get(e.account) : undefined,
      why: 'subscribed' as const,
    })),
    filter((o): o is { user: number; why: 'subscribed' } => o.user !== undefined),
  );
  const late$ =
    durationMs === 0
      ? EMPTY
      : safeTimer(durationMs, scheduler).pipe(
          mergeMap(() => range(0, users.length)),
          map((user) => ({ user, why: 'no client came' as const })),
        );
  const market = (user: number): Observable<MarketNote> => {
    const account = users[user]!;
    const steps = demoSteps(seededRandom(seed * 10_007 + user), { roundMs, rounds, stepMs: STEP_MS });
    const opened = scheduler.now();
    const played$ = paced(
      () => steps.next(),
      (step) => step.at - (scheduler.now() - opened),
      scheduler,
    ).pipe(
      tap((step) => {
        if (step.kind !== 'fault') server.publish(pushData(marketItem(step, scheduler.now())), { account });
      }),
      filter((step) => step.kind === 'fault' && step.fault === 'drop-link'),
      map((): MarketNote => ({ kind: 'dropped', user, sockets: server.dropConnections({ account }) })),
    );
    const closed$ =
      durationMs === 0
        ? NEVER
        : safeTimer(durationMs, scheduler).pipe(map((): MarketNote => ({ kind: 'closed', user })));
    // the script ends a little before its duration: the market stays open (quiet) until then
    return merge(played$, closed$).pipe(takeWhile((n) => n.kind !== 'closed', true));
  };
  return merge(subscribed$, late$).pipe(
    distinct((o) => o.user),
    mergeMap((o) => concat(of<MarketNote>({ kind: 'open', user: o.user, why: o.why }), market(o.user))),
    scan((acc, note) => ({ note, closed: acc.closed + (note.kind === 'closed' ? 1 : 0) }), {
      note: undefined as MarketNote | undefined,
      closed: 0,
    }),
    takeWhile((s) => s.closed < users.length, true),
    map((s) => s.note!),
  );
}
