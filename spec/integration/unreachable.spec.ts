import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { firstValueFrom, filter, of } from 'rxjs';
import { privateChannel } from '../../lib/connection/private-channel';
import type { ChannelMessage, ConnectionStatus } from '../../lib/connection/types';

/** A loopback port nothing listens on (opened, read, closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('privateChannel: an unreachable WebSocket host (real loopback socket)', () => {
  it('reports a refused port as a disconnected status naming the address and the cause, then retries', async () => {
    const port = await closedPort();
    const status = await firstValueFrom(
      privateChannel({
        token$: of({ connToken: 'tok', channel: 'pws:#abc' }),
        wsUrl: `ws://127.0.0.1:${port}/ws`,
        reconnect: { minDelayMs: 10_000 },
      }).pipe(
        filter((m): m is Extract<ChannelMessage, { type: 'status' }> => m.type === 'status'),
        filter((m) => m.status.state === 'disconnected'),
      ),
    );
    const disconnected = status.status as Extract<ConnectionStatus, { state: 'disconnected' }>;
    expect(disconnected.code).toBe(1006);
    expect(disconnected.reason).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    expect(disconnected.retryInMs).toBeGreaterThanOrEqual(10_000);
  });
});
