import { createOrderState, reduceOrderState, type OrderStateSnapshot } from '../../lib/orders';
import { done, newOrder } from '../../lib/testing/builders';
import { updateOf } from '../../lib/testing/marbles';
import { deepFreeze } from './freeze';

const terminalIds = (s: OrderStateSnapshot): string[] =>
  s.internals.terminal.log.slice(s.internals.terminal.head, s.internals.terminal.tail);
const view = (s: OrderStateSnapshot): string =>
  JSON.stringify({ ids: [...s.orders.keys()].sort(), terminal: terminalIds(s), v: s.version });

/** `n` orders opened and done one after the other, ids `${prefix}-limit-${i}`. */
function fold(from: OrderStateSnapshot, prefix: string, n: number, keep: (s: OrderStateSnapshot) => void) {
  let s = from;
  for (let i = 0; i < n; i++) {
    const orderId = `${prefix}-limit-${i}`;
    s = reduceOrderState(s, updateOf(newOrder({ orderId, transactionTime: 1000 + i })));
    s = reduceOrderState(s, updateOf(done({ orderId, transactionTime: 1000 + i })));
    keep(s);
  }
  return s;
}

describe('the terminal queue over many evictions (compaction of its log)', () => {
  it('keeps the newest orders, and no older snapshot or branch changes', () => {
    const kept: [OrderStateSnapshot, string][] = [];
    let step = 0;
    const remember = (s: OrderStateSnapshot) => {
      if (step++ % 97 === 0) kept.push([s, view(s)]);
    };
    const start = createOrderState({ maxTerminalOrders: 10, maxForgotten: 50 });
    const last = fold(start, 'a', 3000, remember);
    // The straightforward answer: the ten newest done orders, oldest first.
    const newest = Array.from({ length: 10 }, (_, i) => `a-limit-${2990 + i}`);
    expect(terminalIds(last)).toEqual(newest);
    expect([...last.orders.keys()].sort()).toEqual([...newest].sort());
    // A branch from an old snapshot (past many compactions) evicts on its own.
    const [old] = kept[kept.length >> 1] ?? [];
    if (!old) throw new Error('no snapshot kept');
    const branch = fold(old, 'b', 1500, () => undefined);
    expect(terminalIds(branch)).toEqual(Array.from({ length: 10 }, (_, i) => `b-limit-${1490 + i}`));
    // The main line goes on after the branch, and nothing anyone held changed.
    fold(last, 'c', 1200, () => undefined);
    for (const [s, before] of kept) expect(view(s)).toBe(before);
    expect(terminalIds(last)).toEqual(newest);
  });
});

describe('deep-frozen snapshots (a user freezing every state it gets)', () => {
  it('keep appending to the shared logs in place, without a copy per eviction', () => {
    let s = deepFreeze(createOrderState({ maxTerminalOrders: 10, maxForgotten: 50 }));
    s = fold(s, 'warm', 20, () => undefined);
    const terminalLog = s.internals.terminal.log;
    const forgottenIds = s.internals.forgotten.log.ids;
    let frozen = s;
    for (let i = 0; i < 30; i++) {
      const orderId = `f-limit-${i}`;
      frozen = deepFreeze(
        reduceOrderState(frozen, updateOf(newOrder({ orderId, transactionTime: 5000 + i }))),
      );
      frozen = deepFreeze(reduceOrderState(frozen, updateOf(done({ orderId, transactionTime: 5000 + i }))));
    }
    // The same arrays, appended to: freezing a snapshot does not reach them.
    expect(frozen.internals.terminal.log).toBe(terminalLog);
    expect(frozen.internals.forgotten.log.ids).toBe(forgottenIds);
    expect(terminalIds(frozen)).toEqual(Array.from({ length: 10 }, (_, i) => `f-limit-${20 + i}`));
    expect(frozen.orders.size).toBe(10);
  });
});
