import { TestScheduler } from 'rxjs/testing';
import { MAX_TIMER_MS, safeTimer } from '../../lib/util/safe-timer';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('safeTimer', () => {
  it('is a plain timer up to 2^31−1 ms', () => {
    scheduler().run(({ expectObservable }) => {
      expectObservable(safeTimer(5)).toBe('-----(0|)', { 0: 0 });
      expectObservable(safeTimer(-3)).toBe('(0|)', { 0: 0 });
      expectObservable(safeTimer(Number.NaN)).toBe('(0|)', { 0: 0 });
    });
  });

  it('waits a longer delay in chunks, each within what a Node timer honours', () => {
    const ts = scheduler();
    const delays: number[] = [];
    const original = ts.schedule.bind(ts);
    ts.schedule = ((work: never, delay?: number, state?: never) => {
      delays.push(delay ?? 0);
      return original(work, delay, state);
    }) as typeof ts.schedule;
    ts.run(({ expectObservable }) => {
      const total = 3 * MAX_TIMER_MS + 7;
      expectObservable(safeTimer(total, ts)).toBe(`${total}ms (0|)`, { 0: 0 });
    });
    expect(delays.length).toBeGreaterThanOrEqual(4);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
  });

  it('never fires for an infinite delay', () => {
    scheduler().run(({ expectObservable }) => {
      expectObservable(safeTimer(Number.POSITIVE_INFINITY), `${5 * MAX_TIMER_MS}ms !`).toBe('');
    });
  });
});
