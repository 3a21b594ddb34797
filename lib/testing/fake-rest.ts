/**
 * Fake Indodax REST endpoints for tests: the legacy `POST /tapi`, the Trade API v2 "tapi"
 * flavor (HMAC-SHA512) and "api" flavor (HMAC-SHA256), all derived from one account's
 * ORDER EVENT LOG (the raw `order_update` items the fake WebSocket publishes). The log is
 * folded into a book (latest state per order plus its fills) on every request, so REST
 * always agrees with what was (or, during a simulated gap, would have been) pushed.
 *
 * How to extend: add a case to `legacyMethod` or a path to `v2Route`; every answer is built
 * from a {@link FakeBookOrder}, so a new field starts in `foldOrderLog`.
 *
 * The v2 flavor of a request is told by its signature's length (128 hex = SHA-512 = "tapi",
 * 64 hex = SHA-256 = "api"), since one fake server serves both on the same port.
 */
import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { FakeRequest, FakeRoute, FakeRouteResult } from './fake-http';

/** A request as the fake server hands it to a route (the fake server's own type). */
export type FakeRestRequest = FakeRequest;

/** A route's answer. */
export type FakeRestResult = FakeRouteResult;

/** A route: answers the request, or `undefined` to let the next route try. */
export type FakeRestRoute = FakeRoute;

/** Where the fake REST endpoints read their accounts from. */
export interface FakeRestSource {
  /** The raw order events of the account that owns `apiKey` (a TAPI key or a dedicated v2 key). */
  orderLog(apiKey: string): readonly unknown[];
  /** The secret of `apiKey`, or `undefined` for an unknown key. */
  secretOf(apiKey: string): string | undefined;
  /** The server's clock in ms (default `Date.now`); the clock offset control adds to it. */
  now?: () => number;
}

/** Options of {@link fakeRestRoutes}. */
export interface FakeRestOptions {
  /** `getInfo` balances (default `{ idr: '0' }`). */
  readonly balances?: (apiKey: string) => Readonly<Record<string, string>>;
  /** Fill events without a `tradeId` get `tradeIdBase + n` (default 72057594037936570n, above 2^53). */
  readonly tradeIdBase?: bigint;
}

/** Which surface a request hit. */
export type FakeRestSurface = 'legacy' | 'tapi' | 'api';

/** One request the fake REST endpoints saw. */
export interface FakeRestCall {
  readonly surface: FakeRestSurface;
  /** `getInfo`, `openOrders`, `order/histories`, `myTrades`, … */
  readonly endpoint: string;
  readonly at: number;
}

/** A planned failure: the next `count` requests (of `surface`, or any) answer with it. */
export interface FakeRestFault {
  readonly status: number;
  /** The server code in the surface's error shape (default by status: `too_many_requests`/-1003 on 429, internal otherwise). */
  readonly code?: string | number;
  readonly surface?: FakeRestSurface;
}

/** Fault controls of the fake REST endpoints. */
export interface FakeRestControls {
  /** Answers the next `count` requests with an error (HTTP status + the surface's error body). */
  failNext(count: number, fault: FakeRestFault): void;
  /** Leaves the next `count` requests unanswered until {@link FakeRestControls.release}. */
  hangNext(count: number): void;
  /** Answers every hanging request with HTTP 503. */
  release(): void;
  /** Shifts the server's clock (timestamp checks and the `Date` header) by `ms`. */
  setClockOffset(ms: number): void;
  /** Every request seen so far, in order. */
  readonly calls: readonly FakeRestCall[];
  /** Clears faults, hangs (released), the clock offset and the call log. */
  reset(): void;
}

// ---------------------------------------------------------------------------------------
// exact decimals (just what the answers need)

