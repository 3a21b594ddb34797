import {
  fromApiSymbol,
  fullOrderId,
  numericOrderId,
  pairToSymbol,
  symbolToPair,
  toApiSymbol,
} from '../../lib/rest/ids';

describe('identifier mapping', () => {
  it('maps the WebSocket orderId to the numeric legacy order_id and back', () => {
    expect(numericOrderId('aaveidr-limit-3397')).toBe('3397');
    expect(numericOrderId('btcidr-market-31695')).toBe('31695');
    expect(numericOrderId('3397')).toBe('3397');
    expect(numericOrderId('aaveidr-limit-')).toBeUndefined();
    expect(numericOrderId('nonsense')).toBeUndefined();
    expect(fullOrderId('aaveidr', '3397')).toBe('aaveidr-limit-3397');
    expect(fullOrderId('BTCIDR', 12, 'market')).toBe('btcidr-market-12');
  });

  it('maps symbols to pairs by the known quote suffixes', () => {
    expect(symbolToPair('aaveidr')).toBe('aave_idr');
    expect(symbolToPair('btcusdt')).toBe('btc_usdt');
    expect(symbolToPair('ethbtc')).toBe('eth_btc');
    expect(symbolToPair('wbtcidr')).toBe('wbtc_idr');
    expect(symbolToPair('AAVEIDR')).toBe('aave_idr');
    expect(symbolToPair('aave_idr')).toBe('aave_idr');
    expect(symbolToPair('idr')).toBeUndefined();
    expect(symbolToPair('xyzeur')).toBeUndefined();
    expect(symbolToPair('xyzeur', ['eur'])).toBe('xyz_eur');
  });

  it('maps pairs and symbols to the api flavor and back', () => {
    expect(pairToSymbol('aave_idr')).toBe('aaveidr');
    expect(toApiSymbol('aaveidr')).toBe('AAVEIDR');
    expect(toApiSymbol('aave_idr')).toBe('AAVEIDR');
    expect(fromApiSymbol('AAVEIDR')).toBe('aaveidr');
  });
});
