import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { compareDecimals } from '../../lib/util/decimal';
import { DecimalString, LenientDecimalString, readLenientDecimal } from '../../lib/util/decimal-string';
import { DecimalString as OrdersDecimalString } from '../../lib/orders';
import { MyTrade } from '../../lib/rest/codecs-v2';
import { formatValidationErrors } from '../../lib/util/report';

describe('one leaf decimal module (issue 11: layering)', () => {
  it('is the codec orders and rest use', () => {
    expect(OrdersDecimalString).toBe(DecimalString);
    // rest/ reads amounts with the lenient one, imported from the leaf module itself
    expect(MyTrade.types[0].props.qty).toBe(LenientDecimalString);
  });

  it('the strict codec of pushes takes only a non-negative plain decimal string, verbatim', () => {
    expect(DecimalString.decode('1.10')).toEqual(E.right('1.10'));
    for (const bad of ['-1', '1e-8', ' 1', '', '.5', '1.', 0.5, 1, null, '0x10', 'NaN']) {
      expect(E.isLeft(DecimalString.decode(bad))).toBe(true);
    }
  });

  it('the lenient codec of REST rows writes numbers and exponent forms out, and refuses non-numbers', () => {
    const ok = (u: unknown) => E.getOrElseW(() => 'refused')(LenientDecimalString.decode(u));
    expect(ok('1.10')).toBe('1.10');
    expect(ok('-0.5')).toBe('-0.5');
    expect(ok(0)).toBe('0');
    expect(ok(1.11e-4)).toBe('0.000111');
    expect(ok(' 1E-8 ')).toBe('0.00000001');
    expect(ok('+2.5e3')).toBe('2500');
    expect(ok('.5')).toBe('0.5');
    expect(ok('5.')).toBe('5');
    for (const bad of [
      '',
      'abc',
      '1e',
      'NaN',
      'Infinity',
      '1,5',
      '0x10',
      '--1',
      '.',
      0.1 + 0.2,
      NaN,
      null,
      {},
    ]) {
      expect(ok(bad)).toBe('refused');
    }
  });

  it('a REST row with an amount that is no number is a decode failure at its path, not a later throw', () => {
    const row = {
      symbol: 'btcidr',
      tradeId: 1,
      orderId: 2,
      price: 'abc',
      qty: '1',
      quoteQty: '1',
      commission: '0',
      commissionAsset: 'idr',
      time: 1,
      isBuyer: true,
      isMaker: false,
    };
    const r = MyTrade.decode(row);
    expect(E.isLeft(r) && formatValidationErrors(r.left)).toBe('Invalid value "abc" supplied to price');
  });

  it('whatever either codec accepts, the arithmetic reads (property)', () => {
    const input = fc.oneof(
      fc.string(),
      fc.stringMatching(/^[ +-]?\d{0,6}(\.\d{0,6})?([eE][+-]?\d{1,3})? ?$/),
      fc.double(),
      fc.integer(),
    );
    fc.assert(
      fc.property(input, (u) => {
        for (const codec of [DecimalString, LenientDecimalString]) {
          const r = codec.decode(u);
          if (E.isRight(r)) expect(() => compareDecimals(r.right, '0')).not.toThrow();
        }
        if (typeof u === 'string') {
          const text = readLenientDecimal(u);
          if (text !== undefined) expect(() => compareDecimals(text, '0')).not.toThrow();
        }
      }),
      { numRuns: 2000 },
    );
  });
});
