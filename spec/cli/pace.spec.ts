import { TestScheduler } from 'rxjs/testing';
import { paced } from '../../lib/cli/pace';
import { MAX_TIMER_MS } from '../../lib/util/safe-timer';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('paced', () => {
  it('emits each item after its delay (a 5, b 0, c 10), the next pulled after the previous was emitted', () => {
    const ts = scheduler();
    ts.run(({ expectObservable }) => {
      const items = [
        { v: 'a', d: 5 },
        { v: 'b', d: 0 },
        { v: 'c', d: 10 },
      ];
      let i = 0;
      const out = paced<{ v: string; d: number }>(
        () =>
          i < items.length
            ? { done: false as const, value: items[i++] as { v: string; d: number } }
            : { done: true as const, value: undefined },
        (item) => item.d,
        ts,
      );
      expectObservable(out, '^ 30ms !').toBe('5ms (ab) 6ms (c|)', { a: items[0], b: items[1], c: items[2] });
    });
  });

  it('waits longer than a Node timer can, through safeTimer', () => {
    const ts = scheduler();
    ts.run(({ expectObservable }) => {
      let pulled = false;
      const out = paced(
        () => (pulled ? { done: true, value: undefined } : ((pulled = true), { done: false, value: 'x' })),
        () => MAX_TIMER_MS + 5,
        ts,
      );
      expectObservable(out).toBe(`${MAX_TIMER_MS + 5}ms (x|)`);
    });
  });

  it('an item pulled asynchronously (a file line) is emitted too', async () => {
    const lines = ['1', '2', '3'];
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) =>
      paced<string>(
        () =>
          Promise.resolve(
            lines.length > 0
              ? { done: false as const, value: lines.shift() as string }
              : { done: true as const, value: undefined },
          ),
        () => 0,
        new TestScheduler(() => undefined),
      ).subscribe({ next: (l) => seen.push(l), error: reject, complete: resolve }),
    );
    expect(seen).toEqual(['1', '2', '3']);
  });
});
