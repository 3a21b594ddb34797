import type { Observable } from 'rxjs';
import type { Credentials } from '../auth/credentials';
import type { Environment } from '../environments';
import type { PrivateToken } from '../token/codecs';
import type { FakeAccount, FakeAccountInit } from './fake-accounts';
import type { FakeCommandKind } from './fake-centrifugo';
import type { FakeRoute } from './fake-http';
import type { FakeTokenFault } from './fake-token-endpoint';

/**
 * Options of {@link startFakeServer}. Every one is optional; timings are real milliseconds, so keep
 * them short in tests.
 *
 * ## Example
 * ```ts
 * const server = await startFakeServer({ pingIntervalMs: 50, expireGraceMs: 50, tokenTtlSeconds: 0.5 });
 * ```
 */
export interface FakeServerOptions {
  /** Port to listen on (default 0: an ephemeral port). */
  readonly port?: number;
  /** Lifetime of issued tokens in seconds (default 86 400, like Indodax). Fractions are allowed for fast tests. */
  readonly tokenTtlSeconds?: number;
  /** Interval of the server's pings in both modes (default 25 000 ms, like the real server). */
  readonly pingIntervalMs?: number;
  /** App-ping mode: a `{}` ping not answered within this closes with 3012 "no pong" (default 8 000 ms). */
  readonly pongTimeoutMs?: number;
  /** Grace after a token's `exp` before the close 3005 "expired" (default 25 000 ms). */
  readonly expireGraceMs?: number;
  /** Fixed keys or id for the default account (default: random). */
  readonly account?: FakeAccountInit;
  /** Extra HTTP endpoints, tried in order after the token endpoint; or a function of the server. */
  readonly routes?: readonly FakeRoute[] | ((server: FakeServer) => readonly FakeRoute[]);
  /** `Origin` values the WebSocket accepts; any other Origin gets HTTP 403 like Indodax (default: none). */
  readonly allowedOrigins?: readonly string[];
}

/**
 * Selects the account a control acts on: the account, its id or one of its API keys. Left out:
 * the default account for `publish`, `applyOffline`, `issueToken`; every connection for
 * `sendRaw`, `disconnect`, `dropConnections` and `goSilent`.
 *
 * ## Example
 * ```ts
 * server.disconnect(3001, 'shutdown', { account: alice.credentials.apiKey });
 * ```
 */
export interface FakeTarget {
  readonly account?: FakeAccount | string;
}

/**
 * Options of `publish`.
 *
 * ## Example
 * ```ts
 * server.publish(pushData(newOrder()), { account: alice, batch: true });
 * ```
 */
export interface FakePublishOptions extends FakeTarget {
  /** Hold the push and send it together with every other `batch` push of this tick, in one frame. */
  readonly batch?: boolean;
}

/**
 * Options of `rejectConnect`.
 *
 * ## Example
 * ```ts
 * server.rejectConnect(111, 'too many requests', { times: 3 });
 * ```
 */
export interface FakeRejectOptions {
  /** How many connects to reject (default 1). */
  readonly times?: number;
  /** The error's `temporary` flag (default: true for 100 and 111, as in Centrifugo). */
  readonly temporary?: boolean;
}

/**
 * A snapshot of the fake server's counters (`server.stats()`); counts since start unless said otherwise.
 *
 * ## Example
 * ```ts
 * await server.until((s) => s.openSockets === 0);
 * expect(server.stats().commands.refresh).toBe(1);
 * ```
 */
export interface FakeServerStats {
  /** WebSocket connections whose TCP socket is still open. */
  readonly openSockets: number;
  /** TCP sockets of any kind (HTTP keep-alive included) still open. */
  readonly tcpSockets: number;
  /** WebSocket upgrades accepted since start. */
  readonly connectionsAccepted: number;
  /** Connections that passed `connect`, currently open. */
  readonly connected: number;
  /** Connections currently subscribed to their channel, over all accounts. */
  readonly subscribed: number;
  /** Requests that reached the token endpoint (faults and errors included). */
  readonly tokenRequests: number;
  /** Tokens issued. */
  readonly tokensIssued: number;
  /** Commands received, by kind (`pong` = an empty `{}`). */
  readonly commands: Readonly<Record<FakeCommandKind, number>>;
  /** Publications written to subscribed sockets (one per socket and publication). */
  readonly publicationsSent: number;
  /** Frames written by `sendRaw`. */
  readonly rawFramesSent: number;
  /** Pings sent (PING frames or `{}`, by mode). */
  readonly pingsSent: number;
}

/**
 * Something that happened on the fake server (see `events$`); tokens and secrets are never in it.
 *
 * ## Example
 * ```ts
 * const closes$ = server.events$.pipe(filter((e) => e.type === 'close'));
 * ```
 */
export type FakeServerEvent =
  | {
      readonly type: 'token-request';
      readonly outcome: 'issued' | 'error' | 'fault' | 'hang';
      readonly code?: string;
      readonly status?: number;
    }
  | { readonly type: 'open'; readonly connection: number; readonly framePing: boolean }
  | {
      readonly type: 'command';
      readonly connection: number;
      readonly kind: FakeCommandKind;
      readonly id?: number;
    }
  | {
      readonly type: 'connected';
      readonly connection: number;
      readonly account: string;
      readonly client: string;
    }
  | {
      readonly type: 'subscribed' | 'unsubscribed' | 'refreshed' | 'pong';
      readonly connection: number;
      readonly account: string;
    }
  /** A ping interval passed: `sent` is false while the connection is silent. */
  | { readonly type: 'ping'; readonly connection: number; readonly sent: boolean }
  | {
      readonly type: 'publish';
      readonly account: string;
      readonly publications: number;
      readonly delivered: number;
    }
  | {
      readonly type: 'close';
      readonly connection: number;
      readonly code: number;
      readonly reason: string;
      readonly by: 'server' | 'client' | 'drop';
    };

