import { concatMap } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createServerClock } from '../../lib/rest/clock';
import { createTokenBucket } from '../../lib/rest/limiter';

const scheduler = () => new TestScheduler((a, b) => expect(a).toEqual(b));
const httpDate = (ms: number) => new Date(ms).toUTCString();

describe('createServerClock', () => {
  it('ignores skews the second-resolution header cannot tell', () => {
    const s = scheduler();
    s.frame = 1_700_000_000_400;
    const clock = createServerClock(s);
    expect(clock.observe(httpDate(s.frame), s.frame)).toBe(false); // same second
    expect(clock.observe(httpDate(s.frame + 900), s.frame)).toBe(false);
    expect(clock.observe(undefined, s.frame)).toBe(false);
    expect(clock.observe('not a date', s.frame)).toBe(false);
    expect(clock.offsetMs()).toBe(0);
    expect(clock.now()).toBe(s.frame);
  });

  it('corrects with the lower bound, never ahead of the server', () => {
    const s = scheduler();
    s.frame = 1_700_000_000_400;
    const clock = createServerClock(s);
    const serverNow = s.frame + 5_000; // we are 5 s behind; the header says ...05 s (floored)
    expect(clock.observe(httpDate(serverNow), s.frame)).toBe(true);
    expect(clock.offsetMs()).toBe(4_600);
    expect(clock.now()).toBeLessThanOrEqual(serverNow);
    expect(serverNow - clock.now()).toBeLessThan(1_000);
    // a consistent second reading does not move it; a return to sync clears it
    expect(clock.observe(httpDate(serverNow), s.frame)).toBe(false);
    expect(clock.observe(httpDate(s.frame), s.frame)).toBe(true);
    expect(clock.offsetMs()).toBe(0);
  });

  it('corrects a clock that runs ahead', () => {
    const s = scheduler();
    s.frame = 1_700_000_000_000;
    const clock = createServerClock(s);
    expect(clock.observe(httpDate(s.frame - 3_000), s.frame)).toBe(true);
    expect(clock.offsetMs()).toBe(-3_000);
  });
});

describe('createTokenBucket', () => {
  it('lets a burst through, then spaces requests at the rate, on the scheduler', () => {
    const s = scheduler();
    s.run(({ expectObservable }) => {
      const bucket = createTokenBucket({ perSecond: 2, burst: 2 }, s);
      for (let i = 0; i < 2; i++) expectObservable(bucket.take()).toBe('(a|)', { a: undefined });
      expectObservable(bucket.take()).toBe('500ms (a|)', { a: undefined });
      expectObservable(bucket.take()).toBe('1000ms (a|)', { a: undefined });
    });
  });

  it('refills while idle, up to the burst', () => {
    const s = scheduler();
    s.run(({ expectObservable, cold }) => {
      const bucket = createTokenBucket({ perSecond: 1, burst: 1 }, s);
      const takeAt = (ms: number) => cold(`${ms}ms x|`).pipe(concatMap(() => bucket.take()));
      expectObservable(bucket.take()).toBe('(a|)', { a: undefined });
      expectObservable(takeAt(3000)).toBe('3000ms a|', { a: undefined }); // refilled: at once
      expectObservable(takeAt(3000)).toBe('4000ms (a|)', { a: undefined }); // burst 1: one second later
    });
  });
});