interface Dec {
  readonly n: bigint;
  readonly scale: number;
}
const dec = (s: string): Dec => {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s.trim());
  if (!m) return { n: 0n, scale: 0 };
  const [, sign = '', whole = '', frac = ''] = m;
  const n = BigInt((whole || '0') + frac);
  return { n: sign ? -n : n, scale: frac.length };
};
const align = (a: Dec, scale: number): bigint => a.n * 10n ** BigInt(scale - a.scale);
const add = (a: Dec, b: Dec): Dec => {
  const scale = Math.max(a.scale, b.scale);
  return { n: align(a, scale) + align(b, scale), scale };
};
const mul = (a: Dec, b: Dec): Dec => ({ n: a.n * b.n, scale: a.scale + b.scale });
const floorInt = (a: Dec): Dec => {
  const d = 10n ** BigInt(a.scale);
  const q = a.n / d;
  return { n: a.n < 0n && q * d !== a.n ? q - 1n : q, scale: 0 };
};
const show = (a: Dec): string => {
  const neg = a.n < 0n;
  let digits = (neg ? -a.n : a.n).toString().padStart(a.scale + 1, '0');
  if (a.scale > 0) digits = `${digits.slice(0, -a.scale)}.${digits.slice(-a.scale)}`.replace(/\.?0+$/, '');
  return (neg && digits !== '0' ? '-' : '') + digits;
};
const isZero = (s: string): boolean => dec(s).n === 0n;
const FEE_RESERVE = dec('1.0022');

// ---------------------------------------------------------------------------------------
// the book

/** One fill of a {@link FakeBookOrder}. */
export interface FakeBookFill {
  readonly tradeId: string;
  readonly qty: string;
  readonly fee: string;
  readonly tax: string;
  readonly feeAsset: string;
  readonly isMaker: boolean;
  readonly time: number;
}

/** The latest state of one order, folded from its events. */
export interface FakeBookOrder {
  readonly orderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: string;
  readonly origQty: string;
  readonly executedQty: string;
  readonly unfilledQty: string;
  readonly clientOrderId: string;
  /** `open` (NEW or partly filled), `filled` (DONE or nothing left), `cancelled`, `rejected`. */
  readonly state: 'open' | 'filled' | 'cancelled' | 'rejected';
  readonly submitTime: number;
  readonly finishTime: number | undefined;
  readonly cancelReason: string | undefined;
  readonly fills: readonly FakeBookFill[];
}

type Raw = Record<string, unknown>;
const str = (v: unknown, fallback = ''): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;

/**
 * Folds raw `order_update` items (or bare `order` objects) into the latest state of every
 * order, with fills deduplicated by `tradeId`. Items that are not order updates are skipped.
 *
 * ## Example
 * ```ts
 * const book = foldOrderLog(server.orderLog(apiKey));
 * book.get('btcidr-limit-1')?.state; // 'open'
 * ```
 */
