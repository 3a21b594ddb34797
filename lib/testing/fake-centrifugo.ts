import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { FakeAccount } from './fake-accounts';
import { verifyFakeJwt } from './fake-jwt';

/**
 * Centrifugo's server version, as the real Indodax server reports it in connect results.
 *
 * ## Example
 * ```ts
 * expect(connectResult.version).toBe(FAKE_SERVER_VERSION);
 * ```
 */
export const FAKE_SERVER_VERSION = '5.2.0';

/**
 * A reply error the next `connect` gets (see `FakeServer.rejectConnect`).
 *
 * ## Example
 * ```ts
 * const busy: FakeConnectRejection = { code: 111, message: 'too many requests', temporary: true };
 * ```
 */
export interface FakeConnectRejection {
  readonly code: number;
  readonly message: string;
  readonly temporary?: boolean;
}

/**
 * The command kinds the fake counts (`pong`: an id-less `{}`; `unknown`: anything else, incl. bad JSON).
 *
 * ## Example
 * ```ts
 * expect(server.stats().commands.pong).toBeGreaterThan(0);
 * ```
 */
export type FakeCommandKind =
  | 'connect'
  | 'subscribe'
  | 'unsubscribe'
  | 'refresh'
  | 'ping'
  | 'pong'
  | 'publish'
  | 'presence'
  | 'presence_stats'
  | 'history'
  | 'rpc'
  | 'send'
  | 'sub_refresh'
  | 'unknown';

const KINDS: readonly FakeCommandKind[] = [
  'connect',
  'subscribe',
  'unsubscribe',
  'refresh',
  'ping',
  'publish',
  'presence',
  'presence_stats',
  'history',
  'rpc',
  'send',
  'sub_refresh',
];

/** Everything a session needs from its server. @internal */
export interface SessionHost {
  readonly jwtSecret: Buffer;
  readonly pingIntervalMs: number;
  readonly pongTimeoutMs: number;
  readonly expireGraceMs: number;
  expiredUpToSeq(): number;
  denySubscribe(): boolean;
  takeConnectRejection(): FakeConnectRejection | undefined;
  account(id: string): FakeAccount | undefined;
  setTimer(fn: () => void, ms: number): () => void;
  onCommand(session: FakeSession, kind: FakeCommandKind, id: number | undefined): void;
  onPing(session: FakeSession, sent: boolean): void;
  onState(
    session: FakeSession,
    what: 'connected' | 'subscribed' | 'unsubscribed' | 'refreshed' | 'pong',
  ): void;
}

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Centrifugo's disconnects used here. */
const BAD_REQUEST = [3501, 'bad request'] as const;
const INVALID_TOKEN = [3500, 'invalid token'] as const;
const EXPIRED = [3005, 'expired'] as const;
const NO_PONG = [3012, 'no pong'] as const;

/**
 * One client connection of the fake Centrifugo: parses every line of every frame, answers
 * commands like Centrifugo v5.2 does for the Indodax private channel, runs pings and the
 * token-expiry close, and obeys the fault controls (silence, close, drop).
 * @internal
 */
