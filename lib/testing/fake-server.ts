/**
 * A faithful in-process Indodax for tests: ONE node:http server on 127.0.0.1 serves the token
 * endpoint (`POST /api/private_ws/v1/generate_token`, Sign checked, the real error codes), any
 * extra HTTP routes, and the private WebSocket on `/ws/` (a Centrifugo v5.2 JSON subset: connect,
 * subscribe, refresh, unsubscribe, both ping modes, token expiry with grace, the real error and
 * close codes), with fault controls, counters and an event stream for tests.
 *
 * Files: fake-server.ts (wiring and controls), fake-server-types.ts (the public shapes),
 * fake-centrifugo.ts (one WebSocket connection: the protocol), fake-token-endpoint.ts,
 * fake-hub.ts (open connections by account, pushes), fake-accounts.ts (accounts, keys, order logs), fake-jwt.ts (HS256), fake-http.ts (routes).
 *
 * How to extend:
 * - a new HTTP endpoint: pass a {@link FakeRoute} in `options.routes` (or `server.use(route)`);
 *   it receives `{ method, url, headers, body }` and returns `{ status, body, headers? }` or
 *   `undefined` to pass. Derive its answers from `server.orderLog(apiKey)` and check keys with
 *   `server.accountByKey(apiKey)` (see fake-rest.ts for the REST trade API built this way);
 * - a new WebSocket command: add a case to `FakeSession.dispatch` in fake-centrifugo.ts;
 * - a new fault: add a method here that flips state the session reads through `SessionHost`,
 *   count it in `stats()`, emit an event, and document it in docs/testing-kit.md.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Subject } from 'rxjs';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { PrivateToken } from '../token/codecs';
import { FakeAccounts, type FakeAccount } from './fake-accounts';
import { FakeHub, untilStats } from './fake-hub';
import {
  FakeSession,
  type FakeCommandKind,
  type FakeConnectRejection,
  type SessionHost,
} from './fake-centrifugo';
import { route, serveHttp, type FakeRoute } from './fake-http';
import { signFakeJwt } from './fake-jwt';
import { tokenEndpoint, type FakeTokenFault } from './fake-token-endpoint';
import type {
  FakePublishOptions,
  FakeServer,
  FakeServerEvent,
  FakeServerOptions,
  FakeServerStats,
  FakeTarget,
} from './fake-server-types';

export type * from './fake-server-types';
export type { FakeAccount, FakeAccountInit } from './fake-accounts';
export type { FakeCommandKind, FakeConnectRejection } from './fake-centrifugo';
export type { FakeRequest, FakeRoute, FakeRouteResult } from './fake-http';
export type { FakeTokenFault } from './fake-token-endpoint';

const VALID_CLOSE = (code: number): boolean =>
  (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) ||
  (code >= 3000 && code <= 4999);

const zeroCommands = (): Record<FakeCommandKind, number> => ({
  connect: 0,
  subscribe: 0,
  unsubscribe: 0,
  refresh: 0,
  ping: 0,
  pong: 0,
  publish: 0,
  presence: 0,
  presence_stats: 0,
  history: 0,
  rpc: 0,
  send: 0,
  sub_refresh: 0,
  unknown: 0,
});

/**
 * Starts a fake Indodax on 127.0.0.1 (an ephemeral port by default) with one default account.
 *
 * Point the library at it with `server.environment` (or `restBaseUrl` / `wsUrl`) and
 * `server.credentials`; drive it with `publish(...)` and the fault controls; `close()` it
 * at the end. Every timer it starts is cleared by `close()`.
 *
 * ```text
 * requestToken ──POST generate_token──► {connToken, channel}
 * privateChannel ──ws /ws/──► connect → subscribe → publish(...) pushes → close()
 * ```
 *
 * ## Example
 * ```ts
 * const server = await startFakeServer({ pingIntervalMs: 50 });
 * const messages$ = privateChannel({
 *   token$: requestToken(server.credentials, { environment: server.environment }),
 *   wsUrl: server.wsUrl,
 * });
 * const sub = messages$.subscribe(console.log);
 * await server.until((s) => s.subscribed === 1);
 * server.publish([{ eventType: 'order_update', order: { orderId: 'btcidr-limit-1', status: 'NEW' } }]);
 * sub.unsubscribe();
 * await server.close();
 * ```
 *
 * @param options - token ttl, ping interval, grace, default account keys, extra routes
 * @returns the running {@link FakeServer}
 */
