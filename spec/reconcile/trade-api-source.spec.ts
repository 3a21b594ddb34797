import {
  apiOpenFact,
  historyFact,
  legacyOpenFact,
  subtractDecimal,
  tradeFact,
} from '../../lib/reconcile/trade-api-source';

describe('REST answers → reconciliation facts', () => {
  it('subtracts decimal strings exactly', () => {
    expect(subtractDecimal('0.05015045', '0.00000045')).toBe('0.05015000');
    expect(subtractDecimal('1', '0.1')).toBe('0.9');
    expect(subtractDecimal('0.3', '0.1')).toBe('0.2');
    expect(subtractDecimal('10', '10')).toBe('0');
  });

  it('a legacy open SELL has exact quantities in the coin', () => {
    const fact = legacyOpenFact({
      pair: 'btc_idr',
      order_id: '3397',
      submit_time: '1578304294',
      price: '950000000',
      type: 'sell',
      client_order_id: 'btcidr-limit-3397',
      amounts: { order: { btc: '0.01000000' }, remain: { btc: '0.00400000' } },
    });
    expect(fact).toEqual({
      orderId: 'btcidr-limit-3397',
      symbol: 'btcidr',
      side: 'SELL',
      price: '950000000',
      state: 'OPEN',
      submitTime: 1578304294000,
      clientOrderId: 'btcidr-limit-3397',
      origQty: '0.01000000',
      executedQty: '0.00600000',
      approximate: false,
    });
  });

  it('a legacy open BUY is quoted in IDR with a fee reserve: its quantity is only an estimate', () => {
    const fact = legacyOpenFact({
      pair: 'btc_idr',
      order_id: '12',
      submit_time: '1',
      price: '1000000',
      type: 'buy',
      amounts: { order: { idr: '10022' }, remain: { idr: '10022' } },
    });
    expect(fact.approximate).toBe(true);
    expect(fact.origQty).toBe('0.01000000');
    expect(fact.executedQty).toBeUndefined();
  });

  it('maps v2 rows with their exact strings and full ids', () => {
    expect(
      historyFact({
        orderId: 'aaveidr-limit-3568',
        symbol: 'aaveidr',
        side: 'SELL',
        type: 'LIMIT',
        status: 'CANCELLED',
        price: '2000000',
        origQty: '0.05',
        executedQty: '0',
        submitTime: 1,
        finishTime: 2,
        cancelReason: 'SELF_TRADE_PREVENTION',
      }),
    ).toMatchObject({
      orderId: 'aaveidr-limit-3568',
      state: 'CANCELLED',
      finishTime: 2,
      cancelReason: 'SELF_TRADE_PREVENTION',
    });
    expect(
      tradeFact({
        tradeId: '72057594037936570',
        orderId: 'btcidr-limit-1',
        symbol: 'btcidr',
        price: '100',
        qty: '1',
        quoteQty: '100',
        commission: '0.3',
        commissionAsset: 'idr',
        isBuyer: true,
        isMaker: false,
        time: 5,
      }),
    ).toEqual({
      tradeId: '72057594037936570',
      orderId: 'btcidr-limit-1',
      symbol: 'btcidr',
      qty: '1',
      price: '100',
      commission: '0.3',
      commissionAsset: 'idr',
      isMaker: false,
      time: 5,
    });
    expect(
      apiOpenFact({
        symbol: 'BTCIDR',
        orderId: '6423',
        side: 'BUY',
        price: '100',
        origQty: '1',
        executedQty: '0.5',
        status: 'PARTIALLY_FILLED',
        type: 'LIMIT',
        time: 9,
        fullOrderId: 'btcidr-limit-6423',
      }),
    ).toMatchObject({
      orderId: 'btcidr-limit-6423',
      symbol: 'btcidr',
      origQty: '1',
      executedQty: '0.5',
      approximate: false,
    });
  });
});