export class FakeSession {
  state: 'connecting' | 'connected' | 'unusable' | 'closed' = 'connecting';
  account: FakeAccount | undefined;
  client = '';
  subscribed = false;
  silent = false;
  /** Who ended the connection, when the server did (`undefined`: the client, or still open). */
  endedBy: 'server' | 'drop' | undefined;
  /** Token expiry in ms since the epoch (0: not connected). */
  expMs = 0;
  private pingOutstanding = false;
  private readonly timers = new Map<'ping' | 'pong' | 'expire' | 'silence', () => void>();
  private out: string[] | undefined;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    readonly framePing: boolean,
    private readonly host: SessionHost,
  ) {}

  /** Handles one text frame from the client. */
  receive(frame: string): void {
    if (this.silent || this.state === 'closed') return;
    this.out = [];
    try {
      for (const line of frame.split('\n')) {
        if (line.trim() === '') continue;
        let cmd: unknown;
        try {
          cmd = JSON.parse(line);
        } catch {
          cmd = undefined;
        }
        if (!isRecord(cmd)) {
          this.host.onCommand(this, 'unknown', undefined);
          this.fail(BAD_REQUEST);
          break;
        }
        if (!this.dispatch(cmd)) break;
      }
    } finally {
      const replies = this.out;
      this.out = undefined;
      if (replies.length > 0) this.write(replies.join('\n'));
    }
  }

  /** Sends a push line if subscribed and not silent; says whether it did. */
  push(line: string): boolean {
    if (!this.subscribed || this.silent || this.state !== 'connected') return false;
    this.write(line);
    return true;
  }

  /** Sends raw text as one frame (no checks but silence). */
  sendRaw(text: string): boolean {
    if (this.silent || this.state === 'closed') return false;
    this.write(text);
    return true;
  }

  /** Server-initiated close with a code (pending output is flushed first). */
  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    if (this.out && this.out.length > 0) this.write(this.out.splice(0).join('\n'));
    this.endedBy = 'server';
    this.ended();
    this.ws.close(code, reason);
  }

  /** Destroys the TCP socket without a close frame. */
  drop(): void {
    if (this.state !== 'closed') this.endedBy = 'drop';
    this.ended();
    this.ws.terminate();
  }

  /** The socket closed (either side). */
  ended(): void {
    this.state = 'closed';
    this.subscribed = false;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }

  goSilent(ms: number | undefined): void {
    this.silent = true;
    this.pingOutstanding = false;
    if (ms !== undefined) this.timer('silence', ms, () => this.resume());
  }

  resume(): void {
    if (!this.silent) return;
    this.silent = false;
    this.cancel('silence');
    if (this.state === 'connected') this.expireCheck();
  }

  /** Moves the token's expiry to now: the grace starts, then 3005 unless refreshed. */
  expireNow(now: number): void {
    if (this.state !== 'connected') return;
    this.expMs = Math.min(this.expMs, now);
    this.scheduleExpire(now);
  }

  private write(text: string): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(text);
  }

  private reply(line: Json): void {
    const text = JSON.stringify(line);
    if (this.out) this.out.push(text);
    else this.write(text);
  }

  private error(id: number, code: number, message: string, temporary = false): void {
    this.reply({ id, error: temporary ? { code, message, temporary } : { code, message } });
  }

  /** Handles one command; false stops processing the rest of the frame. */
  private dispatch(cmd: Json): boolean {
    if (this.state === 'unusable') return this.fail(BAD_REQUEST);
    const method = KINDS.find((k) => k in cmd);
    const id = typeof cmd.id === 'number' && cmd.id > 0 ? cmd.id : 0;
    const isPong = id === 0 && method !== 'send';
    this.host.onCommand(this, isPong ? 'pong' : (method ?? 'unknown'), id === 0 ? undefined : id);
    // Centrifugo: anything before connect, then any id-less command that answers no ping → 3501.
    if (this.state === 'connecting' && method !== 'connect') return this.fail(BAD_REQUEST);
    if (isPong) return this.pong();
    const params = method !== undefined && isRecord(cmd[method]) ? cmd[method] : {};
    switch (method) {
      case 'connect':
        return this.connect(id, params);
      case 'subscribe':
        return this.subscribe(id, params);
      case 'unsubscribe':
        if (this.subscribed && params.channel === this.account?.channel) {
          this.subscribed = false;
          this.host.onState(this, 'unsubscribed');
        }
        this.reply({ id, unsubscribe: {} });
        return true;
      case 'refresh':
        return this.refresh(id, params);
      case 'ping':
        this.reply({ id, ping: {} });
        return true;
      case 'send':
        return true;
      case 'publish':
        this.error(id, 103, 'permission denied');
        return true;
      case 'rpc':
        this.error(id, 104, 'method not found');
        return true;
      case 'presence':
      case 'presence_stats':
      case 'history':
      case 'sub_refresh':
        this.error(id, 108, 'not available');
        return true;
      default:
        return this.fail(BAD_REQUEST);
    }
  }

  private fail([code, reason]: readonly [number, string]): false {
    this.close(code, reason);
    return false;
  }

  private pong(): boolean {
    if (!this.pingOutstanding) return this.fail(BAD_REQUEST);
    this.pingOutstanding = false;
    this.cancel('pong');
    this.host.onState(this, 'pong');
    return true;
  }

  private connect(id: number, params: Json): boolean {
    if (this.state === 'connected') return this.fail(BAD_REQUEST);
    const rejection = this.host.takeConnectRejection();
    if (rejection) {
      this.error(id, rejection.code, rejection.message, rejection.temporary ?? false);
      this.state = 'unusable';
      return false;
    }
    const token = typeof params.token === 'string' ? params.token : '';
    if (token === '') return this.fail(BAD_REQUEST);
    const now = Date.now();
    const verdict = verifyFakeJwt(token, this.host.jwtSecret, now, this.host.expiredUpToSeq());
    if (!verdict.ok && verdict.reason === 'expired') {
      this.error(id, 109, 'token expired');
      this.state = 'unusable';
      return false;
    }
    const account = verdict.ok ? this.host.account(verdict.claims.sub) : undefined;
    if (!verdict.ok || !account) return this.fail(INVALID_TOKEN);
    this.state = 'connected';
    this.account = account;
    this.client = randomUUID();
    this.expMs = verdict.claims.exp * 1000;
    const result: Json = {
      client: this.client,
      version: FAKE_SERVER_VERSION,
      expires: true,
      ttl: this.ttl(now),
    };
    if (!this.framePing) Object.assign(result, { ping: this.host.pingIntervalMs / 1000, pong: true });
    this.reply({ id, connect: result });
    this.host.onState(this, 'connected');
    this.schedulePing();
    this.scheduleExpire(now);
    return true;
  }

  private subscribe(id: number, params: Json): boolean {
    const channel = typeof params.channel === 'string' ? params.channel : '';
    if (channel === '') return this.fail(BAD_REQUEST);
    if (this.host.denySubscribe() || channel !== this.account?.channel) {
      // The pws namespace exists but is user-limited; any other namespace is unknown.
      if (this.host.denySubscribe() || channel.startsWith('pws:')) this.error(id, 103, 'permission denied');
      else this.error(id, 102, 'unknown channel');
      return true;
    }
    if (this.subscribed) {
      this.error(id, 105, 'already subscribed');
      return true;
    }
    this.subscribed = true;
    this.reply({ id, subscribe: {} });
    this.host.onState(this, 'subscribed');
    return true;
  }

  private refresh(id: number, params: Json): boolean {
    const token = typeof params.token === 'string' ? params.token : '';
    if (token === '') return this.fail(BAD_REQUEST);
    const now = Date.now();
    const verdict = verifyFakeJwt(token, this.host.jwtSecret, now, this.host.expiredUpToSeq());
    if (!verdict.ok && verdict.reason === 'expired') return this.fail(EXPIRED);
    if (!verdict.ok || verdict.claims.sub !== this.account?.id) return this.fail(INVALID_TOKEN);
    this.expMs = verdict.claims.exp * 1000;
    this.reply({ id, refresh: { expires: true, ttl: this.ttl(now) } });
    this.host.onState(this, 'refreshed');
    this.scheduleExpire(now);
    return true;
  }

  /**
   * Seconds left, like Centrifugo: `exp - floor(now)` in whole seconds. A token with a
   * fractional `exp` (a fractional `tokenTtlSeconds`, for fast tests) gets the exact rest.
   */
  private ttl(now: number): number {
    const exp = this.expMs / 1000;
    if (Number.isInteger(exp)) return Math.max(0, exp - Math.floor(now / 1000));
    return Math.max(0, Math.round(exp * 1000 - now) / 1000);
  }

  private schedulePing(): void {
    this.timer('ping', this.host.pingIntervalMs, () => {
      if (this.state === 'connected') this.host.onPing(this, !this.silent);
      if (!this.silent && this.state === 'connected') {
        if (this.framePing) this.ws.ping();
        else {
          this.pingOutstanding = true;
          this.write('{}');
          this.timer('pong', this.host.pongTimeoutMs, () => {
            if (this.pingOutstanding && !this.silent) this.close(...NO_PONG);
          });
        }
      }
      if (this.state === 'connected') this.schedulePing();
    });
  }

  private scheduleExpire(now: number): void {
    this.timer('expire', Math.max(0, this.expMs - now) + this.host.expireGraceMs, () => this.expireCheck());
  }

  private expireCheck(): void {
    const now = Date.now();
    if (this.silent) return;
    if (this.expMs > now) this.scheduleExpire(now);
    else if (this.expMs + this.host.expireGraceMs <= now) this.close(...EXPIRED);
    else this.timer('expire', this.expMs + this.host.expireGraceMs - now, () => this.expireCheck());
  }

  private timer(name: 'ping' | 'pong' | 'expire' | 'silence', ms: number, fn: () => void): void {
    this.cancel(name);
    const cancel = this.host.setTimer(() => {
      this.timers.delete(name);
      fn();
    }, ms);
    this.timers.set(name, cancel);
  }

  private cancel(name: 'ping' | 'pong' | 'expire' | 'silence'): void {
    this.timers.get(name)?.();
    this.timers.delete(name);
  }
}
