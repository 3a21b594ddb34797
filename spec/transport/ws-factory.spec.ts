import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import { createWsFactory } from '../../lib/transport/ws-factory';
import { socketEvents, type SocketEvent } from '../../lib/transport/socket-events';

describe('ws transport over loopback', () => {
  let http: Server;
  let wss: WebSocketServer;
  let url: string;
  const handshakes: IncomingHttpHeaders[] = [];
  const server: { socket?: WebSocket; received: string[] } = { received: [] };
  let connected: Promise<WebSocket>;
  let onConnect: (ws: WebSocket) => void = () => undefined;

  beforeAll(async () => {
    http = createServer();
    wss = new WebSocketServer({ server: http });
    wss.on('connection', (ws, req) => {
      handshakes.push(req.headers);
      server.socket = ws;
      ws.on('message', (d) => server.received.push(String(d)));
      onConnect(ws);
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws/?cf_ws_frame_ping_pong=true`;
  });
  afterAll(async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
    await new Promise((r) => http.close(r));
  });
  beforeEach(() => {
    handshakes.length = 0;
    server.received.length = 0;
    connected = new Promise((r) => (onConnect = r));
  });

  it('never sends an Origin header, even when one is passed', async () => {
    const factory = createWsFactory({ headers: { Origin: 'https://evil.example', 'X-Test': '1' } });
    const events = firstValueFrom(
      socketEvents(factory, url).pipe(
        filter((e) => e.type === 'open'),
        take(1),
      ),
    );
    await events;
    await connected;
    expect(handshakes[0]!['origin']).toBeUndefined();
    expect(handshakes[0]!['x-test']).toBe('1');
  });

  it('surfaces text frames, PING frames and the close code and reason, then completes', async () => {
    const all = firstValueFrom(socketEvents(createWsFactory(), url).pipe(toArray()));
    const ws = await connected;
    ws.send('{"a":1}\n{"b":2}');
    ws.ping();
    ws.send(Buffer.from('binary-as-text'), { binary: true });
    ws.close(3012, 'no pong');
    const events = (await all).map((e: SocketEvent) =>
      e.type === 'message'
        ? `message:${e.text}`
        : e.type === 'close'
          ? `close:${e.code}:${e.reason}`
          : e.type,
    );
    expect(events).toEqual([
      'open',
      'message:{"a":1}\n{"b":2}',
      'ping',
      'message:binary-as-text',
      'close:3012:no pong',
    ]);
  });

  it('sends text and closes the socket with 1000 on unsubscribe', async () => {
    let opened: (send: (t: string) => void) => void = () => undefined;
    const open = new Promise<(t: string) => void>((r) => (opened = r));
    const sub = socketEvents(createWsFactory(), url).subscribe((e) => {
      if (e.type === 'open') opened(e.send);
    });
    const ws = await connected;
    (await open)('{"id":1}');
    const closed = new Promise<[number, string]>((r) =>
      ws.on('close', (code, reason) => r([code, String(reason)])),
    );
    await new Promise<void>((r) => ws.once('message', () => r()));
    sub.unsubscribe();
    expect(await closed).toEqual([1000, 'client closed']);
    expect(server.received).toEqual(['{"id":1}']);
  });

  it('reports a refused connection as a close below 3000 after an error', async () => {
    const events = await firstValueFrom(
      socketEvents(createWsFactory(), 'ws://127.0.0.1:1/ws/').pipe(toArray()),
    );
    expect(events.map((e) => e.type)).toEqual(['error', 'close']);
    const close = events[1] as Extract<SocketEvent, { type: 'close' }>;
    expect(close.code).toBeLessThan(3000);
  });
});
