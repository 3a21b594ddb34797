import { parseJsonExact, quoteLossyNumbers } from '../../lib/rest/json';

describe('parseJsonExact', () => {
  it('keeps every digit of an id above 2^53', () => {
    const text = '{"tradeId":72057594037936570,"qty":"1"}';
    expect((JSON.parse(text) as { tradeId: number }).tradeId).toBe(72057594037936576); // what a plain parse does
    expect(parseJsonExact(text)).toEqual({ tradeId: '72057594037936570', qty: '1' });
  });

  it('leaves numbers that round-trip as numbers', () => {
    expect(parseJsonExact('{"code":-1021,"time":1772510281185,"r":0.5,"ok":true,"n":null}')).toEqual({
      code: -1021,
      time: 1772510281185,
      r: 0.5,
      ok: true,
      n: null,
    });
  });

  it('quotes literals a double would change, keeping their exact text', () => {
    expect(parseJsonExact('[0.10000000000000000001, 1.10, 1E-4, -9007199254740993]')).toEqual([
      '0.10000000000000000001',
      '1.10',
      '1E-4',
      '-9007199254740993',
    ]);
  });

  it('does not touch digits inside strings, escapes included', () => {
    const text = '{"a":"72057594037936570","b":"x\\"72057594037936570\\"","c":72057594037936570}';
    expect(quoteLossyNumbers(text)).toBe(
      '{"a":"72057594037936570","b":"x\\"72057594037936570\\"","c":"72057594037936570"}',
    );
  });

  it('returns the same text when nothing needs quoting, and throws on bad JSON', () => {
    const text = '{"a":[1,2,3]}';
    expect(quoteLossyNumbers(text)).toBe(text);
    expect(() => parseJsonExact('<html>')).toThrow(SyntaxError);
  });
});

describe('parseJsonExact: integers beyond 2^53 that print as themselves', () => {
  it('keeps every digit of 72057594038555020 (rounded to ...024, printed as ...020)', () => {
    expect(String(Number('72057594038555020'))).toBe('72057594038555020');
    expect(parseJsonExact('{"tradeId":72057594038555020}')).toEqual({ tradeId: '72057594038555020' });
  });
});
