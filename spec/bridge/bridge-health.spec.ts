import { isReady } from '../../lib/bridge/bridge-health';
import type { BridgeHealth } from '../../lib/bridge/meter';

describe('isReady', () => {
  const h = (over: Partial<BridgeHealth>): BridgeHealth => ({
    natsConnected: true,
    held: ['a', 'b'],
    fairShare: 2,
    readyAccounts: ['a', 'b'],
    ...over,
  });
  it.each([
    { name: 'share held, all subscribed and reconciled', health: h({}), ready: true },
    { name: 'NATS down', health: h({ natsConnected: false }), ready: false },
    { name: 'below its share', health: h({ fairShare: 3 }), ready: false },
    { name: 'one account not ready', health: h({ readyAccounts: ['a'] }), ready: false },
    {
      name: 'nothing to hold (more bridges than accounts)',
      health: h({ held: [], fairShare: 0, readyAccounts: [] }),
      ready: true,
    },
  ])('$name → $ready', ({ health, ready }) => {
    expect(isReady(health)).toBe(ready);
  });
});