export function foldOrderLog(
  log: readonly unknown[],
  tradeIdBase: bigint = 72057594037936570n,
): ReadonlyMap<string, FakeBookOrder> {
  const book = new Map<string, FakeBookOrder>();
  let synthetic = 0n;
  for (const item of log) {
    if (typeof item !== 'object' || item === null) continue;
    const o = ((item as Raw).order ?? item) as Raw;
    const orderId = str(o.orderId);
    const status = str(o.status);
    if (!orderId || !status) continue;
    const time = typeof o.transactionTime === 'number' ? o.transactionTime : Number(o.transactionTime) || 0;
    const prev = book.get(orderId);
    const base: FakeBookOrder = {
      orderId,
      symbol: str(o.symbol, prev?.symbol ?? '').toLowerCase(),
      side: str(o.side, prev?.side ?? 'BUY').toUpperCase() === 'SELL' ? 'SELL' : 'BUY',
      price: str(o.price, prev?.price ?? '0'),
      origQty: str(o.origQty, prev?.origQty ?? '0'),
      executedQty: str(o.executedQty, prev?.executedQty ?? '0'),
      unfilledQty: str(o.unfilledQty, prev?.unfilledQty ?? str(o.origQty, '0')),
      clientOrderId: str(o.clientOrderId, prev?.clientOrderId ?? orderId),
      state: prev?.state ?? 'open',
      submitTime: prev?.submitTime ?? time,
      finishTime: prev?.finishTime,
      cancelReason: prev?.cancelReason,
      fills: prev?.fills ?? [],
    };
    let next: FakeBookOrder = base;
    if (status === 'FILL') {
      const f = (o.fillInformation ?? {}) as Raw;
      const tradeId = str(o.tradeId) || (tradeIdBase + synthetic++).toString();
      const fill: FakeBookFill = {
        tradeId,
        qty: str(f.qty, '0'),
        fee: str(f.fee, '0'),
        tax: str(f.tax, '0'),
        feeAsset: str(f.feeAsset, str(o.symbol).endsWith('usdt') ? 'usdt' : 'idr'),
        isMaker: str(f.participant).toUpperCase() === 'MAKER',
        time,
      };
      const fills = base.fills.some((x) => x.tradeId === tradeId) ? base.fills : [...base.fills, fill];
      const done = isZero(base.unfilledQty);
      next = { ...base, fills, state: done ? 'filled' : 'open', finishTime: done ? time : base.finishTime };
    } else if (status === 'DONE') next = { ...base, state: 'filled', finishTime: time };
    else if (status === 'CANCELLED')
      next = {
        ...base,
        state: 'cancelled',
        finishTime: time,
        cancelReason: str(o.cancelReason) || undefined,
      };
    else if (status === 'REJECTED') next = { ...base, state: 'rejected', finishTime: time };
    else if (status === 'NEW') next = prev ? { ...base } : base;
    book.set(orderId, next);
  }
  return book;
}

// ---------------------------------------------------------------------------------------
// identifiers

const QUOTES = ['usdt', 'idr', 'btc'];
const quoteOf = (symbol: string): string =>
  QUOTES.find((q) => symbol.endsWith(q) && symbol.length > q.length) ?? 'idr';
const baseOf = (symbol: string): string => symbol.slice(0, symbol.length - quoteOf(symbol).length);
const pairOf = (symbol: string): string => `${baseOf(symbol)}_${quoteOf(symbol)}`;
const numericId = (orderId: string): string => /(\d+)$/.exec(orderId)?.[1] ?? orderId;
const typeOf = (orderId: string): string => (orderId.split('-')[1] ?? 'limit').toUpperCase();
const seconds = (ms: number): string => String(Math.floor(ms / 1000));

// ---------------------------------------------------------------------------------------
// answers

const DAY = 24 * 60 * 60 * 1000;
const HEX = (alg: 'sha512' | 'sha256', payload: string, secret: string): string =>
  createHmac(alg, secret).update(payload).digest('hex');

interface Context {
  readonly now: number;
  readonly date: Record<string, string>;
}

const reply = (ctx: Context, status: number, body: unknown): FakeRestResult => ({
  status,
  body: typeof body === 'string' ? body : JSON.stringify(body),
  headers: { 'Content-Type': 'application/json', ...ctx.date },
});

const legacyError = (ctx: Context, error: string, code: string, status = 200): FakeRestResult =>
  reply(ctx, status, { success: 0, error, error_code: code });

function legacyOpenEntry(o: FakeBookOrder): Record<string, unknown> {
  const quote = quoteOf(o.symbol);
  const amounts =
    o.side === 'BUY'
      ? {
          [`order_${quote}`]: show(floorInt(mul(mul(dec(o.origQty), dec(o.price)), FEE_RESERVE))),
          [`remain_${quote}`]: show(floorInt(mul(mul(dec(o.unfilledQty), dec(o.price)), FEE_RESERVE))),
        }
      : { [`order_${baseOf(o.symbol)}`]: o.origQty, [`remain_${baseOf(o.symbol)}`]: o.unfilledQty };
  return {
    order_id: numericId(o.orderId),
    client_order_id: o.clientOrderId,
    submit_time: seconds(o.submitTime),
    price: o.price,
    type: o.side.toLowerCase(),
    order_type: typeOf(o.orderId).toLowerCase(),
    ...amounts,
  };
}