/**
 * One open WebSocket connection, as `connections()` lists it.
 *
 * ## Example
 * ```ts
 * expect(server.connections().filter((c) => c.subscribed)).toHaveLength(1);
 * ```
 */
export interface FakeConnectionInfo {
  readonly id: number;
  readonly state: 'connecting' | 'connected' | 'unusable' | 'closed';
  /** The account id once connected. */
  readonly account: string | undefined;
  readonly client: string;
  readonly subscribed: boolean;
  readonly silent: boolean;
  /** True with `?cf_ws_frame_ping_pong=true` (WebSocket PING frames), false in app-ping mode. */
  readonly framePing: boolean;
}

/**
 * A running fake Indodax: see {@link startFakeServer} and docs/testing-kit.md.
 *
 * ## Example
 * ```ts
 * const server = await startFakeServer();
 * const token$ = requestToken(server.credentials, { environment: server.environment });
 * server.publish(pushData(newOrder()));
 * await server.close();
 * ```
 */
export interface FakeServer {
  /** `http://127.0.0.1:PORT`: the token endpoint and any extra routes. */
  readonly restBaseUrl: string;
  /** `ws://127.0.0.1:PORT/ws/?cf_ws_frame_ping_pong=true`: frame-ping mode, the documented URL. */
  readonly wsUrl: string;
  /** `ws://127.0.0.1:PORT/ws/`: app-ping mode (`{}` pings, `ping`/`pong` in the connect result). */
  readonly appPingWsUrl: string;
  /** An {@link Environment} pointing every URL at this server (pass it as `environment`). */
  readonly environment: Environment;
  /** The default account's key pair. */
  readonly credentials: Credentials;
  /** The default account. */
  readonly account: FakeAccount;
  /** Everything that happens, as it happens (hot; completes on `close()`). */
  readonly events$: Observable<FakeServerEvent>;

  addAccount(init?: FakeAccountInit): FakeAccount;
  /** Adds another key pair to an account (e.g. a dedicated Trade API v2 key). */
  addKey(account: FakeAccount, init?: { apiKey?: string; apiSecret?: string }): Credentials;
  accountByKey(apiKey: string): FakeAccount | undefined;
  /** The secret of any key of any account, or `undefined` (for routes that check signatures). */
  secretOf(apiKey: string): string | undefined;
  accounts(): readonly FakeAccount[];
  /** Adds an HTTP route after the existing ones. */
  use(route: FakeRoute): void;
  /** Mints a token directly (no HTTP), e.g. an already expired one with `ttlSeconds <= 0`. */
  issueToken(target?: FakeTarget, ttlSeconds?: number): PrivateToken;

  /** Pushes `data` as one publication to the account's subscribed clients; returns how many got it. */
  publish(data: unknown, options?: FakePublishOptions): number;
  /** Pushes several publications in ONE frame (newline-separated); returns how many clients got it. */
  publishBatch(datas: readonly unknown[], options?: FakeTarget): number;
  /** Appends order updates to the account's order log WITHOUT pushing them (a gap). */
  applyOffline(data: unknown, options?: FakeTarget): void;
  /** The account's raw `order_update` items, published or applied offline, in order. */
  orderLog(target?: FakeAccount | string): readonly unknown[];
  /** Sends `text` as one frame to the account's connected clients; returns how many. */
  sendRaw(text: string, options?: FakeTarget): number;

  /** Closes connections with a close code, like a Centrifugo disconnect; returns how many. */
  disconnect(code: number, reason: string, options?: FakeTarget): number;
  /** Destroys the TCP sockets abruptly, no close frame; returns how many. */
  dropConnections(options?: FakeTarget): number;
  /** The current connections stop sending and answering (a half-open link); `ms` ends it by itself. */
  goSilent(ms?: number, options?: FakeTarget): number;
  /** Ends every silence. */
  resume(): void;
  /** The next `n` token requests fail with `fault` (default HTTP 503). */
  failNextTokenRequests(n: number, fault?: FakeTokenFault): void;
  /** While on, every subscribe gets error 103 "permission denied". */
  denySubscribe(on?: boolean): void;
  /** Lifetime of tokens issued from now on. */
  setTokenTtl(seconds: number): void;
  /** Every token issued so far is expired; open connections get the grace, then 3005 unless refreshed. */
  expireTokensNow(): void;
  /** The next connect(s) get a reply error, e.g. 100 or 111. */
  rejectConnect(code: number, message: string, options?: FakeRejectOptions): void;

  stats(): FakeServerStats;
  /** How many clients of the account are subscribed right now. */
  subscribers(target?: FakeAccount | string): number;
  connections(): readonly FakeConnectionInfo[];
  /** Resolves with the stats once `predicate` holds (checked now and after every event). */
  until(predicate: (stats: FakeServerStats) => boolean, timeoutMs?: number): Promise<FakeServerStats>;
  /** Closes every socket and the HTTP server, clears every timer; resolves when all is closed. */
  close(): Promise<void>;
}
