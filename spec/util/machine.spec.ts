import { Subject } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { machine, runMachine, type Step } from '../../lib/util/machine';

type Ev = { readonly type: 'add'; readonly n: number } | { readonly type: 'echo'; readonly n: number };
type Fx = { readonly type: 'log'; readonly text: string } | { readonly type: 'raise'; readonly event: Ev };

const step: Step<number, Ev, Fx> = (total, event) => {
  switch (event.type) {
    case 'add':
      return [
        total + event.n,
        [
          { type: 'raise', event: { type: 'echo', n: event.n } },
          { type: 'log', text: `added ${event.n}` },
        ],
      ];
    case 'echo':
      return [total, [{ type: 'log', text: `echo ${event.n} at ${total}` }]];
  }
};

describe('runMachine', () => {
  it('steps each event and performs its effects in order', () => {
    const log: string[] = [];
    const m = runMachine(step, 0, (fx, dispatch) =>
      fx.type === 'log' ? log.push(fx.text) : dispatch(fx.event),
    );
    m.dispatch({ type: 'add', n: 2 });
    expect(m.state()).toBe(2);
    expect(log).toEqual(['added 2', 'echo 2 at 2']);
  });

  it('queues an event raised by an effect until every effect of the current step ran', () => {
    const log: string[] = [];
    const m = runMachine(step, 10, (fx, dispatch) =>
      fx.type === 'log' ? log.push(fx.text) : dispatch(fx.event),
    );
    m.dispatch({ type: 'add', n: 1 });
    m.dispatch({ type: 'add', n: 5 });
    expect(log).toEqual(['added 1', 'echo 1 at 11', 'added 5', 'echo 5 at 16']);
    expect(m.state()).toBe(16);
  });

  it('drops every event once stopped, also one queued behind the step that stopped it', () => {
    const log: string[] = [];
    const m = runMachine(step, 0, (fx, dispatch) => {
      if (fx.type === 'raise') {
        dispatch(fx.event);
        m.stop();
      } else log.push(fx.text);
    });
    m.dispatch({ type: 'add', n: 3 });
    m.dispatch({ type: 'add', n: 4 });
    expect(log).toEqual([]);
    expect(m.state()).toBe(3);
    expect(m.stopped()).toBe(true);
  });

  it('lets an error of an effect reach the caller and stays usable', () => {
    let fail = true;
    const log: string[] = [];
    const m = runMachine(step, 0, (fx, dispatch) => {
      if (fx.type === 'raise') {
        if (fail) throw new Error('boom');
        dispatch(fx.event);
      } else log.push(fx.text);
    });
    expect(() => m.dispatch({ type: 'add', n: 1 })).toThrow('boom');
    fail = false;
    m.dispatch({ type: 'add', n: 1 });
    expect(m.state()).toBe(2);
    expect(log).toEqual(['added 1', 'echo 1 at 2']);
  });
});

describe('machine (runMachine as an operator)', () => {
  const counter: Step<number, string, string> = (n, e) => [n + 1, [`${e}${n + 1}`]];

  it('emits each step’s effects, passes completion and errors, starts each subscription from the initial state', () => {
    new TestScheduler((a, b) => expect(a).toEqual(b)).run(
      ({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a--b--|');
        expectObservable(source.pipe(machine(counter, 0))).toBe('-x--y--|', { x: 'a1', y: 'b2' });
        expectObservable(cold('-a-#', undefined, new Error('down')).pipe(machine(counter, 10))).toBe(
          '-x-#',
          { x: 'a11' },
          new Error('down'),
        );
        expectObservable(source.pipe(machine(counter, 0)), '^--!').toBe('-x--', { x: 'a1' });
        expectSubscriptions(source.subscriptions).toBe(['^------!', '^--!']);
      },
    );
  });

  it('queues an event the source emits while an effect is being delivered', () => {
    const feedback = new Subject<string>();
    const seen: string[] = [];
    const twice: Step<number, string, string> = (n, e) => [n + 1, [`${e}:${n + 1}`, `${e}:end`]];
    feedback.pipe(machine(twice, 0)).subscribe((effect) => {
      seen.push(effect);
      if (effect === 'a:1') feedback.next('b');
    });
    feedback.next('a');
    expect(seen).toEqual(['a:1', 'a:end', 'b:2', 'b:end']);
  });
});
