import { Subject } from 'rxjs';
import { startAccountLink, type BusPublisher } from '../../lib/bridge/account-link';
import { decodeOrderItem } from '../../lib/orders/decode';
import type { OrderUpdate } from '../../lib/orders';
import type { ConnectionStatus } from '../../lib/protocol/messages';
import { orderLifecycle } from '../../lib/testing/builders';

// After `lost` the bridge stops the account's link with a drain of 0: not one more publish.
function fourUpdates(): OrderUpdate[] {
  return orderLifecycle({ orderId: 'btcidr-limit-1' }).flatMap((item) => {
    const d = decodeOrderItem(item);
    return d.kind === 'update' ? [d.update] : [];
  });
}

it('stop(0) of a link with unacknowledged updates: nothing more is published, the rest counted as dropped', async () => {
  const attempts: string[] = [];
  const acks: (() => void)[] = [];
  const publisher: BusPublisher = {
    publishUpdate: (_subject, _payload, msgId) =>
      new Promise<void>((resolve) => {
        attempts.push(msgId);
        acks.push(resolve);
      }),
    publishStatus: () => undefined,
  };
  const updates$ = new Subject<OrderUpdate>();
  const link = startAccountLink({
    account: 'acct0',
    source: () => ({ orderUpdates$: updates$, status$: new Subject<ConnectionStatus>() }),
    publisher,
  });
  fourUpdates().forEach((u) => updates$.next(u));
  expect(attempts).toHaveLength(1); // the first is in flight, three wait behind it
  expect(await link.stop(0)).toBe(false);
  acks.forEach((ack) => ack()); // the one in flight is acknowledged after the abort
  await new Promise((resolve) => setImmediate(resolve));
  expect(attempts).toHaveLength(1);
  expect(link.buffered()).toBe(3);
});
