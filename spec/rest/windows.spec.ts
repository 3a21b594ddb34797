import { createTradeApi } from '../../lib/rest/trade-api';
import { MAX_WINDOW_MS, nextWindow, splitWindows } from '../../lib/rest/windows';
import { advance, scriptedFetch, virtualScheduler, type Answer } from './virtual';

const DAY = 24 * 60 * 60 * 1000;

describe('time windows', () => {
  it('splits a range into inclusive windows of at most 7 days', () => {
    expect(splitWindows(0, 10, 4)).toEqual([
      { start: 0, end: 3 },
      { start: 4, end: 7 },
      { start: 8, end: 10 },
    ]);
    const w = splitWindows(0, 10 * DAY);
    expect(w).toEqual([
      { start: 0, end: MAX_WINDOW_MS - 1 },
      { start: MAX_WINDOW_MS, end: 10 * DAY },
    ]);
    expect(splitWindows(5, 5)).toEqual([{ start: 5, end: 5 }]);
  });

  it('narrows after a full page and always moves by at least 1 ms', () => {
    expect(nextWindow({ start: 0, end: 100 }, [90, 50], 2, 'desc')).toEqual({ start: 0, end: 50 });
    expect(nextWindow({ start: 0, end: 100 }, [100, 100], 2, 'desc')).toEqual({ start: 0, end: 99 });
    expect(nextWindow({ start: 0, end: 100 }, [90], 2, 'desc')).toBeUndefined();
    expect(nextWindow({ start: 0, end: 100 }, [10, 60], 2, 'asc')).toEqual({ start: 60, end: 100 });
    expect(nextWindow({ start: 0, end: 100 }, [0, 0], 2, 'asc')).toEqual({ start: 1, end: 100 });
    expect(nextWindow({ start: 5, end: 5 }, [5, 5], 2, 'desc')).toBeUndefined();
  });
});

describe('myTrades paging over windows (fetch double)', () => {
  const trade = (id: string, time: number) =>
    `{"tradeId":${id},"orderId":"btcidr-limit-1","symbol":"btcidr","price":"100","qty":"1","quoteQty":"100",` +
    `"commission":"0.3","commissionAsset":"idr","isBuyer":true,"isMaker":false,"time":${time}}`;
  const page = (...rows: string[]): Answer => ({ status: 200, body: `{"data":[${rows.join(',')}]}` });

  it('splits 10 days into two windows, pages on full pages, dedupes by id, keeps big ids exact', async () => {
    const s = virtualScheduler();
    const start = 1_000_000;
    const A = '72057594037936570';
    const { fetch, calls } = scriptedFetch(s, [
      page(trade(A, start + 5000), trade('11', start + 4000)),
      page(trade('11', start + 4000), trade('12', start + 3000)),
      page(trade('12', start + 3000)),
      page(trade('13', start + 8 * DAY)),
    ]);
    const api = createTradeApi(
      { apiKey: 'k', apiSecret: 's' },
      { fetch, scheduler: s, tapiV2BaseUrl: 'https://v2' },
    );
    let result: readonly { tradeId: string; time: number }[] = [];
    api
      .myTrades({
        symbol: 'btc_idr',
        startTime: start,
        endTime: start + 10 * DAY,
        limit: 2,
        orderId: 'btcidr-limit-1',
      })
      .subscribe((rows) => (result = rows));
    await advance(s, 60_000);
    const q = calls.map((c) => Object.fromEntries(new URL(c.url).searchParams));
    expect(q.map((p) => [p.startTime, p.endTime].map(Number))).toEqual([
      [start, start + MAX_WINDOW_MS - 1],
      [start, start + 4000],
      [start, start + 3000],
      [start + MAX_WINDOW_MS, start + 10 * DAY],
    ]);
    expect(q[0]).toMatchObject({ symbol: 'btcidr', limit: '2', sort: 'desc', orderId: 'btcidr-limit-1' });
    expect(q[0]!.clientOrderId).toBeUndefined();
    expect(result.map((r) => r.tradeId)).toEqual(['13', A, '11', '12']);
  });

  it('defaults to the last 24 hours on the server clock and refuses a reversed range', async () => {
    const s = virtualScheduler();
    const { fetch, calls } = scriptedFetch(s, [page()]);
    const api = createTradeApi(
      { apiKey: 'k', apiSecret: 's' },
      { fetch, scheduler: s, tapiV2BaseUrl: 'https://v2' },
    );
    await advance(s, 5 * DAY);
    api.orderHistories({ symbol: 'btcidr', sort: 'asc' }).subscribe();
    await advance(s, 5 * DAY + 10);
    const p = new URL(calls[0]!.url).searchParams;
    expect([p.get('startTime'), p.get('endTime'), p.get('limit'), p.get('sort')]).toEqual([
      String(4 * DAY),
      String(5 * DAY),
      '100',
      'asc',
    ]);
    let code = '';
    api
      .orderHistories({ symbol: 'btcidr', startTime: 10, endTime: 5 })
      .subscribe({ error: (e: { code: string }) => (code = e.code) });
    expect(code).toBe('invalid_arguments');
  });
});