export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const accounts = new FakeAccounts();
  const defaultAccount = accounts.add(options.account);
  const jwtSecret = randomBytes(32);
  const timers = new Set<NodeJS.Timeout>();
  const hub = new FakeHub();
  const events = new Subject<FakeServerEvent>();
  const routes: FakeRoute[] = [];
  const tokenFaults: FakeTokenFault[] = [];
  const rejections: FakeConnectRejection[] = [];
  let ttlSeconds = options.tokenTtlSeconds ?? 86_400;
  let denying = false;
  let seq = 0;
  let expiredUpTo = 0;
  let nextConnection = 1;
  let closed = false;
  const counts = {
    connectionsAccepted: 0,
    tokenRequests: 0,
    tokensIssued: 0,
    publicationsSent: 0,
    rawFramesSent: 0,
    pingsSent: 0,
    commands: zeroCommands(),
  };

  const emit = (event: FakeServerEvent): void => {
    if (!closed) events.next(event);
  };
  const setTimer = (fn: () => void, ms: number): (() => void) => {
    const handle = setTimeout(() => {
      timers.delete(handle);
      fn();
    }, ms);
    timers.add(handle);
    return () => {
      clearTimeout(handle);
      timers.delete(handle);
    };
  };
  const accountOf = (target: FakeAccount | string | undefined): FakeAccount => {
    const found = target === undefined ? defaultAccount : accounts.resolve(target);
    if (!found)
      throw new Error('fake server: no such account (pass an account, its id or one of its API keys)');
    return found;
  };
  const targets = (opts: FakeTarget | undefined): FakeSession[] =>
    hub.of(opts?.account === undefined ? undefined : accountOf(opts.account));
  const issue = (account: FakeAccount, ttl = ttlSeconds): PrivateToken => {
    const now = Date.now();
    const exp = Number.isInteger(ttl) ? Math.floor(now / 1000) + ttl : Math.round(now + ttl * 1000) / 1000;
    seq += 1;
    counts.tokensIssued += 1;
    const claims = { sub: account.id, exp, iat: Math.floor(now / 1000), seq };
    return { connToken: signFakeJwt(claims, jwtSecret), channel: account.channel };
  };

  const host: SessionHost = {
    jwtSecret,
    pingIntervalMs: options.pingIntervalMs ?? 25_000,
    pongTimeoutMs: options.pongTimeoutMs ?? 8_000,
    expireGraceMs: options.expireGraceMs ?? 25_000,
    expiredUpToSeq: () => expiredUpTo,
    denySubscribe: () => denying,
    takeConnectRejection: () => rejections.shift(),
    account: (id) => accounts.byUserId(id),
    setTimer,
    onCommand: (session, kind, id) => {
      counts.commands[kind] += 1;
      emit(
        id === undefined
          ? { type: 'command', connection: session.id, kind }
          : { type: 'command', connection: session.id, kind, id },
      );
    },
    onPing: (session, sent) => {
      if (sent) counts.pingsSent += 1;
      emit({ type: 'ping', connection: session.id, sent });
    },
    onState: (session, what) => {
      const account = session.account?.id ?? '';
      if (what !== 'connected') return emit({ type: what, connection: session.id, account });
      hub.connected(session);
      emit({ type: 'connected', connection: session.id, account, client: session.client });
    },
  };

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, autoPong: false });
  const onSocket = (ws: WebSocket, req: IncomingMessage): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const framePing = url.searchParams.get('cf_ws_frame_ping_pong') === 'true';
    const session = new FakeSession(nextConnection++, ws, framePing, host);
    hub.add(session);
    counts.connectionsAccepted += 1;
    emit({ type: 'open', connection: session.id, framePing });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.isBuffer(data)
          ? data
          : Buffer.from(data);
      if (!isBinary) session.receive(bytes.toString('utf8'));
      else if (!session.silent) session.close(3501, 'bad request');
    });
    // PING frames from the client get a PONG, except on a silent (half-open) link.
    ws.on('ping', (data: Buffer) => {
      if (!session.silent && session.state !== 'closed') ws.pong(data);
    });
    ws.on('error', () => undefined);
    ws.on('close', (code: number, reason: Buffer) => {
      const by = session.endedBy ?? 'client';
      session.ended();
      hub.forget(session);
      emit({ type: 'close', connection: session.id, code, reason: reason.toString('utf8'), by });
    });
  };

  const http = await serveHttp(
    options.port ?? 0,
    async (request) => {
      const issuer = {
        secretOf: (k: string) => accounts.secretOf(k),
        issue: (k: string) => issue(accountOf(k)),
      };
      const outcome = tokenEndpoint(request, issuer, () => tokenFaults.shift());
      if (!outcome) return route(routes, request);
      counts.tokenRequests += 1;
      if (outcome.kind === 'hang') {
        emit({ type: 'token-request', outcome: 'hang' });
        return new Promise<never>(() => undefined);
      }
      if (outcome.kind === 'error')
        emit({ type: 'token-request', outcome: 'error', code: outcome.errorCode });
      else if (outcome.kind === 'fault')
        emit({ type: 'token-request', outcome: 'fault', status: outcome.status });
      else emit({ type: 'token-request', outcome: 'issued' });
      return outcome.result;
    },
    (req, socket, head, refuse) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const origin = req.headers.origin;
      if (closed) return refuse('503 Service Unavailable');
      if (path !== '/ws/' && path !== '/ws') return refuse('404 Not Found');
      if (origin !== undefined && !(options.allowedOrigins ?? []).includes(origin))
        return refuse('403 Forbidden');
      wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws, req));
    },
  );
  const { port } = http;
  const restBaseUrl = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}/ws/?cf_ws_frame_ping_pong=true`;

  const stats = (): FakeServerStats => ({
    ...counts,
    commands: { ...counts.commands },
    ...hub.census(),
    tcpSockets: http.tcpSockets(),
  });

  const fake: FakeServer = {
    restBaseUrl,
    wsUrl,
    appPingWsUrl: `ws://127.0.0.1:${port}/ws/`,
    environment: { restBaseUrl, wsUrl, tapiV2BaseUrl: restBaseUrl },
    credentials: defaultAccount.credentials,
    account: defaultAccount,
    events$: events.asObservable(),
    addAccount: (init) => accounts.add(init),
    addKey: (account, init) => accounts.addKey(account, init),
    accountByKey: (apiKey) => accounts.byApiKey(apiKey),
    secretOf: (apiKey) => accounts.secretOf(apiKey),
    accounts: () => accounts.all(),
    use: (r) => {
      routes.push(r);
    },
    issueToken: (target, ttl) => issue(accountOf(target?.account), ttl),
    publish: (data, opts?: FakePublishOptions) => {
      const account = accountOf(opts?.account);
      accounts.append(account, data);
      const delivered = hub.publish(account, data, opts?.batch ?? false);
      counts.publicationsSent += delivered;
      emit({ type: 'publish', account: account.id, publications: 1, delivered });
      return delivered;
    },
    publishBatch: (datas, opts) => {
      const account = accountOf(opts?.account);
      for (const data of datas) accounts.append(account, data);
      const delivered = hub.publishBatch(account, datas);
      counts.publicationsSent += delivered * datas.length;
      emit({ type: 'publish', account: account.id, publications: datas.length, delivered });
      return delivered;
    },
    applyOffline: (data, opts) => {
      accounts.append(accountOf(opts?.account), data);
    },
    orderLog: (target) => accountOf(target).orderLog,
    sendRaw: (text, opts) => {
      let sent = 0;
      for (const session of targets(opts))
        if (session.state === 'connected' && session.sendRaw(text)) sent += 1;
      counts.rawFramesSent += sent;
      return sent;
    },
    disconnect: (code, reason, opts) => {
      if (!VALID_CLOSE(code)) {
        throw new RangeError(
          `fake server: close code ${code} cannot be sent in a close frame (use dropConnections() for 1006)`,
        );
      }
      const list = targets(opts);
      for (const session of list) session.close(code, reason);
      return list.length;
    },
    dropConnections: (opts) => {
      const list = targets(opts);
      for (const session of list) session.drop();
      return list.length;
    },
    goSilent: (ms, opts) => {
      const list = targets(opts);
      for (const session of list) session.goSilent(ms);
      return list.length;
    },
    resume: () => {
      for (const session of hub.of(undefined)) session.resume();
    },
    failNextTokenRequests: (n, fault = { status: 503 }) => {
      for (let i = 0; i < n; i++) tokenFaults.push(fault);
    },
    denySubscribe: (on = true) => {
      denying = on;
    },
    setTokenTtl: (seconds) => {
      ttlSeconds = seconds;
    },
    expireTokensNow: () => {
      expiredUpTo = seq;
      const now = Date.now();
      for (const session of hub.of(undefined)) session.expireNow(now);
    },
    rejectConnect: (code, message, opts = {}) => {
      const temporary = opts.temporary ?? (code === 100 || code === 111);
      for (let i = 0; i < (opts.times ?? 1); i++) rejections.push({ code, message, temporary });
    },
    stats,
    subscribers: (target) => hub.subscribers(accountOf(target)),
    connections: () => hub.connections(),
    until: (predicate, timeoutMs) => untilStats(events, stats, predicate, timeoutMs, setTimer),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const session of hub.of(undefined)) session.drop();
      for (const handle of timers) clearTimeout(handle);
      timers.clear();
      tokenFaults.length = 0;
      rejections.length = 0;
      events.complete();
      await http.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
  const extra = typeof options.routes === 'function' ? options.routes(fake) : (options.routes ?? []);
  routes.push(...extra);
  return fake;
}
