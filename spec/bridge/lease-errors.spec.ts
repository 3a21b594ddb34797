import { TestScheduler } from 'rxjs/testing';
import { NatsTimeoutError, within } from '../../lib/bridge/lease-errors';

/** A promise settled from outside, at a virtual time of the test's choosing. */
function later<T>() {
  let resolve: (v: T) => void = () => undefined;
  let reject: (e: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('within (a NATS call, bounded on the scheduler)', () => {
  /** Runs `within` with settling at `settleAt` (or never) and a bound of 100; what it came to, and when. */
  async function outcome(
    settle: ((p: ReturnType<typeof later<number>>) => void) | undefined,
    settleAt: number,
  ) {
    const scheduler = new TestScheduler(() => undefined);
    const call = later<number>();
    let settledAt = -1;
    const result = within(call.promise, 100, scheduler, 'renew acct0').then(
      (v) => `value ${v}`,
      (e: unknown) => (e instanceof NatsTimeoutError ? `timeout: ${e.message}` : `error: ${String(e)}`),
    );
    if (settle) scheduler.schedule(() => settle(call), settleAt);
    // virtual time, one step at a time, letting promise callbacks run after each: the first
    // step after which the result is settled is when `within` settled
    let done = false;
    void result.then(() => (done = true));
    for (let t = 0; t <= 200 && !done; t += 1) {
      scheduler.maxFrames = t;
      scheduler.flush();
      for (let i = 0; i < 3; i++) await Promise.resolve();
      if (done) settledAt = t;
    }
    return { said: await result, settledAt };
  }

  it('gives the value when the call answers in time', async () => {
    expect(await outcome((c) => c.resolve(7), 40)).toEqual({ said: 'value 7', settledAt: 40 });
  });

  it('passes the call’s own failure through', async () => {
    expect(await outcome((c) => c.reject(new Error('conflict')), 40)).toEqual({
      said: 'error: Error: conflict',
      settledAt: 40,
    });
  });

  it('fails with NatsTimeoutError at the bound when the call never answers, naming what', async () => {
    expect(await outcome(undefined, 0)).toEqual({
      said: 'timeout: renew acct0: no answer from NATS within 100 ms',
      settledAt: 100,
    });
  });

  it('an answer after the bound changes nothing', async () => {
    expect(await outcome((c) => c.resolve(7), 150)).toEqual({
      said: 'timeout: renew acct0: no answer from NATS within 100 ms',
      settledAt: 100,
    });
  });
});
