import * as http from 'node:http';
import * as net from 'node:net';

/** One tunnel the proxy opened: where to, and the first line the client sent through it. */
export interface Tunnel {
  readonly authority: string;
  readonly auth: string | undefined;
  firstLine: string;
}

/** A small HTTP CONNECT proxy on 127.0.0.1 for tests; see {@link startConnectProxy}. */
export interface ConnectProxy {
  readonly url: string;
  readonly tunnels: readonly Tunnel[];
  /** How many CONNECTs it refused (wrong credentials). */
  refused(): number;
  close(): Promise<void>;
}

/**
 * A CONNECT proxy that tunnels to 127.0.0.1 only: `map` turns the requested port into the
 * real one (so a client that bypassed the proxy would reach a different port); with `auth`
 * (`user:pass`), a CONNECT without that Basic `Proxy-Authorization` gets 407. It records
 * every tunnel and the first line sent through it (plain HTTP targets only).
 */
export async function startConnectProxy(
  options: { map?: (port: number) => number; auth?: string } = {},
): Promise<ConnectProxy> {
  const tunnels: Tunnel[] = [];
  const sockets = new Set<net.Socket>();
  let refused = 0;
  const server = http.createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const auth = req.headers['proxy-authorization'];
    if (options.auth !== undefined && auth !== `Basic ${Buffer.from(options.auth).toString('base64')}`) {
      refused += 1;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
      return;
    }
    const authority = req.url ?? '';
    const m = /^(.*):(\d+)$/.exec(authority);
    const host = m?.[1]?.replace(/^\[|\]$/g, '') ?? '';
    if (host !== '127.0.0.1' && host !== 'localhost') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const tunnel: Tunnel = { authority, auth, firstLine: '' };
    tunnels.push(tunnel);
    const port = (options.map ?? ((p) => p))(Number(m?.[2]));
    const upstream = net.connect({ host: '127.0.0.1', port }, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream).pipe(client);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.once('data', (chunk: Buffer) => {
      tunnel.firstLine = chunk.toString('latin1').split('\r\n')[0] ?? '';
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    refused: () => refused,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A port that must receive nothing: a listener that counts the connections it gets (a client
 * that bypassed the proxy lands here).
 */
export async function startTrap(): Promise<{ port: number; hits(): number; close(): Promise<void> }> {
  let hits = 0;
  const server = net.createServer((socket) => {
    hits += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
