import { TestScheduler } from 'rxjs/testing';
import { NEVER, map, type Observable } from 'rxjs';
import { pipelineFromChannel } from '../../lib/client';
import type { ChannelMessage } from '../../lib/protocol/messages';
import type { InvalidMessage } from '../../lib/orders';
import { fill, newOrder } from '../../lib/testing/builders';

const S: ChannelMessage = { type: 'status', status: { state: 'subscribed', channel: 'c' } };
const ID = 'btcidr-limit-1';
const P: ChannelMessage = {
  type: 'publication',
  channel: 'c',
  data: [newOrder({ orderId: ID, origQty: '1' }), { bad: 1 }],
};
const F: ChannelMessage = {
  type: 'publication',
  channel: 'c',
  data: [fill({ orderId: ID, origQty: '1', qty: '1', filledQty: '1', tradeId: '7' })],
};
const values = { s: S, p: P, f: F };

describe('pipelineFromChannel: every stream is a projection of one fold', () => {
  let testScheduler: TestScheduler;
  beforeEach(() => (testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b))));

  it('every stream completes when the channel completes, invalid$ too (issue 11, problem 5)', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const channel$ = cold<ChannelMessage>('-s-p-f-|', values);
      // a source of problems that never completes by itself
      const c = pipelineFromChannel(channel$, { problems: NEVER as Observable<InvalidMessage> });
      expectObservable(c.status$.pipe(map((s) => s.state))).toBe('-s-----|', { s: 'subscribed' });
      expectObservable(c.orderUpdates$.pipe(map((u) => u.status[0]))).toBe('---N-F-|', { N: 'N', F: 'F' });
      expectObservable(c.invalid$.pipe(map(() => 'b'))).toBe('---b---|', { b: 'b' });
      expectObservable(c.orders$.pipe(map((s) => s.version))).toBe('0--1-2-|', [0, 1, 2]);
      expectObservable(c.reconciliation$).toBe('-------|');
      expectObservable(c.messages$.pipe(map((m) => m.type[0]))).toBe('-s-p-p-|', { s: 's', p: 'p' });
    });
  });

  it('every stream errors with the channel error, the same object', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const boom = new Error('terminal');
      const channel$ = cold<ChannelMessage>('-s-p-#', values, boom);
      const c = pipelineFromChannel(channel$);
      expectObservable(c.status$.pipe(map(() => 's'))).toBe('-s---#', undefined, boom);
      expectObservable(c.orderUpdates$.pipe(map(() => 'N'))).toBe('---N-#', undefined, boom);
      expectObservable(c.invalid$.pipe(map(() => 'b'))).toBe('---b-#', undefined, boom);
      expectObservable(c.orders$.pipe(map((s) => s.version))).toBe('0--1-#', [0, 1], boom);
      expectObservable(c.reconciliation$).toBe('-----#', undefined, boom);
    });
  });

  it('shares one subscription to the channel and decodes once', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const channel$ = cold<ChannelMessage>('-s-p-f-|', values);
      const c = pipelineFromChannel(channel$);
      expectObservable(c.orderUpdates$.pipe(map((u) => u.status[0]))).toBe('---N-F-|', { N: 'N', F: 'F' });
      expectObservable(c.byStatus.FILL.pipe(map(() => 'F'))).toBe('-----F-|', { F: 'F' });
      expectObservable(c.invalid$.pipe(map(() => 'b'))).toBe('---b---|', { b: 'b' });
      expectSubscriptions(channel$.subscriptions).toBe('^------!');
    });
  });

  it('a late subscriber gets the current snapshot on orders$, and no past update or problem', () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const channel$ = hot<ChannelMessage>('-s-p---f-|', values);
      const c = pipelineFromChannel(channel$);
      expectObservable(c.orders$.pipe(map((s) => s.version))).toBe('0--1---2-|', [0, 1, 2]);
      expectObservable(c.orders$.pipe(map((s) => s.version)), '-----^').toBe('-----1-2-|', [0, 1, 2]);
      expectObservable(c.orderUpdates$.pipe(map((u) => u.status[0])), '-----^').toBe('-------F-|', {
        F: 'F',
      });
      expectObservable(c.invalid$, '-----^').toBe('---------|');
    });
  });

  it('a new fold starts after the last subscriber left (reset on ref count zero)', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const channel$ = cold<ChannelMessage>('-s-p-f-|', values);
      const c = pipelineFromChannel(channel$);
      expectObservable(c.orders$.pipe(map((s) => s.version)), '^---!').toBe('0--1', [0, 1]);
      expectObservable(c.orders$.pipe(map((s) => s.version)), '------^').toBe('------0--1-2-|', [0, 1, 2]);
      expectSubscriptions(channel$.subscriptions).toBe(['^---!', '------^------!']);
    });
  });

  it('close() completes every stream without an error and ends the channel subscription', () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const channel$ = hot<ChannelMessage>('-s-p-f-', values);
      const c = pipelineFromChannel(channel$);
      testScheduler.schedule(() => void c.close(), 4);
      expectObservable(c.orderUpdates$.pipe(map((u) => u.status[0]))).toBe('---N|', { N: 'N' });
      expectObservable(c.orders$.pipe(map((s) => s.version))).toBe('0--1|', [0, 1]);
      expectObservable(c.invalid$.pipe(map(() => 'b'))).toBe('---b|', { b: 'b' });
      expectObservable(c.status$.pipe(map(() => 's'))).toBe('-s--|', { s: 's' });
      expectObservable(c.reconciliation$).toBe('----|');
      expectSubscriptions(channel$.subscriptions).toBe('^---!');
      // after close, a new subscriber completes at once, with the last snapshot
      expectObservable(c.orders$.pipe(map((s) => s.version)), '------^').toBe('------(1|)', [0, 1]);
    });
  });
});
