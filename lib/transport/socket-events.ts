import { Observable } from 'rxjs';
import type { TransportSocket, WebSocketFactory } from './socket';

/** What happened on a socket, as a stream. */
export type SocketEvent =
  | { readonly type: 'open'; readonly send: (text: string) => void }
  | { readonly type: 'message'; readonly text: string }
  | { readonly type: 'ping' }
  | { readonly type: 'error'; readonly error: Error }
  | { readonly type: 'close'; readonly code: number; readonly reason: string };

/**
 * Opens a socket on subscription and emits what happens on it; completes after the
 * `close` event. Unsubscribing closes the socket with a normal close (1000).
 *
 * ```text
 * subscribe ──open──message──ping──message──close|
 * ```
 *
 * @example
 * ```ts
 * socketEvents(defaultWebSocketFactory, url).subscribe((e) => console.log(e.type));
 * ```
 */
export function socketEvents(factory: WebSocketFactory, url: string): Observable<SocketEvent> {
  return new Observable<SocketEvent>((subscriber) => {
    let closed = false;
    // A factory may report `open` before it returns: hold sends until the socket is known.
    // eslint-disable-next-line prefer-const -- read by `send` before the assignment below completes
    let socket: TransportSocket | undefined;
    const early: string[] = [];
    const send = (text: string): void => {
      if (socket) socket.send(text);
      else early.push(text);
    };
    socket = factory(url, {
      open: () => subscriber.next({ type: 'open', send }),
      message: (text) => subscriber.next({ type: 'message', text }),
      ping: () => subscriber.next({ type: 'ping' }),
      error: (error) => subscriber.next({ type: 'error', error }),
      close: (code, reason) => {
        closed = true;
        subscriber.next({ type: 'close', code, reason });
        subscriber.complete();
      },
    });
    for (const text of early.splice(0)) socket.send(text);
    return () => {
      if (!closed) {
        closed = true;
        socket?.close(1000, 'client closed');
      }
    };
  });
}
