import type { WebSocketFactory } from '../transport/socket';

/**
 * Wraps a {@link WebSocketFactory} to know when every socket it opened has closed, so
 * `client.close()` can resolve only then.
 *
 * ## Example
 * ```ts
 * const sockets = trackSockets(defaultWebSocketFactory);
 * privateChannel({ token$, webSocket: sockets.factory });
 * await sockets.closed();
 * ```
 * @internal
 */
export function trackSockets(inner: WebSocketFactory): {
  factory: WebSocketFactory;
  closed: () => Promise<void>;
} {
  const open = new Set<Promise<void>>();
  const factory: WebSocketFactory = (url, handlers) => {
    let resolve: () => void = () => undefined;
    const done = new Promise<void>((r) => (resolve = r));
    open.add(done);
    void done.then(() => open.delete(done));
    try {
      return inner(url, {
        ...handlers,
        close: (code, reason) => {
          resolve();
          handlers.close(code, reason);
        },
      });
    } catch (e) {
      resolve();
      throw e;
    }
  };
  return { factory, closed: () => Promise.all([...open]).then(() => undefined) };
}