function legacyOrder(o: FakeBookOrder): Record<string, unknown> {
  const base = baseOf(o.symbol);
  const quote = quoteOf(o.symbol);
  const reserve = (qty: string) => show(floorInt(mul(mul(dec(qty), dec(o.price)), FEE_RESERVE)));
  const amounts =
    o.side === 'BUY'
      ? { order_rp: reserve(o.origQty), remain_rp: reserve(o.unfilledQty), [`receive_${base}`]: 0 }
      : {
          [`order_${base}`]: o.origQty,
          [`remain_${base}`]: o.unfilledQty,
          [`sold_${base}`]: o.executedQty,
          [`receive_${quote}`]: 0,
        };
  return {
    order_id: numericId(o.orderId),
    client_order_id: o.clientOrderId,
    price: o.price,
    type: o.side.toLowerCase(),
    ...amounts,
    submit_time: seconds(o.submitTime),
    finish_time: o.state === 'open' ? '0' : seconds(o.finishTime ?? o.submitTime),
    status: o.state === 'open' ? 'open' : o.state === 'filled' ? 'filled' : 'cancelled',
    fee: 0,
  };
}

const apiStatus = (o: FakeBookOrder): string =>
  o.state === 'open'
    ? isZero(o.executedQty)
      ? 'NEW'
      : 'PARTIALLY_FILLED'
    : o.state === 'filled'
      ? 'FILLED'
      : o.state === 'cancelled'
        ? 'CANCELLED'
        : 'REJECTED';

const apiOrder = (o: FakeBookOrder): Record<string, unknown> => ({
  symbol: o.symbol.toUpperCase(),
  orderId: Number(numericId(o.orderId)),
  clientOrderId: o.clientOrderId,
  side: o.side,
  price: o.price,
  origQty: o.origQty,
  executedQty: o.executedQty,
  status: apiStatus(o),
  type: typeOf(o.orderId),
  time: o.submitTime,
  fullOrderId: o.orderId,
});

const historyRow = (o: FakeBookOrder): Record<string, unknown> => ({
  orderId: o.orderId,
  clientOrderId: o.clientOrderId,
  symbol: o.symbol,
  side: o.side,
  type: typeOf(o.orderId),
  status: apiStatus(o),
  price: o.price,
  oriQty: o.origQty,
  executedQty: o.executedQty,
  submitTime: o.submitTime,
  finishTime: o.finishTime ?? o.submitTime,
  ...(o.cancelReason ? { cancelReason: o.cancelReason } : {}),
});

function tradeRows(o: FakeBookOrder): { time: number; row: Record<string, unknown> }[] {
  return o.fills.map((f) => {
    const quoteQty = mul(dec(f.qty), dec(o.price));
    return {
      time: f.time,
      row: {
        tradeId: f.tradeId,
        orderId: o.orderId,
        clientOrderId: o.clientOrderId,
        symbol: o.symbol,
        price: o.price,
        qty: f.qty,
        quoteQty: show(quoteOf(o.symbol) === 'idr' ? floorInt(quoteQty) : quoteQty),
        commission: show(add(dec(f.fee), dec(f.tax))),
        commissionAsset: f.feeAsset,
        isBuyer: o.side === 'BUY',
        isMaker: f.isMaker,
        time: f.time,
      },
    };
  });
}

/** Writes `tradeId` digits as a raw JSON number (beyond 2^53), as the exchange may. */
const rawTradeIds = (json: string): string => json.replace(/"tradeId":"(\d+)"/g, '"tradeId":$1');

// ---------------------------------------------------------------------------------------
// the routes

