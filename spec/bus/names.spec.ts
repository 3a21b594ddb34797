import {
  accountOrdersFilter,
  decodeBusPayload,
  isBusName,
  ordersSubject,
  statusSubject,
  subjectToken,
  updateMsgId,
} from '../../lib/bus';
import { decodeOrderItem } from '../../lib/orders/decode';
import type { OrderUpdate } from '../../lib/orders';
import { cancelled, fill, newOrder } from '../../lib/testing/builders';

function update(item: unknown): OrderUpdate {
  const d = decodeOrderItem(item);
  if (d.kind !== 'update') throw new Error('fixture');
  return d.update;
}

const NEW = update(newOrder({ orderId: 'btcidr-limit-1' }));
const FILL = update(
  fill({ orderId: 'btcidr-limit-1', qty: '0.004', filledQty: '0.004', tradeId: '72057594037927937' }),
);
const CANCEL = update(cancelled({ orderId: 'ethidr-limit-2', origQty: '1', executedQty: '0.5' }));

describe('subjects and message ids', () => {
  it.each([
    [NEW, 'indodax.orders.acct0.btcidr.NEW', 'acct0:btcidr-limit-1:NEW:0'],
    [FILL, 'indodax.orders.acct0.btcidr.FILL', 'acct0:btcidr-limit-1:FILL:72057594037927937'],
    [CANCEL, 'indodax.orders.acct0.ethidr.CANCELLED', 'acct0:ethidr-limit-2:CANCELLED:0.5'],
  ])('%#: subject %s, Nats-Msg-Id %s', (u, subject, msgId) => {
    expect(ordersSubject('acct0', u)).toBe(subject);
    expect(updateMsgId('acct0', u)).toBe(msgId);
  });

  it('the same update has the same id whoever publishes it; a different fill another', () => {
    expect(updateMsgId('a', update(JSON.parse(JSON.stringify(fill({ tradeId: '9' })))))).toBe(
      updateMsgId('a', update(fill({ tradeId: '9' }))),
    );
    expect(updateMsgId('a', update(fill({ tradeId: '9' })))).not.toBe(
      updateMsgId('a', update(fill({ tradeId: '10' }))),
    );
  });

  it.each([
    ['btcidr', 'btcidr'],
    ['btc.idr', 'btc_idr'],
    ['a*b>c d', 'a_b_c_d'],
    ['', '_'],
  ])('symbol %j is the subject token %j', (symbol, token) => expect(subjectToken(symbol)).toBe(token));

  it.each([
    ['acct0', true],
    ['Fund_A-1', true],
    ['a.b', false],
    ['a b', false],
    ['', false],
    ['*', false],
  ])('name %j valid: %s', (name, ok) => expect(isBusName(name)).toBe(ok));

  it('filters and status subjects', () => {
    expect(accountOrdersFilter('acct0')).toBe('indodax.orders.acct0.>');
    expect(statusSubject('acct0')).toBe('indodax.status.acct0');
  });
});

describe('decodeBusPayload', () => {
  it('keeps the exact strings of a round-tripped update', () => {
    const r = decodeBusPayload(JSON.stringify(FILL), 's');
    expect(r).toEqual({ kind: 'update', update: FILL });
  });

  it.each([
    ['not json', /^s: not JSON/],
    ['{"status":"NEW","order":{}}', /^s: Missing value at order\/.*orderId/],
    ['[]', /^s: /],
  ])('%j is reported, never thrown', (text, reason) => {
    const r = decodeBusPayload(text, 's');
    expect(r.kind).toBe('invalid');
    if (r.kind === 'invalid') expect(r.problem.reason).toMatch(reason);
  });
});
