import { of } from 'rxjs';
import { addDecimals } from '../../lib/util/decimal';
import type { RestOrderFact } from '../../lib/reconcile/facts';
import type { ReconcileSource } from '../../lib/reconcile/source';
import type { FakeBookOrder } from '../../lib/testing/fake-rest';

type Book = ReadonlyMap<string, FakeBookOrder>;
const STATE: Record<FakeBookOrder['state'], RestOrderFact['state']> = {
  open: 'OPEN',
  filled: 'FILLED',
  cancelled: 'CANCELLED',
  rejected: 'REJECTED',
};
const fact = (o: FakeBookOrder): RestOrderFact => ({
  orderId: o.orderId,
  symbol: o.symbol,
  side: o.side,
  price: o.price,
  state: STATE[o.state],
  origQty: o.origQty,
  executedQty: o.executedQty,
  approximate: false,
  submitTime: o.submitTime,
  ...(o.finishTime === undefined ? {} : { finishTime: o.finishTime }),
});

/**
 * An exact REST source over the exchange's book, each answer consistent at its own instant:
 * open orders and histories as the book was at `orders`, trades (`commission` = fee + tax) as
 * it was at `trades` (a later read).
 */
export function bookSource(orders: Book, trades: Book = orders): ReconcileSource {
  return {
    openOrders: () => of([...orders.values()].filter((o) => o.state === 'open').map(fact)),
    closedOrders: (symbol, start, end) =>
      of(
        [...orders.values()]
          .filter(
            (o) =>
              o.symbol === symbol &&
              o.state !== 'open' &&
              o.submitTime <= end &&
              (o.finishTime ?? 0) >= start,
          )
          .map(fact),
      ),
    trades: (symbol, start, orderId) =>
      of(
        [...trades.values()]
          .filter((o) => o.symbol === symbol && (!orderId || o.orderId === orderId))
          .flatMap((o) =>
            o.fills.map((f) => ({
              tradeId: f.tradeId,
              orderId: o.orderId,
              symbol: o.symbol,
              qty: f.qty,
              price: o.price,
              commission: addDecimals(f.fee, f.tax),
              commissionAsset: f.feeAsset,
              isMaker: f.isMaker,
              time: f.time,
            })),
          )
          .filter((f) => f.time >= start),
      ),
  };
}
