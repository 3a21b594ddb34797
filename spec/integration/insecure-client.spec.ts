import { lastValueFrom } from 'rxjs';
import { createPrivateClient } from '../../lib/client';
import { ChannelError } from '../../lib/connection/types';
import type { WebSocketFactory } from '../../lib/transport/socket';
import type { FetchLike } from '../../lib/util/fetch';
import { InsecureTransportError } from '../../lib/util/transport-security';

// Stubs only: a test never sends anything to an address that is not loopback.
function stubs() {
  const fetched: string[] = [];
  const opened: string[] = [];
  const fetch: FetchLike = (url) => {
    fetched.push(url);
    return Promise.reject(new Error('must not be called'));
  };
  const webSocket: WebSocketFactory = (url) => {
    opened.push(url);
    throw new Error('must not be called');
  };
  return { fetch, webSocket, fetched, opened };
}

/** An error and its causes, outermost first. */
const causes = (error: unknown): unknown[] =>
  error instanceof Error ? [error, ...causes(error.cause)] : error === undefined ? [] : [error];

const credentials = { apiKey: 'key-1', apiSecret: 'secret-1' };

describe('createPrivateClient: credentials never travel in plain text', () => {
  it.each([
    [
      'ws: and http: to a remote host',
      { restBaseUrl: 'http://indodax.com', wsUrl: 'ws://pws.indodax.com/ws/' },
    ],
    [
      'wss: with an http: token host',
      { restBaseUrl: 'http://indodax.com', wsUrl: 'wss://pws.indodax.com/ws/' },
    ],
  ])('%s: a terminal ChannelError(insecure_transport), nothing sent', async (_name, hosts) => {
    const s = stubs();
    const client = createPrivateClient({
      credentials,
      environment: { ...hosts, tapiV2BaseUrl: 'http://tapi.indodax.com' },
      fetch: s.fetch,
      webSocket: s.webSocket,
    });
    const error = await lastValueFrom(client.status$).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ChannelError);
    expect((error as ChannelError).kind).toBe('insecure_transport');
    expect(causes(error).some((c) => c instanceof InsecureTransportError)).toBe(true);
    expect(s.fetched).toEqual([]);
    expect(s.opened).toEqual([]);
  });

  it('allowInsecureTransport: true passes the plain-text URLs on (to the stubs)', async () => {
    const s = stubs();
    const client = createPrivateClient({
      credentials,
      environment: {
        restBaseUrl: 'http://proxy.lan',
        wsUrl: 'ws://proxy.lan/ws',
        tapiV2BaseUrl: 'http://proxy.lan',
      },
      fetch: s.fetch,
      webSocket: s.webSocket,
      reconnect: { maxAttempts: 1 },
      allowInsecureTransport: true,
    });
    const error = await lastValueFrom(client.status$).catch((e: unknown) => e);
    expect((error as ChannelError).kind).toBe('exhausted');
    expect(s.fetched).toEqual(['http://proxy.lan/api/private_ws/v1/generate_token']);
  });
});
