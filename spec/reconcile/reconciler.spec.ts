import { TestScheduler } from 'rxjs/testing';
import { map, of, type Observable } from 'rxjs';
import { reconciliation, type ReconciliationOutput } from '../../lib/reconcile/reconciler';
import type { RestOrderFact } from '../../lib/reconcile/facts';
import type { ReconcileSource } from '../../lib/reconcile/source';
import type { ConnectionStatus } from '../../lib/protocol/messages';
import { TradeApiError } from '../../lib/rest/error';

const S: ConnectionStatus = { state: 'subscribed', channel: 'c' };
const D: ConnectionStatus = { state: 'disconnected', reason: 'x', retryInMs: 1 };

/** One letter per output: s started, f failed, t terminal failure, x findings, c completed. */
const letter = (o: ReconciliationOutput): string =>
  o.kind === 'findings'
    ? 'x'
    : o.event.type === 'started'
      ? 's'
      : o.event.type === 'completed'
        ? 'c'
        : o.event.terminal
          ? 't'
          : 'f';

/** A source whose open orders come from `answers()` (a marble per call); nothing else to read. */
const source = (answers: () => Observable<readonly RestOrderFact[]>): ReconcileSource => ({
  openOrders: answers,
  closedOrders: () => of([]),
  trades: () => of([]),
});

describe('reconciliation (marbles)', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => (testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b))));

  it('reads after the first subscribed and after each reconnect, and completes with the status stream', () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const answer = cold('  -----(a|)', { a: [] });
      const status$ = hot('  s 99ms d 49ms s 20ms |', { s: S, d: D });
      const subs = [' ^----!', '150ms ^----!'];
      const expected = '     s----(xc) 141ms s----(xc) 12ms |';
      const out$ = reconciliation(status$, {
        source: source(() => answer),
        known$: of([]),
        scheduler: testScheduler,
        checkEveryMs: 0,
      });
      expectObservable(out$.pipe(map(letter))).toBe(expected, { s: 's', x: 'x', c: 'c' });
      expectSubscriptions(answer.subscriptions).toBe(subs);
    });
  });

  it('retries a failed read after the backoff, one subscription per attempt, and never errors', () => {
    testScheduler.run(({ hot, cold, time, expectObservable, expectSubscriptions }) => {
      const failing = cold<RestOrderFact[]>('-#', undefined, new Error('HTTP 503'));
      const ok = cold('     -(a|)', { a: [] });
      const delay = time('  ----------|'); // 10 ms
      let attempt = 0;
      const status$ = hot(' s', { s: S });
      const expected = '    sf 9ms - f 9ms - (xc)';
      const out$ = reconciliation(status$, {
        source: source(() => (attempt++ < 2 ? failing : ok)),
        known$: of([]),
        scheduler: testScheduler,
        checkEveryMs: 0,
        minDelayMs: delay,
        maxDelayMs: delay,
        random: () => 0,
      });
      expectObservable(out$.pipe(map(letter))).toBe(expected, { s: 's', f: 'f', x: 'x', c: 'c' });
      expectSubscriptions(failing.subscriptions).toBe(['^!', '11ms ^!']);
      expectSubscriptions(ok.subscriptions).toBe(['22ms ^!']);
    });
  });

  it('coalesces gaps that open during a read into one more read', () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const answer = cold('  --------------------(a|)', { a: [] });
      const status$ = hot('  s 4ms d s 2ms d s', { s: S, d: D });
      const expected = '     s 19ms (xcs) 15ms (xc)';
      const out$ = reconciliation(status$, {
        source: source(() => answer),
        known$: of([]),
        scheduler: testScheduler,
        checkEveryMs: 0,
      });
      expectObservable(out$.pipe(map(letter))).toBe(expected, { s: 's', x: 'x', c: 'c' });
      expectSubscriptions(answer.subscriptions).toBe(['^-------------------!', '20ms ^-------------------!']);
    });
  });

  it('stops for good on a missing permission (one terminal failed), while the status stream goes on', () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const denied = cold<RestOrderFact[]>(
        '-#',
        undefined,
        new TradeApiError('invalid_credentials', 'no', false, 'tapi:openOrders'),
      );
      const status$ = hot(' s 9ms d s 9ms |', { s: S, d: D });
      const expected = '    st 19ms |';
      const out$ = reconciliation(status$, {
        source: source(() => denied),
        known$: of([]),
        scheduler: testScheduler,
        checkEveryMs: 0,
      });
      expectObservable(out$.pipe(map(letter))).toBe(expected, { s: 's', t: 't' });
      expectSubscriptions(denied.subscriptions).toBe(['^!']);
    });
  });

  it('checks every checkEveryMs while subscribed, on the scheduler, and stops with the status stream', () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const answer = cold('  -(a|)', { a: [] });
      const status$ = hot('  s 34ms |', { s: S });
      // the start, then a check at 10, 20 and 30 ms: each one open-orders read, nothing to fold
      const expected = '     s(xc) 5ms s(xc) 5ms s(xc) 5ms s(xc) |';
      const out$ = reconciliation(status$, {
        source: source(() => answer),
        known$: of([]),
        scheduler: testScheduler,
        checkEveryMs: 10,
      });
      expectObservable(out$.pipe(map(letter))).toBe(expected, { s: 's', x: 'x', c: 'c' });
      expectSubscriptions(answer.subscriptions).toBe(['^!', '10ms ^!', '20ms ^!', '30ms ^!']);
    });
  });

  it('a disconnect stops the checks; the next subscribed starts them again', () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const answer = cold('  (a|)', { a: [] });
      const status$ = hot('  s 11ms d 19ms s 22ms |', { s: S, d: D });
      // start at 0, check at 10; down at 12 (no check at 20 or 30); reconnect at 32, checks at 40 and 50
      const expected = '     (sxc) 5ms (sxc) 17ms (sxc) 3ms (sxc) 5ms (sxc) |';
      const out$ = reconciliation(status$, {
        source: source(() => answer),
        known$: of([]),
        scheduler: testScheduler,
        checkEveryMs: 10,
      });
      expectObservable(out$.pipe(map(letter))).toBe(expected, { s: 's', x: 'x', c: 'c' });
    });
  });

  it('unsubscribing cancels the read in flight', () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const answer = cold('  ----------(a|)', { a: [] });
      const status$ = hot('  s', { s: S });
      const out$ = reconciliation(status$, {
        source: source(() => answer),
        known$: of([]),
        scheduler: testScheduler,
        checkEveryMs: 0,
      });
      expectObservable(out$.pipe(map(letter)), '^----!').toBe('s', { s: 's' });
      expectSubscriptions(answer.subscriptions).toBe(['^----!']);
    });
  });
});
