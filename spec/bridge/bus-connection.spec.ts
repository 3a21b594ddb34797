import { openBridgeBus, type BridgeBus } from '../../lib/bridge/bus-connection';
import { startNats, type TestNats } from '../bus/support/nats-server';

describe('openBridgeBus', () => {
  let nats: TestNats;
  beforeEach(async () => {
    nats = await startNats();
  });
  afterEach(async () => {
    await nats.stop();
  });

  it('bridges starting together all get the stream and the lease bucket (no creation race)', async () => {
    const buses: BridgeBus[] = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        openBridgeBus({ servers: nats.url, name: `b${i}`, leaseMs: 2_000 }),
      ),
    );
    try {
      expect(buses.map((b) => b.leaseMs)).toEqual(Array(12).fill(2_000));
    } finally {
      await Promise.all(buses.map((b) => b.nc.close()));
    }
  });
});