/**
 * Builds the fake REST routes and their fault controls. Mount `routes` in the fake server
 * (or any `node:http` server); each route answers only the paths it knows.
 *
 * - `POST /tapi`: `getInfo`, `openOrders` (with or without `pair`; buys in IDR with the fee
 *   reserve floor(qty × price × 1.0022); `orders: null` when none), `getOrder`,
 *   `getOrderByClientOrderId`; `orderHistory`/`tradeHistory` answer as decommissioned.
 *   `Key`/`Sign` (HMAC-SHA512 of the body) and the timestamp window are checked.
 * - `GET /api/v2/order/histories`, `/api/v2/myTrades` (both flavors), `/api/v2/openOrders`,
 *   `/api/v2/order` ("api" flavor only), with their documented error bodies.
 *
 * ## Example
 * ```ts
 * const { routes, controls } = fakeRestRoutes({ orderLog: (k) => logs.get(k) ?? [], secretOf: (k) => secrets.get(k) });
 * controls.failNext(2, { status: 503 });
 * ```
 */
export function fakeRestRoutes(
  source: FakeRestSource,
  options: FakeRestOptions = {},
): { routes: FakeRestRoute[]; controls: FakeRestControls } {
  const faults: FakeRestFault[] = [];
  const hung: (() => void)[] = [];
  let hangCount = 0;
  let offset = 0;
  const calls: FakeRestCall[] = [];
  const now = () => (source.now ?? Date.now)() + offset;
  const tradeIdBase = options.tradeIdBase ?? 72057594037936570n;

  const controls: FakeRestControls = {
    failNext: (count, fault) => {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    hangNext: (count) => {
      hangCount += count;
    },
    release: () => hung.splice(0).forEach((answer) => answer()),
    setClockOffset: (ms) => {
      offset = ms;
    },
    calls,
    reset: () => {
      faults.length = 0;
      hangCount = 0;
      offset = 0;
      calls.length = 0;
      controls.release();
    },
  };

  const faultBody = (surface: FakeRestSurface, fault: FakeRestFault): unknown => {
    const rate = fault.status === 429;
    if (surface === 'legacy')
      return {
        success: 0,
        error: rate ? 'Too many requests' : 'Internal error',
        error_code: String(fault.code ?? (rate ? 'too_many_requests' : 'internal_error')),
      };
    if (surface === 'tapi')
      return { code: Number(fault.code ?? 1000), error: rate ? 'Too many requests' : 'Internal error' };
    return {
      code: Number(fault.code ?? (rate ? -1003 : -1001)),
      msg: rate ? 'Too many requests' : 'Internal error',
    };
  };

  /** Records the call, then applies a planned fault or hang. */
  const intercept = (
    surface: FakeRestSurface,
    endpoint: string,
    ctx: Context,
    answer: () => FakeRestResult,
  ): FakeRestResult | Promise<FakeRestResult> => {
    calls.push({ surface, endpoint, at: ctx.now });
    if (hangCount > 0) {
      hangCount--;
      return new Promise<FakeRestResult>((resolve) => hung.push(() => resolve(reply(ctx, 503, 'released'))));
    }
    const i = faults.findIndex((f) => f.surface === undefined || f.surface === surface);
    if (i >= 0) {
      const [fault] = faults.splice(i, 1);
      if (fault) return reply(ctx, fault.status, faultBody(surface, fault));
    }
    return answer();
  };

  const legacy: FakeRestRoute = (req) => {
    if (req.url.pathname !== '/tapi') return undefined;
    const ctx: Context = { now: now(), date: { Date: new Date(now()).toUTCString() } };
    const params = new URLSearchParams(req.body);
    const method = params.get('method') ?? '';
    return intercept('legacy', method, ctx, () => {
      if (req.method !== 'POST') return legacyError(ctx, 'Only POST is allowed.', 'method_not_allowed');
      const key = header(req.headers, 'key');
      const sign = header(req.headers, 'sign');
      if (!key) return legacyError(ctx, 'API key not found in header.', 'key_not_found');
      if (!sign) return legacyError(ctx, 'Sign not found in header.', 'sign_not_found');
      const secret = source.secretOf(key);
      if (secret === undefined)
        return legacyError(
          ctx,
          'Invalid credentials. API not found or session has expired.',
          'invalid_credentials',
        );
      if (sign.toLowerCase() !== HEX('sha512', req.body, secret))
        return legacyError(ctx, 'Invalid credentials. Bad sign.', 'bad_sign');
      const stamp = checkTimestamp(params, ctx.now);
      if (stamp) return legacyError(ctx, stamp, 'invalid_timestamp');
      return legacyMethod(ctx, method, params, key);
    });
  };

  const legacyMethod = (
    ctx: Context,
    method: string,
    params: URLSearchParams,
    key: string,
  ): FakeRestResult => {
    const book = [...foldOrderLog(source.orderLog(key), tradeIdBase).values()];
    const ok = (value: unknown) => reply(ctx, 200, { success: 1, return: value });
    switch (method) {
      case 'getInfo':
        return ok({
          server_time: Math.floor(ctx.now / 1000),
          balance: options.balances?.(key) ?? { idr: '0' },
          balance_hold: {},
        });
      case 'openOrders': {
        const pair = params.get('pair');
        const open = book.filter((o) => o.state === 'open' && (!pair || pairOf(o.symbol) === pair));
        if (open.length === 0) return ok({ orders: null });
        if (pair) return ok({ orders: open.map(legacyOpenEntry) });
        const byPair: Record<string, unknown[]> = {};
        for (const o of open) (byPair[pairOf(o.symbol)] ??= []).push(legacyOpenEntry(o));
        return ok({ orders: byPair });
      }
      case 'getOrder':
      case 'getOrderByClientOrderId': {
        const found =
          method === 'getOrder'
            ? book.find(
                (o) =>
                  numericId(o.orderId) === params.get('order_id') && pairOf(o.symbol) === params.get('pair'),
              )
            : book.filter((o) => o.clientOrderId === params.get('client_order_id')).pop();
        return found
          ? ok({ order: legacyOrder(found) })
          : legacyError(ctx, 'invalid order.', 'order_not_found');
      }
      case 'orderHistory':
      case 'tradeHistory':
        return legacyError(
          ctx,
          `${method} has been decommissioned since 2026-04-07.`,
          'method_decommissioned',
        );
      default:
        return legacyError(ctx, `Invalid method: ${method}`, 'invalid_method');
    }
  };

  const v2: FakeRestRoute = (req) => {
    const path = req.url.pathname.replace(/^\/api\/v2\//, '');
    if (path === req.url.pathname) return undefined;
    const ctx: Context = { now: now(), date: { Date: new Date(now()).toUTCString() } };
    const sign = header(req.headers, 'sign') ?? req.url.searchParams.get('signature') ?? '';
    const flavor: 'tapi' | 'api' = sign.length === 64 ? 'api' : 'tapi';
    const fail = (status: number, tapiCode: number, apiCode: number, what: string) =>
      reply(ctx, status, flavor === 'tapi' ? { code: tapiCode, error: what } : { code: apiCode, msg: what });
    return intercept(flavor, path, ctx, () => {
      if (req.method !== 'GET') return fail(405, 1111, -1000, 'Method not allowed');
      const key = header(req.headers, 'x-apikey');
      if (!key) return fail(400, 1102, -2014, 'API key required');
      if (!sign) return fail(400, 1101, -1022, 'Signature required');
      const secret = source.secretOf(key);
      if (secret === undefined) return fail(401, 1001, -1002, 'Invalid credentials');
      const query = req.url.search.replace(/^\?/, '');
      const expected =
        flavor === 'tapi' ? HEX('sha512', query, secret) : HEX('sha256', query + req.body, secret);
      if (sign.toLowerCase() !== expected)
        return fail(flavor === 'tapi' ? 401 : 400, 1001, -1022, 'Invalid signature');
      const p = req.url.searchParams;
      const stamp = checkTimestamp(p, ctx.now);
      if (stamp) return fail(400, 1002, -1021, stamp);
      const book = [...foldOrderLog(source.orderLog(key), tradeIdBase).values()];
      const symbol = p.get('symbol')?.toLowerCase();
      if (path === 'openOrders' && flavor === 'api') {
        const open = book.filter((o) => o.state === 'open' && (!symbol || o.symbol === symbol));
        return reply(ctx, 200, open.map(apiOrder));
      }
      if (!symbol) return fail(400, 1108, -1102, 'Mandatory parameter symbol is missing');
      if (path === 'order' && flavor === 'api') {
        const id = p.get('orderId');
        const client = p.get('origClientOrderId');
        const found = book.find(
          (o) => o.symbol === symbol && (id ? numericId(o.orderId) === id : o.clientOrderId === client),
        );
        return found ? reply(ctx, 200, apiOrder(found)) : fail(404, 1112, -2013, 'Order does not exist');
      }
      if (path !== 'order/histories' && path !== 'myTrades')
        return fail(404, 1113, -1099, 'Resource does not exist');
      const range = timeRange(p, ctx.now);
      if (typeof range === 'string') return fail(400, 1109, -1130, range);
      const sort = p.get('sort') === 'asc' ? 1 : -1;
      const inRange = (t: number) => t >= range.start && t <= range.end;
      if (path === 'order/histories') {
        const rows = book
          .filter((o) => o.symbol === symbol && o.state !== 'open' && inRange(o.submitTime))
          .sort((a, b) => sort * (a.submitTime - b.submitTime))
          .slice(0, range.limit ?? 100)
          .map(historyRow);
        return reply(ctx, 200, { data: rows });
      }
      const orderId = p.get('orderId');
      const clientOrderId = p.get('clientOrderId');
      const rows = book
        .filter((o) => o.symbol === symbol && (!orderId || o.orderId === orderId))
        .filter((o) => !clientOrderId || o.clientOrderId === clientOrderId)
        .flatMap(tradeRows)
        .filter((r) => inRange(r.time))
        .sort((a, b) => sort * (a.time - b.time))
        .slice(0, range.limit ?? 500)
        .map((r) => r.row);
      return { ...reply(ctx, 200, ''), body: rawTradeIds(JSON.stringify({ data: rows })) };
    });
  };

  return { routes: [legacy, v2], controls };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The exchange's rule: reject `timestamp >= now + 1000 || now - timestamp > recvWindow`. */
function checkTimestamp(params: URLSearchParams, serverNow: number): string | undefined {
  const raw = params.get('timestamp');
  if (raw === null) return params.get('nonce') === null ? 'Timestamp or nonce is required.' : undefined;
  const timestamp = Number(raw);
  const recvWindow = Number(params.get('recvWindow') ?? 5000);
  if (!Number.isFinite(timestamp) || timestamp >= serverNow + 1000 || serverNow - timestamp > recvWindow) {
    return 'Timestamp for this request is outside of the recvWindow.';
  }
  return undefined;
}

/** v2 ranges: 24 hours by default, at most 7 days; `limit` as given. */
function timeRange(
  p: URLSearchParams,
  serverNow: number,
): { start: number; end: number; limit: number | undefined } | string {
  const startRaw = p.get('startTime');
  const endRaw = p.get('endTime');
  const end = endRaw !== null ? Number(endRaw) : startRaw !== null ? Number(startRaw) + DAY : serverNow;
  const start = startRaw !== null ? Number(startRaw) : end - DAY;
  const limitRaw = p.get('limit');
  const limit = limitRaw === null ? undefined : Number(limitRaw);
  if (!Number.isFinite(start) || !Number.isFinite(end) || start > end) return 'Invalid startTime/endTime';
  if (end - start > 7 * DAY) return 'The time range may not exceed 7 days';
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 1000))
    return 'Invalid limit';
  return { start, end, limit };
}
