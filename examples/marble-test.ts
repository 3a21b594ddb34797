// A marble test of a custom operator on orderUpdates(), in virtual time: no socket, no server,
// no waiting. Runs as a plain program (`npx tsx examples/marble-test.ts`, exit 0 when it
// passes); in Jest, put the body in `it(...)` and compare with `expect(a).toEqual(e)`.
// See docs/marble-testing.md.
import { deepStrictEqual } from 'node:assert';
import { filter, map, type OperatorFunction } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ofStatus, orderUpdates, type ChannelMessage } from 'indodax-pws';
import { channelStatus, fill, newOrder, publication } from 'indodax-pws/testing';

/** A fill worth at least `minValue` in its quote asset (qty × price, as a number: for display). */
interface BigFill {
  readonly orderId: string;
  readonly value: number;
}

/** The operator under test: channel messages in, big fills out (small fills and other statuses dropped). */
function bigFills(minValue: number): OperatorFunction<ChannelMessage, BigFill> {
  return (messages$) =>
    messages$.pipe(
      orderUpdates(),
      ofStatus('FILL'),
      map((f) => ({
        orderId: f.order.orderId,
        value: Number(f.order.fillInformation.qty) * Number(f.order.price),
      })),
      filter((f) => f.value >= minValue),
    );
}

const scheduler = new TestScheduler((actual, expected) => deepStrictEqual(actual, expected));

scheduler.run(({ cold, expectObservable }) => {
  const order = { orderId: 'btcidr-limit-101', price: '1000000000', origQty: '0.01' };
  const messages$ = cold<ChannelMessage>('s-a-b-c-d|', {
    s: channelStatus.subscribed(),
    a: publication([newOrder(order)]),
    b: publication([fill({ ...order, qty: '0.001', filledQty: '0.001' })]), // 1 000 000 IDR: small
    c: publication([fill({ ...order, qty: '0.009', filledQty: '0.01' })]), // 9 000 000 IDR: big
    d: publication([{ not: 'an order' }]), // reported by orderUpdates, never fatal
  });
  expectObservable(messages$.pipe(bigFills(5_000_000))).toBe('------x--|', {
    x: { orderId: 'btcidr-limit-101', value: 9_000_000 },
  });
});

console.log('marble test passed: bigFills keeps the 9 000 000 IDR fill, drops the 1 000 000 one');
