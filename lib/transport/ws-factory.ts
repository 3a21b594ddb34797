import WebSocket from 'ws';
import { proxyFor, tunnelAgent, type ProxyOption } from '../util/proxy';
import type { SocketHandlers, TransportSocket, WebSocketFactory } from './socket';

/** Options of {@link createWsFactory}. */
export interface WsFactoryOptions {
  /** Handshake timeout (default 10 000 ms). */
  readonly handshakeTimeoutMs?: number;
  /** Extra handshake headers. An `Origin` header is removed: the exchange answers it with 403. */
  readonly headers?: Record<string, string>;
  /**
   * Open every socket through this HTTP(S) proxy, as a `CONNECT` tunnel (TLS stays end to
   * end): `http://proxy.lan:3128`, or `{ url, noProxy }`.
   */
  readonly proxy?: ProxyOption;
}

/**
 * The default {@link WebSocketFactory}, over the `ws` package. It never sends an
 * `Origin` header (the exchange answers a mismatched one with 403), answers PING
 * frames (ws does) and reports them, and turns binary frames into UTF-8 text.
 *
 * @example
 * ```ts
 * privateChannel({ token$, webSocket: createWsFactory({ handshakeTimeoutMs: 5_000 }) });
 * ```
 */
export function createWsFactory(options: WsFactoryOptions = {}): WebSocketFactory {
  const headers = Object.fromEntries(
    Object.entries(options.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'origin'),
  );
  return (url: string, on: SocketHandlers): TransportSocket => {
    const via = proxyFor(url, options.proxy);
    const ws = new WebSocket(url, {
      handshakeTimeout: options.handshakeTimeoutMs ?? 10_000,
      headers,
      perMessageDeflate: false,
      ...(via !== undefined ? { agent: tunnelAgent(new URL(url), via) } : {}),
    });
    let closed = false;
    ws.on('open', () => on.open());
    ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      on.message(isBinary || typeof data !== 'string' ? rawToText(data) : data);
    });
    ws.on('ping', () => on.ping());
    ws.on('error', (error: Error) => on.error(error));
    ws.on('close', (code: number, reason: Buffer) => {
      if (closed) return;
      closed = true;
      on.close(code, reason.toString('utf8'));
    });
    return {
      send: (text) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(text);
      },
      close: (code = 1000, reason = '') => {
        if (ws.readyState === WebSocket.CLOSED) return;
        if (ws.readyState === WebSocket.CONNECTING) {
          ws.terminate();
          return;
        }
        ws.close(code, reason);
        // A peer that never answers the close frame must not keep the socket open.
        const force = setTimeout(() => ws.terminate(), 1_000);
        force.unref();
        ws.once('close', () => clearTimeout(force));
      },
    };
  };
}

function rawToText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

/** The factory `privateChannel` uses when none is given. */
export const defaultWebSocketFactory: WebSocketFactory = createWsFactory();
