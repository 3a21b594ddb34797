import { TestScheduler } from 'rxjs/testing';
import { Observable, of } from 'rxjs';
import { reconciliation, type ReconciliationOutput } from '../../lib/reconcile/reconciler';
import type { ReconcileSource } from '../../lib/reconcile/source';
import type { ConnectionStatus } from '../../lib/connection/types';

const S: ConnectionStatus = { state: 'subscribed', channel: 'c' };
const D: ConnectionStatus = { state: 'disconnected', reason: 'x', retryInMs: 1 };

describe('reconciliation (marbles)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((a, b) => expect(a).toEqual(b))));

  /** A source whose openOrders answer after `delay` ms (virtual), failing `failures` times first. */
  const src = (delay: number, failures = 0): ReconcileSource & { windows: number[][] } => {
    const windows: number[][] = [];
    let left = failures;
    return {
      windows,
      openOrders: () =>
        new Observable((s) => {
          if (left-- > 0) {
            s.error(new Error('HTTP 503'));
            return;
          }
          return scheduler.schedule(() => {
            s.next([]);
            s.complete();
          }, delay);
        }),
      closedOrders: (_symbol, from, to) => {
        windows.push([from, to]);
        return of([]);
      },
      fills: () => of([]),
    };
  };
  const summary = (o: ReconciliationOutput) =>
    o.kind === 'findings'
      ? 'findings'
      : o.event.type === 'failed'
        ? `failed:${o.event.retryInMs}`
        : `${o.event.type}:${o.event.type === 'started' ? `${o.event.reason}:${o.event.from}-${o.event.to}` : o.event.type === 'completed' ? o.event.gapMs : ''}`;

  it('runs after the first subscribe and after each reconnect, over the gap window', () => {
    scheduler.run(({ hot }) => {
      // subscribed at 0, disconnected at 100, subscribed again at 150
      const status$ = hot<ConnectionStatus>('s 99ms d 49ms s', { s: S, d: D });
      const out$ = reconciliation(status$, {
        source: src(5),
        known: () => [],
        scheduler,
        lookbackMs: 1000,
        marginMs: 10,
      });
      const seen: string[] = [];
      out$.subscribe((o) => seen.push(`${scheduler.now()}:${summary(o)}`));
      scheduler.flush();
      expect(seen).toEqual([
        '0:started:start:-1000-0',
        '5:findings',
        '5:completed:0',
        '150:started:reconnect:90-150',
        '155:findings',
        '155:completed:50',
      ]);
    });
  });

  it('coalesces gaps that open while one runs into one more run', () => {
    scheduler.run(({ hot }) => {
      // runs take 20 ms; two reconnects arrive during the first run
      const status$ = hot<ConnectionStatus>('s 4ms d s 2ms d s', { s: S, d: D });
      const out$ = reconciliation(status$, {
        source: src(20),
        known: () => [],
        scheduler,
        lookbackMs: 0,
        marginMs: 0,
      });
      const seen: string[] = [];
      out$.subscribe((o) => seen.push(`${scheduler.now()}:${summary(o)}`));
      scheduler.flush();
      expect(seen).toEqual([
        '0:started:start:0-0',
        '20:findings',
        '20:completed:0',
        '20:started:reconnect:5-20',
        '40:findings',
        '40:completed:15',
      ]);
    });
  });

  it('retries a failed run with backoff and never errors', () => {
    scheduler.run(({ hot }) => {
      const status$ = hot<ConnectionStatus>('s', { s: S });
      const out$ = reconciliation(status$, {
        source: src(0, 2),
        known: () => [],
        scheduler,
        minDelayMs: 100,
        maxDelayMs: 1000,
        random: () => 0,
      });
      const seen: string[] = [];
      out$.subscribe({
        next: (o) => seen.push(`${scheduler.now()}:${summary(o)}`),
        error: () => seen.push('error'),
      });
      scheduler.flush();
      expect(seen).toEqual([
        expect.stringMatching(/^0:started:start/),
        '0:failed:100',
        '100:failed:100',
        '200:findings',
        '200:completed:0',
      ]);
    });
  });
});
