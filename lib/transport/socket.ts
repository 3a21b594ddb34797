/**
 * What a transport socket reports. A factory calls these as things happen.
 */
export interface SocketHandlers {
  /** The socket is open; commands may be sent. */
  open(): void;
  /** A text frame arrived (it may hold several `\n`-separated messages). */
  message(text: string): void;
  /** A WebSocket PING frame arrived (the factory answers it; this only reports liveness). */
  ping(): void;
  /** The socket closed, with the close code and reason (1006 when the link broke). */
  close(code: number, reason: string): void;
  /** A transport error; a `close` follows. */
  error(error: Error): void;
}

/** The two things the client does to a socket. */
export interface TransportSocket {
  send(text: string): void;
  close(code?: number, reason?: string): void;
}

/**
 * Opens a WebSocket to `url` and reports to `handlers`. Inject your own to run over
 * another WebSocket implementation (a browser's, a proxy's) or a test double.
 *
 * @example
 * ```ts
 * const factory: WebSocketFactory = (url, on) => {
 *   const ws = new WebSocket(url); // a browser WebSocket: PING frames are invisible there,
 *   ws.onopen = () => on.open();    // so use a URL without cf_ws_frame_ping_pong=true
 *   ws.onmessage = (e) => on.message(String(e.data));
 *   ws.onclose = (e) => on.close(e.code, e.reason);
 *   ws.onerror = () => on.error(new Error('websocket error'));
 *   return { send: (t) => ws.send(t), close: (c, r) => ws.close(c, r) };
 * };
 * ```
 */
export type WebSocketFactory = (url: string, handlers: SocketHandlers) => TransportSocket;
