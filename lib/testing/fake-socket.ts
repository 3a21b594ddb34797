import type { SchedulerLike } from 'rxjs';
import type { SocketHandlers, TransportSocket, WebSocketFactory } from '../transport/socket';

/** A command the client sent, parsed. */
export interface SentCommand {
  readonly id?: number;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly raw: string;
}

/**
 * One socket of a {@link fakeWebSocketFactory}: the test plays the server by calling
 * its methods, and reads what the client sent.
 */
export interface FakeSocket {
  readonly url: string;
  /** Every line the client sent, parsed (`{}` has no method). */
  readonly sent: SentCommand[];
  /** How the client closed it, if it did. */
  closedByClient: { code: number; reason: string } | undefined;
  /** Whether the socket is closed (by either side). */
  readonly closed: boolean;
  open(): void;
  /** Sends a text frame to the client (JSON values are stringified; arrays become one batched frame). */
  receive(frame: string | object | readonly object[]): void;
  /** A WebSocket PING frame. */
  ping(): void;
  /** The server closes the socket. */
  close(code: number, reason?: string): void;
}

/** What the scripted server does with each command; return frames to send back. */
export type FakeServerScript = (command: SentCommand, socket: FakeSocket) => readonly object[] | void;

/** Options of {@link fakeWebSocketFactory}. */
export interface FakeWebSocketOptions {
  /** Open each socket by itself after `openDelayMs` (default: open at once, synchronously). */
  readonly scheduler?: SchedulerLike;
  readonly openDelayMs?: number;
  /** Answer each command (default {@link defaultScript}); replies are sent after `replyDelayMs`. */
  readonly script?: FakeServerScript;
  readonly replyDelayMs?: number;
  /** Do not open sockets by themselves: the test calls `open()`. */
  readonly manualOpen?: boolean;
}

/**
 * The default script: accepts every `connect` (client `c<N>`, no expiry) and `subscribe`,
 * and refreshes with a ttl of 3600 s.
 */
export const defaultScript: FakeServerScript = (command) => {
  if (command.method === 'connect') return [{ id: command.id, connect: { client: 'c', version: '5.2.0' } }];
  if (command.method === 'subscribe') return [{ id: command.id, subscribe: {} }];
  if (command.method === 'refresh')
    return [{ id: command.id, refresh: { client: 'c', version: '5.2.0', expires: true, ttl: 3600 } }];
  return undefined;
};

function parse(raw: string): SentCommand {
  try {
    const value = JSON.parse(raw) as Record<string, unknown>;
    const id = typeof value['id'] === 'number' ? value['id'] : undefined;
    const method = Object.keys(value).find((k) => k !== 'id');
    const params = method ? (value[method] as Record<string, unknown>) : undefined;
    return {
      raw,
      ...(id === undefined ? {} : { id }),
      ...(method ? { method } : {}),
      ...(params ? { params } : {}),
    };
  } catch {
    return { raw };
  }
}

/**
 * An in-memory `WebSocketFactory` (the `webSocket` option of `privateChannel` and `createPrivateClient`) for marble tests of the connection: no network,
 * every delay on the given scheduler, the server played by a script or by hand.
 *
 * @example
 * ```ts
 * const fake = fakeWebSocketFactory({ scheduler: testScheduler, replyDelayMs: 1 });
 * privateChannel({ token$, webSocket: fake.factory, scheduler: testScheduler });
 * // later: fake.last().receive({ push: { channel, pub: { data: [] } } });
 * ```
 */
export function fakeWebSocketFactory(options: FakeWebSocketOptions = {}): {
  factory: WebSocketFactory;
  sockets: FakeSocket[];
  last(): FakeSocket;
} {
  const sockets: FakeSocket[] = [];
  const script = options.script ?? defaultScript;
  const later = (delay: number, work: () => void): void => {
    if (options.scheduler && delay > 0) options.scheduler.schedule(work, delay);
    else work();
  };
  const factory: WebSocketFactory = (url: string, on: SocketHandlers): TransportSocket => {
    let closed = false;
    let opened = false;
    const socket: FakeSocket = {
      url,
      sent: [],
      closedByClient: undefined,
      get closed() {
        return closed;
      },
      open: () => {
        if (closed || opened) return;
        opened = true;
        on.open();
      },
      receive: (frame) => {
        if (closed) return;
        const text =
          typeof frame === 'string'
            ? frame
            : Array.isArray(frame)
              ? frame.map((f) => JSON.stringify(f)).join('\n')
              : JSON.stringify(frame);
        on.message(text);
      },
      ping: () => {
        if (!closed) on.ping();
      },
      close: (code, reason = '') => {
        if (closed) return;
        closed = true;
        on.close(code, reason);
      },
    };
    sockets.push(socket);
    if (!options.manualOpen) later(options.openDelayMs ?? 0, () => socket.open());
    return {
      send: (text) => {
        if (closed) return;
        for (const line of text.split('\n')) {
          if (line.trim() === '') continue;
          const command = parse(line);
          socket.sent.push(command);
          const replies = script(command, socket);
          if (replies && replies.length > 0) later(options.replyDelayMs ?? 0, () => socket.receive(replies));
        }
      },
      close: (code = 1000, reason = '') => {
        if (closed) return;
        closed = true;
        socket.closedByClient = { code, reason };
      },
    };
  };
  return {
    factory,
    sockets,
    last: () => {
      const s = sockets[sockets.length - 1];
      if (!s) throw new Error('fakeWebSocketFactory: no socket was opened yet');
      return s;
    },
  };
}
