import { coreStep, quietOutcome } from '../../lib/client/core';
import { createOrderState, type OrderUpdate } from '../../lib/orders';
import { newOrder } from '../../lib/testing/builders';

describe('coreStep', () => {
  const seed = quietOutcome(createOrderState());

  it('folds a publication as one step: its valid items, and its bad ones as problems', () => {
    const out = coreStep(seed, {
      type: 'message',
      message: { type: 'publication', channel: 'c', data: [newOrder({ orderId: 'btcidr-limit-1' }), 42] },
    });
    expect(out.updates.map((u) => u.order.orderId)).toEqual(['btcidr-limit-1']);
    expect(out.invalid).toHaveLength(1);
    expect(out.state.orders.has('btcidr-limit-1')).toBe(true);
  });

  it('an update the store cannot fold is reported, and the stream goes on with the same state', () => {
    const poison = {
      status: 'NEW',
      source: 'rest',
      get order(): never {
        throw new Error('unreadable');
      },
    } as unknown as OrderUpdate;
    const out = coreStep(seed, { type: 'updates', updates: [poison] });
    expect(out.state).toBe(seed.state);
    expect(out.updates).toEqual([]);
    expect(out.invalid.map((p) => p.reason)).toEqual(['store: unreadable']);
  });

  it('a status changes nothing but shows the message', () => {
    const message = { type: 'status', status: { state: 'connecting', attempt: 1 } } as const;
    const out = coreStep(seed, { type: 'message', message });
    expect(out.state).toBe(seed.state);
    expect(out.message).toBe(message);
  });
});
